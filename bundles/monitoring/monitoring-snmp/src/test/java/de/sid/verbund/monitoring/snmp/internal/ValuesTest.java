package de.sid.verbund.monitoring.snmp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import org.junit.jupiter.api.Test;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Gauge32;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Opaque;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.UnsignedInteger32;

class ValuesTest {

    @Test
    void everySmiTypeMapsByItsSyntaxNotItsJavaClass() {
        assertThat(Values.toValue(new Integer32(-7))).isEqualTo(new SnmpValue.Integer32(-7));
        assertThat(Values.toValue(new OctetString(new byte[] {0x4D, (byte) 0xFC})))
                .isEqualTo(new SnmpValue.OctetString(new byte[] {0x4D, (byte) 0xFC}));
        // Opaque extends OctetString in SNMP4J; Counter32, Gauge32 and TimeTicks share UnsignedInteger32
        assertThat(Values.toValue(new Opaque(new byte[] {1, 2}))).isEqualTo(new SnmpValue.Opaque(new byte[] {1, 2}));
        assertThat(Values.toValue(new Counter32(4294967295L))).isEqualTo(new SnmpValue.Counter32(4294967295L));
        assertThat(Values.toValue(new Gauge32(10))).isEqualTo(new SnmpValue.Gauge32(10));
        assertThat(Values.toValue(new UnsignedInteger32(11))).isEqualTo(new SnmpValue.Gauge32(11));
        assertThat(Values.toValue(new TimeTicks(12))).isEqualTo(new SnmpValue.TimeTicks(12));
        assertThat(Values.toValue(new Counter64(-1L))).isEqualTo(new SnmpValue.Counter64(-1L));
        assertThat(Values.toValue(new IpAddress("192.0.2.7"))).isEqualTo(new SnmpValue.IpAddress(new byte[] {(byte) 192, 0, 2, 7}));
        assertThat(Values.toValue(new OID("1.3.6.1.4.1.8072.3.2.10")))
                .isEqualTo(new SnmpValue.ObjectIdentifier(Oid.parse("1.3.6.1.4.1.8072.3.2.10")));
        assertThat(Values.toValue(new Null())).isEqualTo(SnmpValue.NULL);
        assertThat(Values.toValue(Null.noSuchObject)).isEqualTo(SnmpValue.NO_SUCH_OBJECT);
        assertThat(Values.toValue(Null.noSuchInstance)).isEqualTo(SnmpValue.NO_SUCH_INSTANCE);
        assertThat(Values.toValue(Null.endOfMibView)).isEqualTo(SnmpValue.END_OF_MIB_VIEW);
    }

    @Test
    void oidsRoundTripWithUnsignedArcs() {
        Oid oid = Oid.parse("1.3.6.1.2.1.31.1.1.1.6.4294967295");
        assertThat(Values.toOID(oid)).isEqualTo(new OID("1.3.6.1.2.1.31.1.1.1.6.4294967295"));
        assertThat(Values.toOid(Values.toOID(oid))).isEqualTo(oid);
    }
}

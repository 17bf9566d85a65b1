package de.sid.verbund.monitoring.smi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnmpValueTest {

    @Test
    void absentValuesAreNeitherZeroNorEmpty() {
        List<SnmpValue> absent = List.of(SnmpValue.NO_SUCH_OBJECT, SnmpValue.NO_SUCH_INSTANCE, SnmpValue.END_OF_MIB_VIEW);
        for (SnmpValue a : absent) {
            assertThat(a.isAbsent()).as(a.toString()).isTrue();
            assertThat(a).isNotEqualTo(new SnmpValue.Integer32(0))
                    .isNotEqualTo(new SnmpValue.Counter32(0))
                    .isNotEqualTo(new SnmpValue.OctetString(new byte[0]))
                    .isNotEqualTo(SnmpValue.NULL);
        }
        assertThat(SnmpValue.NO_SUCH_OBJECT).isNotEqualTo(SnmpValue.NO_SUCH_INSTANCE);
        assertThat(new SnmpValue.Integer32(0).isAbsent()).isFalse();
        assertThat(new SnmpValue.OctetString(new byte[0]).isAbsent()).isFalse();
        assertThat(SnmpValue.NULL.isAbsent()).isFalse();
        assertThat(absent).extracting(SnmpValue::berTag).containsExactly(128, 129, 130);
    }

    @Test
    void byteValuesAreCopiedAndComparedByContent() {
        byte[] b = {1, 2, 3};
        SnmpValue.OctetString s = new SnmpValue.OctetString(b);
        b[0] = 9;
        assertThat(s.bytes()).containsExactly(1, 2, 3);
        s.bytes()[1] = 9;
        assertThat(s.bytes()).containsExactly(1, 2, 3);
        assertThat(s).isEqualTo(new SnmpValue.OctetString(new byte[] {1, 2, 3}))
                .hasSameHashCodeAs(new SnmpValue.OctetString(new byte[] {1, 2, 3}))
                .isNotEqualTo(new SnmpValue.Opaque(new byte[] {1, 2, 3}));
        assertThat(new SnmpValue.Opaque(new byte[] {1, 2})).isEqualTo(new SnmpValue.Opaque(new byte[] {1, 2}));
    }

    @Test
    void unsignedTypesCheckTheirRange() {
        assertThat(new SnmpValue.Counter32(4294967295L).value()).isEqualTo(4294967295L);
        assertThatThrownBy(() -> new SnmpValue.Counter32(4294967296L)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SnmpValue.Gauge32(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SnmpValue.TimeTicks(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SnmpValue.TimeTicks(12345).toDuration()).isEqualTo(Duration.ofMillis(123450));
    }

    @Test
    void counter64IsUnsigned() {
        SnmpValue.Counter64 max = new SnmpValue.Counter64(-1L);
        assertThat(max.toBigInteger()).isEqualTo(BigInteger.TWO.pow(64).subtract(BigInteger.ONE));
        assertThat(max).hasToString("Counter64: 18446744073709551615");
        assertThat(max.toDouble()).isEqualTo(1.8446744073709552E19);
        assertThat(new SnmpValue.Counter64(9_000_000_000L).toDouble()).isEqualTo(9e9);
    }

    @Test
    void ipAddressHasFourBytes() {
        SnmpValue.IpAddress ip = new SnmpValue.IpAddress(new byte[] {10, 0, (byte) 200, 1});
        assertThat(ip).hasToString("IpAddress: 10.0.200.1");
        assertThat(ip.toInetAddress().getHostAddress()).isEqualTo("10.0.200.1");
        assertThatThrownBy(() -> new SnmpValue.IpAddress(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyBaseTypeHasItsBerTag() {
        assertThat(List.<SnmpValue>of(new SnmpValue.Integer32(-5), SnmpValue.OctetString.ofUtf8("x"), SnmpValue.NULL,
                new SnmpValue.ObjectIdentifier(Oid.parse("1.3")), new SnmpValue.IpAddress(new byte[4]),
                new SnmpValue.Counter32(1), new SnmpValue.Gauge32(1), new SnmpValue.TimeTicks(1),
                new SnmpValue.Opaque(new byte[] {1}), new SnmpValue.Counter64(1)))
                .extracting(SnmpValue::berTag).containsExactly(2, 4, 5, 6, 64, 65, 66, 67, 68, 70);
    }
}

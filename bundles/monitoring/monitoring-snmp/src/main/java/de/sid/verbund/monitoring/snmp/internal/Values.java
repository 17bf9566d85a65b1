package de.sid.verbund.monitoring.snmp.internal;

import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import org.snmp4j.smi.Counter32;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.UnsignedInteger32;
import org.snmp4j.smi.Variable;

/** Conversions between SNMP4J's SMI classes and our value model, by BER syntax (not by Java class: SNMP4J's Gauge32, Counter32 and TimeTicks share a superclass, Opaque extends OctetString). */
final class Values {
    private Values() {
    }

    static Oid toOid(OID oid) {
        return Oid.of(oid.getValue());
    }

    static OID toOID(Oid oid) {
        return new OID(oid.toIntArray());
    }

    /**
     * @param v a variable decoded by SNMP4J
     * @return our value of the same SMI type
     * @throws IllegalArgumentException for a syntax SNMP has no place for
     */
    static SnmpValue toValue(Variable v) {
        int syntax = v.getSyntax();
        return switch (syntax) {
            case SMIConstants.SYNTAX_INTEGER -> new SnmpValue.Integer32(((Integer32) v).getValue());
            case SMIConstants.SYNTAX_OCTET_STRING -> new SnmpValue.OctetString(((OctetString) v).getValue());
            case SMIConstants.SYNTAX_NULL -> SnmpValue.NULL;
            case SMIConstants.SYNTAX_OBJECT_IDENTIFIER -> new SnmpValue.ObjectIdentifier(toOid((OID) v));
            case SMIConstants.SYNTAX_IPADDRESS -> ipAddress((IpAddress) v);
            case SMIConstants.SYNTAX_COUNTER32 -> new SnmpValue.Counter32(((Counter32) v).getValue());
            case SMIConstants.SYNTAX_GAUGE32 -> new SnmpValue.Gauge32(((UnsignedInteger32) v).getValue());
            case SMIConstants.SYNTAX_TIMETICKS -> new SnmpValue.TimeTicks(((UnsignedInteger32) v).getValue());
            case SMIConstants.SYNTAX_OPAQUE -> new SnmpValue.Opaque(((OctetString) v).getValue());
            case SMIConstants.SYNTAX_COUNTER64 -> new SnmpValue.Counter64(((Counter64) v).getValue());
            case SMIConstants.EXCEPTION_NO_SUCH_OBJECT -> SnmpValue.NO_SUCH_OBJECT;
            case SMIConstants.EXCEPTION_NO_SUCH_INSTANCE -> SnmpValue.NO_SUCH_INSTANCE;
            case SMIConstants.EXCEPTION_END_OF_MIB_VIEW -> SnmpValue.END_OF_MIB_VIEW;
            default -> throw new IllegalArgumentException("unknown SNMP syntax " + syntax + ": " + v);
        };
    }

    private static SnmpValue ipAddress(IpAddress ip) {
        byte[] b = ip.toByteArray();
        // an agent may send an IpAddress of another length; keep the bytes rather than fail the row
        return b.length == 4 ? new SnmpValue.IpAddress(b) : new SnmpValue.OctetString(b);
    }
}

package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.monitoring.smi.OctetStrings;
import java.util.LinkedHashMap;
import java.util.Map;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.UnsignedInteger32;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * The {@code varbinds} entries of a trap event ({@link de.sid.verbund.monitoring.trap.TrapEvents#VARBINDS}):
 * {@code {oid, type, value}} with the SMI type name and the value as text that is always safe in
 * JSON, logs and labels.
 */
final class VarbindText {
    private VarbindText() {
    }

    /** @return {@code {oid: dotted, type: SMI type name, value: text}} */
    static Map<String, Object> of(VariableBinding vb) {
        Map<String, Object> m = new LinkedHashMap<>(4);
        m.put("oid", dotted(vb.getOid()));
        m.put("type", type(vb.getVariable()));
        m.put("value", value(vb.getVariable()));
        return m;
    }

    /** @return dotted decimal; an empty OID (which BER allows) as "" */
    static String dotted(OID oid) {
        return oid.size() == 0 ? "" : oid.toDottedString();
    }

    /**
     * @return the SMIv2 type name (RFC 2578 7.1: {@code Integer32}, {@code OctetString},
     *         {@code ObjectIdentifier}, {@code IpAddress}, {@code Counter32}, {@code Gauge32},
     *         {@code TimeTicks}, {@code Opaque}, {@code Counter64}), {@code Null}, or one of RFC 3416's
     *         exception values ({@code noSuchObject}, {@code noSuchInstance}, {@code endOfMibView})
     */
    static String type(Variable v) {
        return switch (v.getSyntax()) {
            case SMIConstants.SYNTAX_INTEGER -> "Integer32";
            case SMIConstants.SYNTAX_OCTET_STRING -> "OctetString";
            case SMIConstants.SYNTAX_NULL -> "Null";
            case SMIConstants.SYNTAX_OBJECT_IDENTIFIER -> "ObjectIdentifier";
            case SMIConstants.SYNTAX_IPADDRESS -> "IpAddress";
            case SMIConstants.SYNTAX_COUNTER32 -> "Counter32";
            case SMIConstants.SYNTAX_GAUGE32 -> "Gauge32";
            case SMIConstants.SYNTAX_TIMETICKS -> "TimeTicks";
            case SMIConstants.SYNTAX_OPAQUE -> "Opaque";
            case SMIConstants.SYNTAX_COUNTER64 -> "Counter64";
            case SMIConstants.EXCEPTION_NO_SUCH_OBJECT -> "noSuchObject";
            case SMIConstants.EXCEPTION_NO_SUCH_INSTANCE -> "noSuchInstance";
            case SMIConstants.EXCEPTION_END_OF_MIB_VIEW -> "endOfMibView";
            default -> "syntax " + v.getSyntax();
        };
    }

    /**
     * @return numbers in decimal (Counter64 unsigned), OIDs dotted, IpAddress as a dotted quad, Opaque as
     *         {@code 0x…} hex, exception values and NULL as {@code ""}; an OCTET STRING as text
     *         ({@link OctetStrings#displayString}: UTF-8 or ISO-8859-1, control characters escaped) when
     *         it looks like text, else as {@code 0x…} hex ({@link OctetStrings#hex}): a trap does not say
     *         which textual convention its octet strings have, and binary ones (MAC addresses, bit
     *         strings, DateAndTime) would turn into escapes
     */
    static String value(Variable v) {
        return switch (v.getSyntax()) {
            case SMIConstants.SYNTAX_INTEGER -> Integer.toString(((Integer32) v).getValue());
            case SMIConstants.SYNTAX_OCTET_STRING -> octets(((OctetString) v).getValue());
            case SMIConstants.SYNTAX_OBJECT_IDENTIFIER -> dotted((OID) v);
            case SMIConstants.SYNTAX_IPADDRESS -> ((IpAddress) v).getInetAddress().getHostAddress();
            case SMIConstants.SYNTAX_COUNTER32, SMIConstants.SYNTAX_GAUGE32, SMIConstants.SYNTAX_TIMETICKS ->
                    Long.toString(((UnsignedInteger32) v).getValue());
            case SMIConstants.SYNTAX_OPAQUE -> OctetStrings.hex(((OctetString) v).getValue());
            case SMIConstants.SYNTAX_COUNTER64 -> Long.toUnsignedString(((Counter64) v).getValue());
            default -> "";
        };
    }

    /**
     * Text when every byte is printable in UTF-8 or ISO-8859-1 (no C0 control characters but tab, CR
     * and LF, no DEL; trailing NULs of C strings allowed), else hex.
     */
    static String octets(byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] == 0) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            int b = bytes[i] & 0xFF;
            if ((b < 0x20 && b != '\t' && b != '\r' && b != '\n') || b == 0x7F) {
                return OctetStrings.hex(bytes);
            }
        }
        return OctetStrings.displayString(bytes);
    }
}

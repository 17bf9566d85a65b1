package de.sid.verbund.monitoring.inventory;

import de.sid.verbund.monitoring.WalkEnd;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.OctetStrings;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.monitoring.smi.VarBind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * A subtree of a device walked on an operator's request ({@code verbund:device-walk},
 * {@code GET /api/devices/{id}/walk}), every value rendered as text that is safe in JSON, a
 * terminal and a log line.
 *
 * @param device the device's name
 * @param root the subtree walked, e.g. {@code 1.3.6.1.2.1.2.2.1.2}
 * @param rows the rows, in OID order, at most the limit asked for
 * @param truncated true if the subtree may hold more rows than returned (the limit was reached)
 * @param partial true if the walk did not reach the end of the subtree normally: the agent
 *        misbehaved, stopped answering or failed (see {@code end}), or the limit was reached
 * @param end why the walk stopped ({@link WalkEnd#REQUEST_CAP} when the limit stopped it)
 * @param detail what went wrong, for the operator, or {@code ""}
 * @param requests SNMP requests sent
 */
public record DeviceWalk(String device, String root, List<Row> rows, boolean truncated, boolean partial, WalkEnd end,
                         String detail, int requests) {
    public DeviceWalk {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(detail, "detail");
        rows = List.copyOf(rows);
    }

    /**
     * @param device the device's name
     * @param walk the walk
     * @param limit the most rows to keep (1 or more)
     * @return the walk's first {@code limit} rows rendered; truncated if it had more, or stopped at
     *         its request cap
     */
    public static DeviceWalk of(String device, WalkResult walk, int limit) {
        List<VarBind> rows = walk.rows();
        boolean truncated = rows.size() > limit || walk.end() == WalkEnd.REQUEST_CAP;
        List<Row> out = rows.subList(0, Math.min(limit, rows.size())).stream().map(Row::of).toList();
        return new DeviceWalk(device, walk.root().toString(), out, truncated, truncated || walk.isPartial(), walk.end(),
                walk.detail(), walk.requests());
    }

    /**
     * One variable binding as text.
     *
     * @param oid the object instance, dotted
     * @param type the SMIv2 type: {@code Integer32}, {@code OctetString}, {@code ObjectIdentifier},
     *        {@code IpAddress}, {@code Counter32}, {@code Gauge32}, {@code TimeTicks}, {@code Opaque},
     *        {@code Counter64}, {@code Null}, or the exception {@code noSuchObject},
     *        {@code noSuchInstance}, {@code endOfMibView}
     * @param value numbers in decimal (Counter64 unsigned), TimeTicks in hundredths of a second,
     *        OIDs dotted, IP addresses dotted; an OctetString that is UTF-8 text as text (a control
     *        character as {@code \xNN}), any other OctetString and Opaque as {@code 0x} and hex digits;
     *        {@code ""} for Null and the exceptions
     * @param hex true when {@code value} is the bytes in hex, not text
     */
    public record Row(String oid, String type, String value, boolean hex) {
        /** @return the binding rendered as described above */
        public static Row of(VarBind vb) {
            String oid = vb.oid().toString();
            SnmpValue v = vb.value();
            if (v instanceof SnmpValue.Integer32 i) {
                return new Row(oid, "Integer32", Integer.toString(i.value()), false);
            } else if (v instanceof SnmpValue.OctetString s) {
                byte[] b = s.bytes();
                return isText(b) ? new Row(oid, "OctetString", OctetStrings.displayString(b), false)
                        : new Row(oid, "OctetString", OctetStrings.hex(b), true);
            } else if (v instanceof SnmpValue.ObjectIdentifier o) {
                return new Row(oid, "ObjectIdentifier", o.value().toString(), false);
            } else if (v instanceof SnmpValue.IpAddress a) {
                return new Row(oid, "IpAddress", a.toInetAddress().getHostAddress(), false);
            } else if (v instanceof SnmpValue.Counter32 c) {
                return new Row(oid, "Counter32", Long.toString(c.value()), false);
            } else if (v instanceof SnmpValue.Gauge32 g) {
                return new Row(oid, "Gauge32", Long.toString(g.value()), false);
            } else if (v instanceof SnmpValue.TimeTicks t) {
                return new Row(oid, "TimeTicks", Long.toString(t.value()), false);
            } else if (v instanceof SnmpValue.Opaque o) {
                return new Row(oid, "Opaque", OctetStrings.hex(o.bytes()), true);
            } else if (v instanceof SnmpValue.Counter64 c) {
                return new Row(oid, "Counter64", c.toBigInteger().toString(), false);
            } else if (v instanceof SnmpValue.NoSuchObject) {
                return new Row(oid, "noSuchObject", "", false);
            } else if (v instanceof SnmpValue.NoSuchInstance) {
                return new Row(oid, "noSuchInstance", "", false);
            } else if (v instanceof SnmpValue.EndOfMibView) {
                return new Row(oid, "endOfMibView", "", false);
            }
            return new Row(oid, "Null", "", false);
        }

        /**
         * Text: valid UTF-8 (strict), no control characters but tab, line feed and carriage return,
         * NUL bytes only at the end (C strings).
         */
        static boolean isText(byte[] b) {
            int end = b.length;
            while (end > 0 && b[end - 1] == 0) {
                end--;
            }
            String s;
            try {
                s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b, 0, end)).toString();
            } catch (CharacterCodingException e) {
                return false;
            }
            return s.codePoints().noneMatch(c -> Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n'
                    && c != '\r');
        }
    }
}

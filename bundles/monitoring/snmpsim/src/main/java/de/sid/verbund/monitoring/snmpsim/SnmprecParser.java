package de.sid.verbund.monitoring.snmpsim;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
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
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Reads a {@code .snmprec} file: one record per line, {@code OID|TYPE|VALUE}, as snmpsim 0.4
 * reads it. A line is stripped of ASCII white space at both ends; blank lines and lines starting
 * with {@code #} are skipped; the value is everything after the second {@code |}.
 *
 * <p>Types (the BER tag number): 2 Integer32, 4 OctetString, 5 Null, 6 OBJECT IDENTIFIER,
 * 64 IpAddress, 65 Counter32, 66 Gauge32, 67 TimeTicks, 68 Opaque, 70 Counter64. A suffix
 * {@code x} gives an OctetString, Opaque or IpAddress value in hex ({@code 4x|DEADBEEF}), a
 * suffix {@code e} in Python escapes ({@code 4e|a\x00b\n}). A plain IpAddress is dotted
 * ({@code 64|10.0.0.1}).
 *
 * <p>What cannot be served as written is reported as a {@link SnmprecProblem} with file and
 * line, and the line is skipped: non-numeric OIDs (snmpsimd dies when a request reaches such a
 * line), unknown types, snmpsim variation modules ({@code 2:numeric|...}), values out of range
 * for their type. Records out of order are sorted, of duplicate OIDs the last one is kept
 * (snmpsimd's GET answers with the last one), both with a problem reported, because snmpsimd
 * assumes sorted, unique files and answers such files inconsistently.
 */
public final class SnmprecParser {
    private static final long MAX_UNSIGNED32 = 0xFFFF_FFFFL;
    private static final BigInteger MAX_UNSIGNED64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /** The records of a file and what was wrong with it. */
    public record Result(RecordTable table, List<SnmprecProblem> problems) {
    }

    private SnmprecParser() {
    }

    /** Reads {@code file} as the records of {@code community}. */
    public static Result parse(Path file, String community) throws IOException {
        return parse(file, community, Files.readAllBytes(file));
    }

    /** Parses {@code content}; {@code file} names the source in problems only. */
    public static Result parse(Path file, String community, byte[] content) {
        List<SnmprecProblem> problems = new ArrayList<>();
        TreeMap<OID, VariableBinding> records = new TreeMap<>();
        OID previous = null;
        boolean reportedOrder = false;
        int lineNo = 0;
        int start = 0;
        while (start < content.length) {
            int end = indexOf(content, (byte) '\n', start);
            int next = end < 0 ? content.length : end + 1;
            lineNo++;
            int from = start;
            int to = end < 0 ? content.length : end;
            start = next;
            while (from < to && isSpace(content[from])) {
                from++;
            }
            while (to > from && isSpace(content[to - 1])) {
                to--;
            }
            if (from == to || content[from] == '#') {
                continue;
            }
            VariableBinding vb;
            try {
                vb = parseRecord(content, from, to);
            } catch (IllegalArgumentException e) {
                problems.add(new SnmprecProblem(file, lineNo, e.getMessage() + ": line skipped"));
                continue;
            }
            OID oid = vb.getOid();
            if (records.put(oid, vb) != null) {
                problems.add(new SnmprecProblem(file, lineNo, "duplicate OID " + oid
                        + ": the last record is kept (snmpsimd answers GET with the last, GETNEXT with the first)"));
            }
            if (previous != null && previous.compareTo(oid) > 0 && !reportedOrder) {
                reportedOrder = true;
                problems.add(new SnmprecProblem(file, lineNo, "OID " + oid + " is out of order (after " + previous
                        + "): records are sorted here, snmpsimd answers unsorted files inconsistently"));
            }
            previous = oid;
        }
        return new Result(new RecordTable(community, new ArrayList<>(records.values())), List.copyOf(problems));
    }

    private static VariableBinding parseRecord(byte[] b, int from, int to) {
        int bar1 = indexOf(b, (byte) '|', from, to);
        int bar2 = bar1 < 0 ? -1 : indexOf(b, (byte) '|', bar1 + 1, to);
        if (bar2 < 0 || bar1 == from || bar2 == bar1 + 1) {
            throw new IllegalArgumentException("not a record (OID|TYPE|VALUE)");
        }
        String oidText = new String(b, from, bar1 - from, StandardCharsets.ISO_8859_1);
        String tag = new String(b, bar1 + 1, bar2 - bar1 - 1, StandardCharsets.ISO_8859_1);
        byte[] raw = Arrays.copyOfRange(b, bar2 + 1, to);
        OID oid = parseOid(oidText);
        return new VariableBinding(oid, parseValue(tag, raw));
    }

    /** A canonical dotted-decimal OID of at least two arcs, each 0..2^32-1. */
    static OID parseOid(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("OID '" + text + "' has fewer than two arcs");
        }
        int[] arcs = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (!p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("OID '" + text + "' is not numeric"
                        + " (snmpsimd dies when a request reaches such a line)");
            }
            if (p.isEmpty() || (p.length() > 1 && p.charAt(0) == '0')) {
                throw new IllegalArgumentException("OID '" + text + "' is not canonical dotted decimal"
                        + " (snmpsimd cannot find it by GET and loops on it in GETNEXT)");
            }
            if (p.length() > 10) {
                throw new IllegalArgumentException("OID '" + text + "' has an arc above 2^32-1");
            }
            long v = Long.parseLong(p);
            if (v > MAX_UNSIGNED32) {
                throw new IllegalArgumentException("OID '" + text + "' has an arc above 2^32-1");
            }
            arcs[i] = (int) v;
        }
        if (arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40)) {
            throw new IllegalArgumentException("OID '" + text + "' cannot be BER-encoded (first arcs " + arcs[0] + "."
                    + (arcs[1] & MAX_UNSIGNED32) + ")");
        }
        return new OID(arcs);
    }

    /** An OID value as pyasn1 reads it: empty arcs are ignored, each arc a decimal integer. */
    static OID parseOidValue(String text) {
        List<Long> arcs = new ArrayList<>();
        for (String p : text.split("\\.")) {
            if (!p.isEmpty()) {
                arcs.add(integer(p, 0, MAX_UNSIGNED32, "OID arc"));
            }
        }
        if (arcs.size() < 2 || arcs.get(0) > 2 || (arcs.get(0) < 2 && arcs.get(1) >= 40)) {
            throw new IllegalArgumentException("OID value '" + text + "' cannot be BER-encoded");
        }
        int[] value = new int[arcs.size()];
        for (int i = 0; i < value.length; i++) {
            value[i] = (int) (long) arcs.get(i);
        }
        return new OID(value);
    }

    static Variable parseValue(String tag, byte[] raw) {
        if (tag.indexOf(':') >= 0) {
            throw new IllegalArgumentException("type '" + tag + "' uses an snmpsim variation module, which is not supported");
        }
        char encoding = 0;
        String type = tag;
        if (tag.endsWith("x") || tag.endsWith("e")) {
            encoding = tag.charAt(tag.length() - 1);
            type = tag.substring(0, tag.length() - 1);
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        switch (type) {
            case "4", "68" -> {
                byte[] value = encoding == 'x' ? hex(text) : encoding == 'e' ? unescape(text) : raw;
                return "4".equals(type) ? new OctetString(value) : new Opaque(value);
            }
            case "64" -> {
                byte[] value;
                if (encoding == 'x') {
                    value = hex(text);
                } else if (encoding == 0) {
                    value = raw.length == 4 ? raw : dottedQuad(text);
                } else {
                    throw unsupported(tag);
                }
                if (value.length != 4) {
                    throw new IllegalArgumentException("IpAddress '" + text + "' is not 4 bytes");
                }
                return new IpAddress(value);
            }
            default -> {
                // no encodings for the other types
            }
        }
        if (encoding != 0) {
            throw unsupported(tag);
        }
        return switch (type) {
            case "2" -> new Integer32((int) integer(text, Integer.MIN_VALUE, Integer.MAX_VALUE, "Integer32"));
            case "65" -> new Counter32(integer(text, 0, MAX_UNSIGNED32, "Counter32"));
            case "66" -> new Gauge32(integer(text, 0, MAX_UNSIGNED32, "Gauge32"));
            case "67" -> new TimeTicks(integer(text, 0, MAX_UNSIGNED32, "TimeTicks"));
            case "70" -> new Counter64(counter64(text));
            case "5" -> {
                if (!text.isEmpty()) {
                    throw new IllegalArgumentException("a Null has no value, not '" + text + "'");
                }
                yield new Null();
            }
            case "6" -> parseOidValue(text);
            default -> throw unsupported(tag);
        };
    }

    private static IllegalArgumentException unsupported(String tag) {
        return new IllegalArgumentException("unsupported type '" + tag
                + "' (known: 2, 4, 4x, 4e, 5, 6, 64, 64x, 65, 66, 67, 68, 68x, 68e, 70)");
    }

    private static long integer(String text, long min, long max, String type) {
        text = text.strip();
        BigInteger v;
        try {
            v = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(type + " '" + text + "' is not an integer");
        }
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException(type + " " + text + " is out of range " + min + ".." + max);
        }
        return v.longValue();
    }

    private static long counter64(String text) {
        text = text.strip();
        BigInteger v;
        try {
            v = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Counter64 '" + text + "' is not an integer");
        }
        if (v.signum() < 0 || v.compareTo(MAX_UNSIGNED64) > 0) {
            throw new IllegalArgumentException("Counter64 " + text + " is out of range 0..2^64-1");
        }
        return v.longValue();
    }

    /** Hex digits to bytes; an odd last digit is the high nibble of a last byte (as pyasn1 does). */
    static byte[] hex(String text) {
        byte[] out = new byte[(text.length() + 1) / 2];
        for (int i = 0; i < text.length(); i++) {
            int d = Character.digit(text.charAt(i), 16);
            if (d < 0) {
                throw new IllegalArgumentException("'" + abbreviate(text) + "' is not hex");
            }
            out[i / 2] |= (byte) (i % 2 == 0 ? d << 4 : d);
        }
        return out;
    }

    private static byte[] dottedQuad(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("IpAddress '" + text + "' is not a dotted quad");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            long v = integer(parts[i].trim(), 0, 255, "IpAddress part");
            out[i] = (byte) v;
        }
        return out;
    }

    /** Python string-literal escapes, as snmpsim's {@code e} encoding reads them. */
    static byte[] unescape(String text) {
        byte[] out = new byte[text.length()];
        int n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                out[n++] = (byte) c;
                continue;
            }
            if (++i >= text.length()) {
                throw new IllegalArgumentException("'" + abbreviate(text) + "' ends in a lone backslash");
            }
            char e = text.charAt(i);
            int v = switch (e) {
                case '\\' -> '\\';
                case '\'' -> '\'';
                case '"' -> '"';
                case 'a' -> 7;
                case 'b' -> 8;
                case 'f' -> 12;
                case 'n' -> 10;
                case 'r' -> 13;
                case 't' -> 9;
                case 'v' -> 11;
                case 'x' -> {
                    int hi = i + 1 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
                    int lo = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
                    if (hi < 0 || lo < 0) {
                        throw new IllegalArgumentException("'" + abbreviate(text) + "' has a bad \\x escape");
                    }
                    i += 2;
                    yield hi << 4 | lo;
                }
                default -> throw new IllegalArgumentException("'" + abbreviate(text) + "' has an unknown escape \\" + e);
            };
            out[n++] = (byte) v;
        }
        return Arrays.copyOf(out, n);
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }

    private static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == 0x0c;
    }

    private static int indexOf(byte[] b, byte c, int from) {
        return indexOf(b, c, from, b.length);
    }

    private static int indexOf(byte[] b, byte c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}

package de.sid.verbund.monitoring.smi;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A value as carried in an SNMP variable binding: one of the SMIv2 base types (RFC 2578
 * section 7.1), the ASN.1 {@code NULL}, or one of the three exception values of RFC 3416
 * section 3 ({@code noSuchObject}, {@code noSuchInstance}, {@code endOfMibView}).
 *
 * <p>The exception values are {@linkplain #isAbsent() absent} values: they say that the agent
 * has no value, and are never equal to, or converted into, {@code 0} or an empty string. An
 * SNMPv1 {@code noSuchName} error for a GET is reported as {@link NoSuchObject} (v1 cannot
 * tell object and instance apart).
 *
 * <p>All implementations are immutable records; byte contents are copied in and out and
 * compared by content.
 */
public sealed interface SnmpValue {
    /** The {@code noSuchObject} exception value. */
    NoSuchObject NO_SUCH_OBJECT = new NoSuchObject();
    /** The {@code noSuchInstance} exception value. */
    NoSuchInstance NO_SUCH_INSTANCE = new NoSuchInstance();
    /** The {@code endOfMibView} exception value. */
    EndOfMibView END_OF_MIB_VIEW = new EndOfMibView();
    /** The ASN.1 {@code NULL} value. */
    Null NULL = new Null();

    /**
     * @return true for the RFC 3416 exception values ({@code noSuchObject}, {@code
     *         noSuchInstance}, {@code endOfMibView}): the agent holds no value here
     */
    default boolean isAbsent() {
        return false;
    }

    /** @return the ASN.1/BER tag of the type on the wire (2, 4, 5, 6, 64, 65, 66, 67, 68, 70, 128, 129, 130) */
    int berTag();

    /** {@code INTEGER} / {@code Integer32}: a signed 32-bit number (tag 2). */
    record Integer32(int value) implements SnmpValue {
        @Override
        public int berTag() {
            return 2;
        }

        @Override
        public String toString() {
            return "INTEGER: " + value;
        }
    }

    /**
     * {@code OCTET STRING}: 0 to 65535 bytes (tag 4). How to show it depends on its textual
     * convention: see {@link OctetStrings}.
     */
    record OctetString(byte[] bytes) implements SnmpValue {
        public OctetString {
            bytes = bytes.clone();
        }

        /** @param text encoded as UTF-8 */
        public static OctetString ofUtf8(String text) {
            return new OctetString(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** @return a copy of the bytes */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** @return the number of bytes */
        public int length() {
            return bytes.length;
        }

        @Override
        public int berTag() {
            return 4;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OctetString other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        /** @return {@code STRING: } and the bytes as rendered by {@link OctetStrings#displayString(byte[])} */
        @Override
        public String toString() {
            return "STRING: " + OctetStrings.displayString(bytes);
        }
    }

    /** {@code OBJECT IDENTIFIER} (tag 6). */
    record ObjectIdentifier(Oid value) implements SnmpValue {
        public ObjectIdentifier {
            java.util.Objects.requireNonNull(value, "value");
        }

        @Override
        public int berTag() {
            return 6;
        }

        @Override
        public String toString() {
            return "OID: " + value;
        }
    }

    /** {@code IpAddress}: an IPv4 address, exactly 4 bytes in network order (RFC 2578 7.1.5, tag 64). */
    record IpAddress(byte[] bytes) implements SnmpValue {
        public IpAddress {
            if (bytes.length != 4) {
                throw new IllegalArgumentException("an IpAddress has 4 bytes, not " + bytes.length);
            }
            bytes = bytes.clone();
        }

        /** @return a copy of the 4 bytes */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        /** @return the address as a Java {@link InetAddress} (no name lookup) */
        public InetAddress toInetAddress() {
            try {
                return InetAddress.getByAddress(bytes);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int berTag() {
            return 64;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IpAddress other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        /** @return {@code IpAddress: } and the dotted quad */
        @Override
        public String toString() {
            return "IpAddress: " + (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + "." + (bytes[3] & 0xFF);
        }
    }

    /**
     * {@code Counter32}: a non-negative count, 0 to 2^32-1, that wraps to 0 after its maximum
     * (RFC 2578 section 7.1.6, tag 65). Only its differences mean something: see
     * {@link de.sid.verbund.monitoring.CounterRates}.
     */
    record Counter32(long value) implements SnmpValue {
        public Counter32 {
            requireUnsigned32(value, "Counter32");
        }

        @Override
        public int berTag() {
            return 65;
        }

        @Override
        public String toString() {
            return "Counter32: " + value;
        }
    }

    /** {@code Gauge32} (= {@code Unsigned32}): 0 to 2^32-1, latches at its maximum (RFC 2578 7.1.7, tag 66). */
    record Gauge32(long value) implements SnmpValue {
        public Gauge32 {
            requireUnsigned32(value, "Gauge32");
        }

        @Override
        public int berTag() {
            return 66;
        }

        @Override
        public String toString() {
            return "Gauge32: " + value;
        }
    }

    /** {@code TimeTicks}: hundredths of a second, 0 to 2^32-1, modulo 2^32 (RFC 2578 7.1.8, tag 67). */
    record TimeTicks(long value) implements SnmpValue {
        public TimeTicks {
            requireUnsigned32(value, "TimeTicks");
        }

        /** @return the value as a duration (1 tick = 10 ms) */
        public Duration toDuration() {
            return Duration.ofMillis(value * 10);
        }

        @Override
        public int berTag() {
            return 67;
        }

        @Override
        public String toString() {
            return "Timeticks: " + value;
        }
    }

    /** {@code Opaque}: BER-wrapped bytes of any ASN.1 type (RFC 2578 7.1.9, tag 68), kept as they came. */
    record Opaque(byte[] bytes) implements SnmpValue {
        public Opaque {
            bytes = bytes.clone();
        }

        /** @return a copy of the bytes */
        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public int berTag() {
            return 68;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Opaque other && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Opaque: " + HexFormat.of().withUpperCase().formatHex(bytes);
        }
    }

    /**
     * {@code Counter64}: a count 0 to 2^64-1 (RFC 2578 7.1.10, tag 70), held in a Java
     * {@code long} read as <em>unsigned</em>: use {@link #toBigInteger()}, {@link #toDouble()}
     * or {@link Long#toUnsignedString(long)}, never the raw {@code long} as a number.
     */
    record Counter64(long value) implements SnmpValue {
        /** @return the unsigned value */
        public BigInteger toBigInteger() {
            return new BigInteger(Long.toUnsignedString(value));
        }

        /** @return the unsigned value as a double (exact below 2^53) */
        public double toDouble() {
            return value >= 0 ? value : (double) (value >>> 1) * 2.0 + (value & 1);
        }

        @Override
        public int berTag() {
            return 70;
        }

        @Override
        public String toString() {
            return "Counter64: " + Long.toUnsignedString(value);
        }
    }

    /** ASN.1 {@code NULL} (tag 5): what a request carries; an agent should not answer with it. */
    record Null() implements SnmpValue {
        @Override
        public int berTag() {
            return 5;
        }

        @Override
        public String toString() {
            return "NULL";
        }
    }

    /** RFC 3416 {@code noSuchObject} (tag 128): the agent implements no such object type. Absent. */
    record NoSuchObject() implements SnmpValue {
        @Override
        public boolean isAbsent() {
            return true;
        }

        @Override
        public int berTag() {
            return 128;
        }

        @Override
        public String toString() {
            return "noSuchObject";
        }
    }

    /** RFC 3416 {@code noSuchInstance} (tag 129): the object type exists, this instance does not. Absent. */
    record NoSuchInstance() implements SnmpValue {
        @Override
        public boolean isAbsent() {
            return true;
        }

        @Override
        public int berTag() {
            return 129;
        }

        @Override
        public String toString() {
            return "noSuchInstance";
        }
    }

    /** RFC 3416 {@code endOfMibView} (tag 130): nothing follows in the agent's view; ends a walk. Absent. */
    record EndOfMibView() implements SnmpValue {
        @Override
        public boolean isAbsent() {
            return true;
        }

        @Override
        public int berTag() {
            return 130;
        }

        @Override
        public String toString() {
            return "endOfMibView";
        }
    }

    private static void requireUnsigned32(long value, String type) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException(type + " is 0 to 4294967295, not " + value);
        }
    }
}

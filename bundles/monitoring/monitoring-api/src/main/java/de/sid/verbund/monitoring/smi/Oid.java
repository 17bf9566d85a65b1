package de.sid.verbund.monitoring.smi;

import java.util.Arrays;

/**
 * An SNMP object identifier (RFC 2578 section 7.1.3): a sequence of 1 to 128 sub-identifiers,
 * each an unsigned 32-bit number (0 to 4,294,967,295).
 *
 * <p>Immutable. {@link #compareTo Ordering} is the lexicographic order SNMP uses for GETNEXT
 * and GETBULK (RFC 3416 section 4.2.2): sub-identifiers compared as unsigned numbers, a prefix
 * before every OID it is a prefix of. The text form is dotted decimal without a leading dot,
 * e.g. {@code 1.3.6.1.2.1.1.3.0}.
 */
public final class Oid implements Comparable<Oid> {
    /** RFC 2578 section 3.5: at most 128 sub-identifiers. */
    public static final int MAX_LENGTH = 128;

    private final int[] arcs;
    private final int hash;

    private Oid(int[] arcs) {
        if (arcs.length == 0 || arcs.length > MAX_LENGTH) {
            throw new IllegalArgumentException("an OID has 1 to " + MAX_LENGTH + " sub-identifiers, not " + arcs.length);
        }
        this.arcs = arcs;
        this.hash = Arrays.hashCode(arcs);
    }

    /**
     * @param dotted dotted decimal, a leading dot allowed ({@code .1.3.6.1.2.1.1.3.0})
     * @return the OID
     * @throws IllegalArgumentException if the text is not 1 to 128 unsigned 32-bit numbers
     *         separated by dots
     */
    public static Oid parse(String dotted) {
        String s = dotted.startsWith(".") ? dotted.substring(1) : dotted;
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty OID: '" + dotted + "'");
        }
        String[] parts = s.split("\\.", -1);
        int[] arcs = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 10 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("not an OID: '" + dotted + "'");
            }
            long v = Long.parseLong(p);
            if (v > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("sub-identifier " + p + " above 4294967295 in '" + dotted + "'");
            }
            arcs[i] = (int) v;
        }
        return new Oid(arcs);
    }

    /**
     * @param arcs the sub-identifiers, each read as unsigned 32-bit ({@code -1} is 4294967295)
     * @return the OID (the array is copied)
     */
    public static Oid of(int... arcs) {
        return new Oid(arcs.clone());
    }

    /** @return the number of sub-identifiers (1 to 128) */
    public int size() {
        return arcs.length;
    }

    /**
     * @param index 0-based position
     * @return the sub-identifier at {@code index}, 0 to 4,294,967,295
     */
    public long arc(int index) {
        return Integer.toUnsignedLong(arcs[index]);
    }

    /** @return a copy of the sub-identifiers as Java ints (unsigned values above 2^31-1 are negative) */
    public int[] toIntArray() {
        return arcs.clone();
    }

    /**
     * @param prefix another OID
     * @return true if this OID starts with every sub-identifier of {@code prefix} (an OID starts
     *         with itself)
     */
    public boolean startsWith(Oid prefix) {
        if (prefix.arcs.length > arcs.length) {
            return false;
        }
        for (int i = 0; i < prefix.arcs.length; i++) {
            if (arcs[i] != prefix.arcs[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param more sub-identifiers to append (unsigned 32-bit)
     * @return this OID followed by {@code more}, e.g. a column OID plus a row index
     */
    public Oid append(int... more) {
        int[] a = Arrays.copyOf(arcs, arcs.length + more.length);
        System.arraycopy(more, 0, a, arcs.length, more.length);
        return new Oid(a);
    }

    /**
     * @param more another OID
     * @return this OID followed by all of {@code more}'s sub-identifiers
     */
    public Oid append(Oid more) {
        return append(more.arcs);
    }

    /**
     * The part after a prefix: for a table cell OID and its column OID, the row index
     * ({@code 1.3.6.1.2.1.2.2.1.2.7} after {@code 1.3.6.1.2.1.2.2.1.2} is {@code 7}).
     *
     * @param prefix a proper prefix of this OID
     * @return the remaining sub-identifiers
     * @throws IllegalArgumentException if {@code prefix} is not a proper prefix of this OID
     */
    public Oid suffixAfter(Oid prefix) {
        if (!startsWith(prefix) || prefix.arcs.length == arcs.length) {
            throw new IllegalArgumentException(prefix + " is not a proper prefix of " + this);
        }
        return new Oid(Arrays.copyOfRange(arcs, prefix.arcs.length, arcs.length));
    }

    /**
     * SNMP's lexicographic order (RFC 3416 section 4.2.2): sub-identifiers compared one by one
     * as unsigned numbers; if one OID is a prefix of the other, the shorter comes first.
     */
    @Override
    public int compareTo(Oid other) {
        int n = Math.min(arcs.length, other.arcs.length);
        for (int i = 0; i < n; i++) {
            int c = Integer.compareUnsigned(arcs[i], other.arcs[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(arcs.length, other.arcs.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Oid other && hash == other.hash && Arrays.equals(arcs, other.arcs);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    /** @return dotted decimal without a leading dot */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(arcs.length * 4);
        for (int i = 0; i < arcs.length; i++) {
            if (i > 0) {
                b.append('.');
            }
            b.append(Integer.toUnsignedString(arcs[i]));
        }
        return b.toString();
    }
}

package de.sid.verbund.monitoring.snmpsim;

import java.util.Arrays;
import java.util.List;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.VariableBinding;

/**
 * The records of one community, sorted by OID (SNMP's lexicographic order), immutable.
 * Lookups are binary searches over an array; the bindings are shared by every response and
 * must not be changed.
 */
public final class RecordTable {
    private final String community;
    private final OID[] oids;
    private final VariableBinding[] bindings;
    private final int maxBindingLength;

    /**
     * @param community the community name that selects this table
     * @param sorted bindings in strictly increasing OID order
     * @throws IllegalArgumentException if the bindings are not strictly increasing
     */
    public RecordTable(String community, List<VariableBinding> sorted) {
        this.community = community;
        this.bindings = sorted.toArray(new VariableBinding[0]);
        this.oids = new OID[bindings.length];
        int max = 0;
        for (int i = 0; i < bindings.length; i++) {
            oids[i] = bindings[i].getOid();
            if (i > 0 && oids[i - 1].compareTo(oids[i]) >= 0) {
                throw new IllegalArgumentException(community + ": OIDs not strictly increasing at " + oids[i]);
            }
            max = Math.max(max, bindings[i].getBERLength());
        }
        this.maxBindingLength = max;
    }

    public String community() {
        return community;
    }

    public int size() {
        return bindings.length;
    }

    /** The binding at {@code index} (0 ≤ index &lt; size). */
    public VariableBinding at(int index) {
        return bindings[index];
    }

    /** The binding with exactly this OID, or {@code null}. */
    public VariableBinding get(OID oid) {
        int i = Arrays.binarySearch(oids, oid);
        return i >= 0 ? bindings[i] : null;
    }

    /** The index of the first record after {@code oid} (GETNEXT), or {@link #size()} at the end. */
    public int higherIndex(OID oid) {
        int i = Arrays.binarySearch(oids, oid);
        return i >= 0 ? i + 1 : -i - 1;
    }

    /** Whether the record at {@code index} is a Counter64 (which SNMPv1 cannot carry). */
    public boolean isCounter64(int index) {
        return bindings[index].getVariable().getSyntax() == SMIConstants.SYNTAX_COUNTER64;
    }

    /** The longest BER encoding of one binding in this table, for message size checks. */
    public int maxBindingLength() {
        return maxBindingLength;
    }

    /** All bindings in order (a copy of the list, sharing the bindings). */
    public List<VariableBinding> bindings() {
        return List.of(bindings);
    }

    @Override
    public String toString() {
        return "RecordTable[" + community + ", " + bindings.length + " records]";
    }
}

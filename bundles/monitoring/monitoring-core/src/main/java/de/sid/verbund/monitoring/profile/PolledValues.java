package de.sid.verbund.monitoring.profile;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.monitoring.smi.VarBind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The values one poll read, in SNMP's OID order (RFC 3416 section 4.2.2, {@link Oid#compareTo}):
 * one OID found by binary search, a subtree as a run of positions. Built once per poll from
 * arrays rather than a tree: the walked rows arrive already in order, so sorting them costs
 * little more than copying.
 *
 * <p>Where an OID was read more than once, the last reading counts, in this order: the
 * scalars, the walked rows (walk by walk), {@code sysUpTime.0}.
 */
final class PolledValues {
    private static final Comparator<VarBind> BY_OID = Comparator.comparing(VarBind::oid);

    private final Oid[] oids;
    private final SnmpValue[] values;

    private PolledValues(Oid[] oids, SnmpValue[] values) {
        this.oids = oids;
        this.values = values;
    }

    static PolledValues of(PollResult poll) {
        int n = poll.scalars().size() + 1;
        for (WalkResult w : poll.walks().values()) {
            n += w.rows().size();
        }
        List<VarBind> all = new ArrayList<>(n);
        for (Map.Entry<Oid, SnmpValue> e : poll.scalars().entrySet()) {
            if (e.getValue() != null) {
                all.add(new VarBind(e.getKey(), e.getValue()));
            }
        }
        for (WalkResult w : poll.walks().values()) {
            all.addAll(w.rows());
        }
        all.add(new VarBind(PollRequest.SYS_UP_TIME, poll.sysUpTime()));
        VarBind[] sorted = all.toArray(VarBind[]::new);
        Arrays.sort(sorted, BY_OID); // stable: of equal OIDs, the later reading stays after the earlier
        Oid[] oids = new Oid[sorted.length];
        SnmpValue[] values = new SnmpValue[sorted.length];
        int size = 0;
        for (VarBind vb : sorted) {
            if (size > 0 && oids[size - 1].equals(vb.oid())) {
                size--;
            }
            oids[size] = vb.oid();
            values[size] = vb.value();
            size++;
        }
        return new PolledValues(Arrays.copyOf(oids, size), Arrays.copyOf(values, size));
    }

    int size() {
        return oids.length;
    }

    Oid oid(int position) {
        return oids[position];
    }

    SnmpValue value(int position) {
        return values[position];
    }

    /** @return the value read for {@code oid}, or null if none was */
    SnmpValue get(Oid oid) {
        int i = Arrays.binarySearch(oids, oid);
        return i >= 0 ? values[i] : null;
    }

    /** @return the position of the first OID after {@code oid} ({@link #size()} if none): where its subtree starts */
    int firstAfter(Oid oid) {
        int i = Arrays.binarySearch(oids, oid);
        return i >= 0 ? i + 1 : -i - 1;
    }
}

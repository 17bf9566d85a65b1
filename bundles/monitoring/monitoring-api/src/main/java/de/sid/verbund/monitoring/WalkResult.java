package de.sid.verbund.monitoring;

import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.VarBind;
import java.util.List;
import java.util.Objects;

/**
 * The rows of one subtree walk (a table column, a table, or a group of scalars).
 *
 * @param root the subtree walked, e.g. {@code 1.3.6.1.2.1.2.2.1.2} (ifDescr)
 * @param rows the variable bindings found under {@code root}, in strictly increasing OID order;
 *        also the rows found before a partial or failed walk stopped
 * @param end why the walk stopped
 * @param detail the facts for an operator when the walk did not end normally (e.g. "agent
 *        returned 1.3.6.1.2.1.2.2.1.2.3 after 1.3.6.1.2.1.2.2.1.2.3"), else {@code ""}
 * @param requests the SNMP requests the walk sent (not counting SNMP4J's re-sends after timeouts)
 */
public record WalkResult(Oid root, List<VarBind> rows, WalkEnd end, String detail, int requests) {
    public WalkResult {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(detail, "detail");
        rows = List.copyOf(rows);
    }

    /** Whether a walk's rows are the whole subtree. */
    public enum Status {
        /** The walk reached the end of the subtree: the rows are all there is. */
        COMPLETE,
        /** The agent misbehaved or the request cap was reached: the rows are right but may be fewer than there are. */
        PARTIAL,
        /** The agent stopped answering or failed: the rows (if any) are what came before. */
        FAILED
    }

    /** @return {@link WalkEnd#status()} of {@link #end()} */
    public Status status() {
        return end.status();
    }

    /** @return true unless the walk reached the end of the subtree normally */
    public boolean isPartial() {
        return end.status() != Status.COMPLETE;
    }
}

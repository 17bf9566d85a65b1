package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.tenancy.Quota;
import de.sid.verbund.tenancy.QuotaLedger;
import de.sid.verbund.tenancy.QuotaUsage;
import de.sid.verbund.tenancy.Resources;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@link QuotaLedger} in the shared database. A reservation locks the rows of the authority's
 * ancestors and of the authority itself ({@code SELECT … FOR UPDATE}), root first: every
 * reservation in a hierarchy takes the locks on its path in the same order, so two never wait for
 * each other in a cycle (no deadlock), and a reservation below a node always holds that node's
 * lock while it sums the node's subtree. So parallel reservations, also from several nodes sharing
 * PostgreSQL, never exceed a quota together. Releases need no lock: they only lower the sums.
 */
final class JdbcQuotaLedger implements QuotaLedger {
    private final Database db;
    private final Clock clock;

    JdbcQuotaLedger(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void reserve(String authorityId, Resources amount, String reference) {
        checkReference(reference);
        if (amount == null) {
            throw ProblemException.badRequest("amount: required");
        }
        db.inTransaction(c -> {
            List<QuotaStore.Limits> path = lockPath(c, authorityId);
            if (QuotaStore.find(c, reference).isPresent()) {
                return null;
            }
            refuseIfOver(c, path, amount, reference, "requested");
            QuotaStore.insert(c, reference, authorityId, amount, clock.instant());
            return null;
        });
    }

    @Override
    public void recheck(String reference) {
        checkReference(reference);
        db.inTransaction(c -> {
            QuotaStore.Reservation r = QuotaStore.find(c, reference)
                    .orElseThrow(() -> ProblemException.notFound("no quota reservation " + reference));
            List<QuotaStore.Limits> path = lockPath(c, r.authorityId());
            refuseIfOver(c, path, r.amount(), reference, "held by " + reference);
            return null;
        });
    }

    @Override
    public void release(String reference) {
        if (reference == null) {
            return;
        }
        db.inTransaction(c -> QuotaStore.delete(c, reference));
    }

    @Override
    public QuotaUsage usage(String authorityId) {
        return db.inTransaction(c -> {
            QuotaStore.Limits l = QuotaStore.limits(c, authorityId, false)
                    .orElseThrow(() -> ProblemException.notFound("no authority " + authorityId));
            return new QuotaUsage(authorityId, l.quota(), QuotaStore.subtreeSum(c, authorityId, null));
        });
    }

    /** @return the locked rows of the root, …, the parent and the authority itself, in that order */
    private static List<QuotaStore.Limits> lockPath(Connection c, String authorityId) throws SQLException {
        // the ancestors are read without a lock: an authority never moves in the hierarchy
        List<String> ids = new ArrayList<>(AuthorityStore.ancestors(c, authorityId));
        Collections.reverse(ids);
        ids.add(authorityId);
        List<QuotaStore.Limits> path = new ArrayList<>(ids.size());
        for (String id : ids) {
            path.add(QuotaStore.limits(c, id, true).orElseThrow(() -> ProblemException.notFound("no authority " + authorityId)));
        }
        return path;
    }

    /**
     * @throws ProblemException CONFLICT naming, nearest first, each authority on the path whose
     *         quota {@code amount} would exceed: with the figures for the authority itself, and
     *         only the exceeded resources for a parent (whose figures include what the caller's
     *         sibling authorities hold, which the caller may not read)
     */
    private static void refuseIfOver(Connection c, List<QuotaStore.Limits> path, Resources amount, String except, String what)
            throws SQLException {
        List<String> over = new ArrayList<>();
        for (int i = path.size() - 1; i >= 0; i--) {
            QuotaStore.Limits l = path.get(i);
            Quota q = l.quota();
            if (q.vcpu() == null && q.ramMib() == null && q.diskGib() == null && q.vms() == null) {
                continue;
            }
            Resources held = QuotaStore.subtreeSum(c, l.id(), except);
            List<String> parts = new ArrayList<>();
            exceeds(parts, "vCPU", held.vcpu(), amount.vcpu(), q.vcpu() == null ? null : q.vcpu().longValue(), what);
            exceeds(parts, "RAM MiB", held.ramMib(), amount.ramMib(), q.ramMib(), what);
            exceeds(parts, "disk GiB", held.diskGib(), amount.diskGib(), q.diskGib() == null ? null : q.diskGib().longValue(), what);
            exceeds(parts, "VMs", held.vms(), amount.vms(), q.vms() == null ? null : q.vms().longValue(), what);
            if (!parts.isEmpty() && i < path.size() - 1) {
                over.add("quota of the parent authority " + l.name() + " exceeded (shared with the authorities below it): "
                        + String.join(", ", parts.stream().map(JdbcQuotaLedger::resourceOnly).toList()));
            } else if (!parts.isEmpty()) {
                over.add("quota of " + l.name() + " exceeded: " + String.join(", ", parts));
            }
        }
        if (!over.isEmpty()) {
            throw new ProblemException(de.sid.verbund.core.ProblemType.CONFLICT, String.join("; ", over), over, null);
        }
    }

    private static void exceeds(List<String> parts, String name, long held, long more, Long limit, String what) {
        if (limit != null && more > 0 && held + more > limit) {
            parts.add(name + " " + held + " reserved + " + more + " " + what + " > " + limit);
        }
    }

    /** @return the resource name of an {@link #exceeds} part, without its figures ("RAM MiB 8 reserved …" → "RAM MiB") */
    private static String resourceOnly(String part) {
        return part.replaceFirst(" [0-9].*$", "");
    }

    private static void checkReference(String reference) {
        if (reference == null || reference.isBlank() || reference.length() > 200) {
            throw ProblemException.badRequest("reference: 1-200 characters required, e.g. order/<id>");
        }
    }
}

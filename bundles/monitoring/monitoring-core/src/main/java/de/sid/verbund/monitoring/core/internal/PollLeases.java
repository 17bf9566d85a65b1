package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.persistence.Database;
import de.sid.verbund.persistence.PersistenceException;
import java.sql.PreparedStatement;
import java.util.List;
import java.sql.ResultSet;

/**
 * The fence that keeps a device from being polled by two nodes: a lease row per device in the
 * shared database ({@code monitoring_poll_lease}), changed only by single conditional statements,
 * so the database decides, not a node's belief about Hazelcast partition ownership (which a node
 * that was paused keeps for a moment after it resumes).
 *
 * <ul>
 *   <li>{@link #claim} moves the device's {@code last_slot} forward to the slot about to be polled,
 *       only if the lease is this node's or expired: at most one node polls a slot, and a node
 *       cannot take a device whose holder still renews its lease.</li>
 *   <li>{@link #renew} extends every lease this node holds and that has not expired (one
 *       statement a second per node); {@link #release} ends one at once on a hand-over.</li>
 * </ul>
 * Expiry is in database time ({@code CURRENT_TIMESTAMP}), so node clocks do not matter for it.
 */
final class PollLeases {
    /** What a claim found. */
    enum Claim {
        /** The slot is this node's: poll now. */
        CLAIMED,
        /** The slot (or a later one) was polled already. */
        SLOT_TAKEN,
        /** Another node holds an unexpired lease on the device. */
        HELD_ELSEWHERE
    }

    private final Database db;
    private final String owner;
    private final String claimSql;
    private final String insertSql;
    private final String renewSql;
    private final String takeSql;
    private final String releaseSql;

    /**
     * @param owner this node's id (the cluster member id)
     * @param leaseSeconds how long a lease lasts after its last claim or renewal (1 to 3600)
     */
    PollLeases(Database db, String owner, int leaseSeconds) {
        if (leaseSeconds < 1 || leaseSeconds > 3600) {
            throw new IllegalArgumentException("lease seconds must be 1 to 3600, was " + leaseSeconds);
        }
        this.db = db;
        this.owner = owner;
        String expiry = "CURRENT_TIMESTAMP + INTERVAL '" + leaseSeconds + "' SECOND";
        claimSql = "UPDATE monitoring_poll_lease SET owner = ?, expires_at = " + expiry + ", last_slot = ?, interval_ms = ? "
                + "WHERE device_id = ? AND (last_slot < ? OR interval_ms <> ?) "
                + "AND (owner = ? OR expires_at < CURRENT_TIMESTAMP)";
        insertSql = "INSERT INTO monitoring_poll_lease (device_id, owner, expires_at, last_slot, interval_ms) "
                + "SELECT ?, ?, " + expiry + ", ?, ? FROM (VALUES (1)) AS one (x) "
                + "WHERE NOT EXISTS (SELECT 1 FROM monitoring_poll_lease WHERE device_id = ?)";
        takeSql = "UPDATE monitoring_poll_lease SET owner = ?, expires_at = " + expiry + " WHERE device_id = ? "
                + "AND (owner = ? OR expires_at < CURRENT_TIMESTAMP)";
        renewSql = "UPDATE monitoring_poll_lease SET expires_at = " + expiry
                + " WHERE owner = ? AND expires_at >= CURRENT_TIMESTAMP";
        releaseSql = "UPDATE monitoring_poll_lease SET expires_at = CURRENT_TIMESTAMP - INTERVAL '1' SECOND "
                + "WHERE device_id = ? AND owner = ?";
    }

    String owner() {
        return owner;
    }

    /**
     * Claims slot {@code slot} of a device for this node (one UPDATE; an INSERT for a device never
     * claimed before).
     *
     * @throws PersistenceException when the database cannot be reached
     */
    Claim claim(String deviceId, long slot, long intervalMs) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(claimSql)) {
                ps.setString(1, owner);
                ps.setLong(2, slot);
                ps.setLong(3, intervalMs);
                ps.setString(4, deviceId);
                ps.setLong(5, slot);
                ps.setLong(6, intervalMs);
                ps.setString(7, owner);
                if (ps.executeUpdate() == 1) {
                    return Claim.CLAIMED;
                }
            }
            boolean exists;
            String holder = null;
            long last = Long.MIN_VALUE;
            boolean expired = true;
            try (PreparedStatement ps = c.prepareStatement("SELECT owner, last_slot, interval_ms, "
                    + "CASE WHEN expires_at < CURRENT_TIMESTAMP THEN 1 ELSE 0 END FROM monitoring_poll_lease WHERE device_id = ?")) {
                ps.setString(1, deviceId);
                try (ResultSet rs = ps.executeQuery()) {
                    exists = rs.next();
                    if (exists) {
                        holder = rs.getString(1);
                        last = rs.getLong(3) == intervalMs ? rs.getLong(2) : Long.MIN_VALUE;
                        expired = rs.getInt(4) == 1;
                    }
                }
            }
            if (exists) {
                if (last < slot && !owner.equals(holder) && !expired) {
                    return Claim.HELD_ELSEWHERE;
                }
                return Claim.SLOT_TAKEN; // polled already, or moved on by another node between the two statements
            }
            return Claim.CLAIMED == insert(c, deviceId, slot, intervalMs) ? Claim.CLAIMED : Claim.SLOT_TAKEN;
        });
    }

    private Claim insert(java.sql.Connection c, String deviceId, long slot, long intervalMs) throws java.sql.SQLException {
        java.sql.Savepoint sp = c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement(insertSql)) {
            ps.setString(1, deviceId);
            ps.setString(2, owner);
            ps.setLong(3, slot);
            ps.setLong(4, intervalMs);
            ps.setString(5, deviceId);
            return ps.executeUpdate() == 1 ? Claim.CLAIMED : Claim.SLOT_TAKEN;
        } catch (java.sql.SQLException e) {
            // another node inserted the same device's first row at the same moment (unique key),
            // or the device was deleted meanwhile (foreign key): not ours either way
            c.rollback(sp);
            String state = e.getSQLState();
            if (state != null && (state.startsWith("23"))) {
                return Claim.SLOT_TAKEN;
            }
            throw e;
        }
    }

    /**
     * Takes the device's lease for this node without claiming a slot, if it is free (expired,
     * released, or this node's): a node that has just become the device's owner holds it at
     * once, so a node that only believes it owns the device (paused and resumed, or cut off)
     * cannot claim its next slot first.
     *
     * @return whether this node holds the lease now
     * @throws PersistenceException when the database cannot be reached
     */
    boolean take(String deviceId, long intervalMs) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(takeSql)) {
                ps.setString(1, owner);
                ps.setString(2, deviceId);
                ps.setString(3, owner);
                if (ps.executeUpdate() == 1) {
                    return true;
                }
            }
            // no row yet (never polled): one with no slot claimed
            return insert(c, deviceId, Long.MIN_VALUE, intervalMs) == Claim.CLAIMED;
        });
    }

    /** Devices per renewal statement (bind parameters stay far below every driver's limit). */
    private static final int RENEW_CHUNK = 500;

    /**
     * Extends this node's unexpired leases on the given devices, those it polls. Only those: a
     * lease this node took or claimed in a race with handing the device over (the claim
     * committed after the release) is not kept alive by the renewals, so it expires by itself
     * ({@code leaseSeconds}) and the device's new owner takes it then; renewing every lease of
     * the node kept such a device unpolled for as long as the node ran.
     *
     * @param deviceIds the devices this node polls now
     * @return how many leases were renewed
     */
    int renew(java.util.Collection<String> deviceIds) {
        if (deviceIds.isEmpty()) {
            return 0;
        }
        List<String> ids = List.copyOf(deviceIds);
        return db.inTransaction(c -> {
            int renewed = 0;
            for (int from = 0; from < ids.size(); from += RENEW_CHUNK) {
                List<String> chunk = ids.subList(from, Math.min(ids.size(), from + RENEW_CHUNK));
                String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement ps = c.prepareStatement(renewSql + " AND device_id IN (" + marks + ")")) {
                    ps.setString(1, owner);
                    for (int i = 0; i < chunk.size(); i++) {
                        ps.setString(i + 2, chunk.get(i));
                    }
                    renewed += ps.executeUpdate();
                }
            }
            return renewed;
        });
    }

    /** Ends all this node's leases at once (the poller stops): one statement. */
    void releaseAll() {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE monitoring_poll_lease SET expires_at = "
                    + "CURRENT_TIMESTAMP - INTERVAL '1' SECOND WHERE owner = ?")) {
                ps.setString(1, owner);
                return ps.executeUpdate();
            }
        });
    }

    /** Ends this node's lease on a device at once (the new owner need not wait for it to expire). */
    void release(String deviceId) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(releaseSql)) {
                ps.setString(1, deviceId);
                ps.setString(2, owner);
                return ps.executeUpdate();
            }
        });
    }
}

package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.tenancy.Quota;
import de.sid.verbund.tenancy.Resources;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** SQL over {@code quota_reservation} and the quota columns of {@code authority}, on the caller's connection. */
final class QuotaStore {
    /** An authority row as the ledger needs it. */
    record Limits(String id, String name, Quota quota) {
    }

    /** A held reservation. */
    record Reservation(String reference, String authorityId, Resources amount) {
    }

    private QuotaStore() {
    }

    /**
     * Reads an authority's quota, locking its row until the transaction ends when {@code lock}
     * ({@code SELECT … FOR UPDATE}).
     */
    static Optional<Limits> limits(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, name, quota_vcpu, quota_ram_mib, quota_disk_gib, quota_vms "
                + "FROM authority WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Limits(rs.getString(1), rs.getString(2),
                        new Quota(intOrNull(rs, 3), longOrNull(rs, 4), intOrNull(rs, 5), intOrNull(rs, 6))));
            }
        }
    }

    /**
     * @return the sum of the reservations held by {@code id} and everything below it, leaving out
     *         the reservation {@code exceptReference} (may be {@code null})
     */
    static Resources subtreeSum(Connection c, String id, String exceptReference) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE sub (id) AS (SELECT id FROM authority WHERE id = ? "
                + "UNION ALL SELECT a.id FROM authority a JOIN sub ON a.parent_id = sub.id) "
                + "SELECT COALESCE(SUM(r.vcpu), 0), COALESCE(SUM(r.ram_mib), 0), COALESCE(SUM(r.disk_gib), 0), "
                + "COALESCE(SUM(r.vms), 0) FROM quota_reservation r WHERE r.authority_id IN (SELECT id FROM sub) "
                + "AND r.reference <> ?")) {
            ps.setString(1, id);
            ps.setString(2, exceptReference == null ? "" : exceptReference);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Resources(rs.getInt(1), rs.getLong(2), rs.getInt(3), rs.getInt(4));
            }
        }
    }

    static Optional<Reservation> find(Connection c, String reference) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT reference, authority_id, vcpu, ram_mib, disk_gib, vms FROM quota_reservation WHERE reference = ?")) {
            ps.setString(1, reference);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Reservation(rs.getString(1), rs.getString(2),
                        new Resources(rs.getInt(3), rs.getLong(4), rs.getInt(5), rs.getInt(6))));
            }
        }
    }

    static void insert(Connection c, String reference, String authorityId, Resources r, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO quota_reservation (reference, authority_id, vcpu, ram_mib, "
                + "disk_gib, vms, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, reference);
            ps.setString(2, authorityId);
            ps.setInt(3, r.vcpu());
            ps.setLong(4, r.ramMib());
            ps.setInt(5, r.diskGib());
            ps.setInt(6, r.vms());
            ps.setObject(7, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.executeUpdate();
        }
    }

    static int delete(Connection c, String reference) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM quota_reservation WHERE reference = ?")) {
            ps.setString(1, reference);
            return ps.executeUpdate();
        }
    }

    /** @return how many reservations the authority itself holds */
    static int count(Connection c, String authorityId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM quota_reservation WHERE authority_id = ?")) {
            ps.setString(1, authorityId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static Integer intOrNull(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static Long longOrNull(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}

package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.Contact;
import de.sid.verbund.tenancy.Quota;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * SQL over the tables {@code authority} and {@code authority_contact}. Every method works on the
 * caller's connection (inside {@code Database.inTransaction}).
 */
final class AuthorityStore {
    static final String ROOT_SCOPE = "root";
    private static final String COLUMNS = "id, name, kind, parent_id, cost_centre, leitweg_id, address_line1, address_line2, "
            + "postal_code, city, country_code, billing_mode, vat_liable, quota_vcpu, quota_ram_mib, quota_disk_gib, quota_vms, "
            + "budget_monthly_eur, budget_soft_percent, created_at";

    private AuthorityStore() {
    }

    static void insert(Connection c, Authority a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO authority (" + COLUMNS
                + ", sibling_scope) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setString(2, a.name());
            ps.setString(3, a.kind().name());
            ps.setString(4, a.parentId());
            int i = setData(ps, 5, a);
            ps.setObject(i++, OffsetDateTime.ofInstant(a.createdAt(), ZoneOffset.UTC));
            ps.setString(i, a.parentId() == null ? ROOT_SCOPE : a.parentId());
            ps.executeUpdate();
        }
        insertContacts(c, a);
    }

    /** Replaces the data of an existing authority (not its kind, parent or creation time). */
    static void update(Connection c, Authority a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE authority SET name = ?, cost_centre = ?, leitweg_id = ?, "
                + "address_line1 = ?, address_line2 = ?, postal_code = ?, city = ?, country_code = ?, billing_mode = ?, "
                + "vat_liable = ?, quota_vcpu = ?, quota_ram_mib = ?, quota_disk_gib = ?, quota_vms = ?, "
                + "budget_monthly_eur = ?, budget_soft_percent = ? WHERE id = ?")) {
            ps.setString(1, a.name());
            int i = setData(ps, 2, a);
            ps.setString(i, a.id());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM authority_contact WHERE authority_id = ?")) {
            ps.setString(1, a.id());
            ps.executeUpdate();
        }
        insertContacts(c, a);
    }

    static void delete(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM authority WHERE id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
        }
    }

    /** Sets the columns from cost_centre to budget_soft_percent, starting at {@code i}; @return the next index. */
    private static int setData(PreparedStatement ps, int i, Authority a) throws SQLException {
        ps.setString(i++, a.costCentre());
        ps.setString(i++, a.leitwegId());
        BillingAddress ad = a.billingAddress();
        ps.setString(i++, ad == null ? null : ad.line1());
        ps.setString(i++, ad == null ? null : ad.line2());
        ps.setString(i++, ad == null ? null : ad.postalCode());
        ps.setString(i++, ad == null ? null : ad.city());
        ps.setString(i++, ad == null ? null : ad.countryCode());
        ps.setString(i++, a.billingMode().name());
        ps.setBoolean(i++, a.vatLiable());
        Quota q = a.quota();
        setInt(ps, i++, q.vcpu());
        if (q.ramMib() == null) {
            ps.setNull(i++, Types.BIGINT);
        } else {
            ps.setLong(i++, q.ramMib());
        }
        setInt(ps, i++, q.diskGib());
        setInt(ps, i++, q.vms());
        ps.setBigDecimal(i++, a.budget().monthlyEur());
        ps.setInt(i++, a.budget().softThresholdPercent());
        return i;
    }

    private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }

    private static void insertContacts(Connection c, Authority a) throws SQLException {
        if (a.contacts().isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO authority_contact (authority_id, position, role, name, email, phone) VALUES (?, ?, ?, ?, ?, ?)")) {
            int pos = 0;
            for (Contact k : a.contacts()) {
                ps.setString(1, a.id());
                ps.setInt(2, pos++);
                ps.setString(3, k.role());
                ps.setString(4, k.name());
                ps.setString(5, k.email());
                ps.setString(6, k.phone());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static Optional<Authority> find(Connection c, String id) throws SQLException {
        List<Authority> found = query(c, "SELECT " + COLUMNS + " FROM authority WHERE id = ?", id);
        return found.stream().findFirst();
    }

    /** @return every authority, parents before their children, siblings by name */
    static List<Authority> list(Connection c) throws SQLException {
        List<Authority> all = query(c, "SELECT " + COLUMNS + " FROM authority ORDER BY name, id");
        Map<String, List<Authority>> children = new HashMap<>();
        for (Authority a : all) {
            children.computeIfAbsent(a.parentId() == null ? ROOT_SCOPE : a.parentId(), k -> new ArrayList<>()).add(a);
        }
        List<Authority> out = new ArrayList<>(all.size());
        addTree(children, ROOT_SCOPE, out);
        return out;
    }

    private static void addTree(Map<String, List<Authority>> children, String parent, List<Authority> out) {
        for (Authority a : children.getOrDefault(parent, List.of())) {
            out.add(a);
            addTree(children, a.id(), out);
        }
    }

    /** @return whether a sibling (same parent, another id) already has the name */
    static boolean nameTaken(Connection c, String parentId, String name, String exceptId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT 1 FROM authority WHERE sibling_scope = ? AND name = ? AND id <> ?")) {
            ps.setString(1, parentId == null ? ROOT_SCOPE : parentId);
            ps.setString(2, name);
            ps.setString(3, exceptId == null ? "" : exceptId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** @return the ids of the parent, grand-parent, … (nearest first) */
    static List<String> ancestors(Connection c, String id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT parent_id FROM authority WHERE id = ?")) {
            String current = id;
            while (true) {
                ps.setString(1, current);
                String parent;
                try (ResultSet rs = ps.executeQuery()) {
                    parent = rs.next() ? rs.getString(1) : null;
                }
                if (parent == null || out.contains(parent)) {
                    return out;
                }
                out.add(parent);
                current = parent;
            }
        }
    }

    /** @return the ids of everything below {@code id}, not itself (breadth first) */
    static List<String> descendants(Connection c, String id) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("WITH RECURSIVE sub (id) AS (SELECT id FROM authority WHERE parent_id = ? "
                + "UNION ALL SELECT a.id FROM authority a JOIN sub ON a.parent_id = sub.id) SELECT id FROM sub")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    static boolean hasChildren(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM authority WHERE parent_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static List<Authority> query(Connection c, String sql, String... args) throws SQLException {
        Map<String, List<Contact>> contacts = new HashMap<>();
        List<Authority> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(row(rs));
                }
            }
        }
        String contactSql = "SELECT authority_id, role, name, email, phone FROM authority_contact"
                + (args.length == 1 ? " WHERE authority_id = ?" : "") + " ORDER BY authority_id, position";
        try (PreparedStatement ps = c.prepareStatement(contactSql)) {
            if (args.length == 1) {
                ps.setString(1, args[0]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    contacts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Contact(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        List<Authority> out = new ArrayList<>(rows.size());
        for (Authority a : rows) {
            out.add(new Authority(a.id(), a.name(), a.kind(), a.parentId(), a.costCentre(), a.leitwegId(), a.billingAddress(),
                    a.billingMode(), a.vatLiable(), contacts.getOrDefault(a.id(), List.of()), a.quota(), a.budget(), a.createdAt()));
        }
        return out;
    }

    private static Authority row(ResultSet rs) throws SQLException {
        String line1 = rs.getString(7);
        String postal = rs.getString(9);
        String city = rs.getString(10);
        String country = rs.getString(11);
        String line2 = rs.getString(8);
        BillingAddress address = line1 == null && postal == null && city == null && country == null && line2 == null ? null
                : new BillingAddress(line1, line2, postal, city, country);
        Quota quota = new Quota(intOrNull(rs, 14), longOrNull(rs, 15), intOrNull(rs, 16), intOrNull(rs, 17));
        BigDecimal monthly = rs.getBigDecimal(18);
        Budget budget = new Budget(monthly, rs.getInt(19));
        return new Authority(rs.getString(1), rs.getString(2), AuthorityKind.valueOf(rs.getString(3)), rs.getString(4),
                rs.getString(5), rs.getString(6), address, BillingMode.valueOf(rs.getString(12)), rs.getBoolean(13), List.of(),
                quota, budget, rs.getObject(20, OffsetDateTime.class).toInstant());
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

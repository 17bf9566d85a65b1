package de.sid.verbund.catalog.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import de.sid.verbund.catalog.Approval;
import de.sid.verbund.catalog.ApprovalPolicy;
import de.sid.verbund.catalog.Offering;
import de.sid.verbund.catalog.Order;
import de.sid.verbund.catalog.OrderFilter;
import de.sid.verbund.catalog.OrderKind;
import de.sid.verbund.catalog.OrderState;
import de.sid.verbund.catalog.OrderTransition;
import de.sid.verbund.catalog.Sizing;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.persistence.Inserts;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL of the catalogue's tables; every method works in the caller's transaction. */
final class CatalogStore {
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<Map<String, Object>>> MAPS = new TypeReference<>() {
    };
    private static final String OFFERING_COLUMNS = "o.id, o.code, v.version, v.kind, v.name, v.description, v.vcpu, "
            + "v.ram_mib, v.disk_gib, v.image, v.parameters, v.approval, v.active, v.changed_at, v.changed_by";
    private static final String ORDER_COLUMNS = "r.id, r.tenant_id, r.kind, r.offering_id, r.offering_version, r.quantity, "
            + "r.name, r.parameters, r.target_vm_ids, r.state, r.approvals_needed, r.approvals, r.requested_by, "
            + "r.requested_by_name, r.reason, r.vm_ids, r.created_at, r.updated_at";

    private CatalogStore() {
    }

    // --- offerings -------------------------------------------------------------------------------

    static List<Offering> offerings(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OFFERING_COLUMNS + " FROM catalog_offering o "
                + "JOIN catalog_offering_version v ON v.offering_id = o.id AND v.version = o.version ORDER BY o.code")) {
            return offeringList(ps);
        }
    }

    /** @param lock whether to lock the offering's row for the rest of the transaction */
    static Optional<Offering> offering(Connection c, String idOrCode, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OFFERING_COLUMNS + " FROM catalog_offering o "
                + "JOIN catalog_offering_version v ON v.offering_id = o.id AND v.version = o.version "
                + "WHERE o.id = ? OR o.code = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, idOrCode);
            ps.setString(2, idOrCode);
            List<Offering> list = offeringList(ps);
            return list.stream().findFirst();
        }
    }

    static Optional<Offering> offeringVersion(Connection c, String id, int version) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + OFFERING_COLUMNS + " FROM catalog_offering o "
                + "JOIN catalog_offering_version v ON v.offering_id = o.id WHERE o.id = ? AND v.version = ?")) {
            ps.setString(1, id);
            ps.setInt(2, version);
            return offeringList(ps).stream().findFirst();
        }
    }

    /** @return whether the code was free (else nothing was written) */
    static boolean insertOffering(Connection c, Offering o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM catalog_offering WHERE code = ?")) {
            ps.setString(1, o.code());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO catalog_offering (id, code, version) VALUES (?, ?, ?)")) {
            ps.setString(1, o.id());
            ps.setString(2, o.code());
            ps.setInt(3, o.version());
            ps.executeUpdate();
        }
        insertVersion(c, o);
        return true;
    }

    /** Stores a new version and makes it current (the offering's row must be locked). */
    static void newVersion(Connection c, Offering o) throws SQLException {
        insertVersion(c, o);
        try (PreparedStatement ps = c.prepareStatement("UPDATE catalog_offering SET version = ? WHERE id = ?")) {
            ps.setInt(1, o.version());
            ps.setString(2, o.id());
            ps.executeUpdate();
        }
    }

    private static void insertVersion(Connection c, Offering o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO catalog_offering_version (offering_id, version, kind, "
                + "name, description, vcpu, ram_mib, disk_gib, image, parameters, approval, active, changed_at, changed_by) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, o.id());
            ps.setInt(2, o.version());
            ps.setString(3, o.kind());
            ps.setString(4, o.name());
            ps.setString(5, o.description());
            ps.setInt(6, o.sizing().vcpu());
            ps.setLong(7, o.sizing().ramMib());
            ps.setInt(8, o.sizing().diskGib());
            ps.setString(9, o.sizing().image());
            ps.setString(10, json(o.parameters()));
            ps.setString(11, o.approval().name());
            ps.setBoolean(12, o.active());
            ps.setObject(13, ts(o.changedAt()));
            ps.setString(14, o.changedBy());
            ps.executeUpdate();
        }
    }

    private static List<Offering> offeringList(PreparedStatement ps) throws SQLException {
        List<Offering> list = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(new Offering(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                        rs.getString(6), new Sizing(rs.getInt(7), rs.getLong(8), rs.getInt(9), rs.getString(10)),
                        read(rs.getString(11), MAP), ApprovalPolicy.valueOf(rs.getString(12)), rs.getBoolean(13),
                        instant(rs, 14), rs.getString(15), null));
            }
        }
        return list;
    }

    // --- orders ----------------------------------------------------------------------------------

    static void insertOrder(Connection c, Order o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO catalog_order (id, tenant_id, kind, offering_id, "
                + "offering_version, quantity, name, parameters, target_vm_ids, state, approvals_needed, approvals, "
                + "requested_by, requested_by_name, reason, vm_ids, created_at, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, o.id());
            ps.setString(2, o.tenantId());
            ps.setString(3, o.kind().name());
            ps.setString(4, o.offered() == null ? null : o.offered().id());
            ps.setObject(5, o.offered() == null ? null : o.offered().version());
            ps.setInt(6, o.quantity());
            ps.setString(7, o.name());
            ps.setString(8, json(o.parameters()));
            ps.setString(9, json(o.targetVmIds()));
            ps.setString(10, o.state().name());
            ps.setString(11, json(o.approvalsNeeded()));
            ps.setString(12, approvalsJson(o.approvals()));
            ps.setString(13, o.requestedBy());
            ps.setString(14, o.requestedByName());
            ps.setString(15, o.reason());
            ps.setString(16, json(o.vmIds()));
            ps.setObject(17, ts(o.createdAt()));
            ps.setObject(18, ts(o.updatedAt()));
            ps.executeUpdate();
        }
    }

    /** Stores the order's changeable fields (state, approvals, reason, VM ids, updated at). */
    static void updateOrder(Connection c, Order o) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE catalog_order SET state = ?, approvals = ?, reason = ?, "
                + "vm_ids = ?, updated_at = ? WHERE id = ?")) {
            ps.setString(1, o.state().name());
            ps.setString(2, approvalsJson(o.approvals()));
            ps.setString(3, o.reason());
            ps.setString(4, json(o.vmIds()));
            ps.setObject(5, ts(o.updatedAt()));
            ps.setString(6, o.id());
            ps.executeUpdate();
        }
    }

    /** @param lock whether to lock the order's row for the rest of the transaction */
    static Optional<Order> order(Connection c, String id, boolean lock) throws SQLException {
        if (lock) {
            // lock the order's row alone (PostgreSQL refuses FOR UPDATE on the nullable side of an outer join)
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM catalog_order WHERE id = ? FOR UPDATE")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ORDER_COLUMNS + " FROM catalog_order r WHERE r.id = ?")) {
            ps.setString(1, id);
            List<Order> list = orderList(c, ps);
            return list.stream().findFirst();
        }
    }

    static Page<Order> orders(Connection c, OrderFilter f, int limit, String cursor) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + ORDER_COLUMNS + ", r.seq FROM catalog_order r WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.tenantId() != null) {
            sql.append(" AND r.tenant_id = ?");
            args.add(f.tenantId());
        }
        if (f.state() != null) {
            sql.append(" AND r.state = ?");
            args.add(f.state().name());
        }
        if (cursor != null && !cursor.isBlank()) {
            try {
                args.add(Long.parseLong(cursor));
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("invalid cursor: " + (cursor.length() > 20 ? cursor.substring(0, 20) : cursor));
            }
            sql.append(" AND r.seq < ?");
        }
        sql.append(" ORDER BY r.seq DESC LIMIT ").append(limit + 1);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<Order> orders = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            Map<String, Offering> versions = new LinkedHashMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    orders.add(order(c, rs, versions));
                    seqs.add(rs.getLong(19));
                }
            }
            if (orders.size() > limit) {
                return new Page<>(orders.subList(0, limit), String.valueOf(seqs.get(limit - 1)));
            }
            return new Page<>(orders, null);
        }
    }

    private static List<Order> orderList(Connection c, PreparedStatement ps) throws SQLException {
        List<Order> list = new ArrayList<>();
        Map<String, Offering> versions = new LinkedHashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                list.add(order(c, rs, versions));
            }
        }
        return list;
    }

    private static Order order(Connection c, ResultSet rs, Map<String, Offering> versions) throws SQLException {
        String offeringId = rs.getString(4);
        Offering offered = null;
        if (offeringId != null) {
            int version = rs.getInt(5);
            String key = offeringId + "/" + version;
            offered = versions.get(key);
            if (offered == null) {
                offered = offeringVersion(c, offeringId, version).orElse(null);
                versions.put(key, offered);
            }
        }
        List<Approval> approvals = new ArrayList<>();
        for (Map<String, Object> a : read(rs.getString(12), MAPS)) {
            approvals.add(new Approval((String) a.get("step"), (String) a.get("userId"), (String) a.get("username"),
                    (String) a.get("comment"), Instant.parse((String) a.get("at"))));
        }
        return new Order(rs.getString(1), rs.getString(2), OrderKind.valueOf(rs.getString(3)), offered, rs.getInt(6),
                rs.getString(7), read(rs.getString(8), MAP), read(rs.getString(9), STRINGS), OrderState.valueOf(rs.getString(10)),
                read(rs.getString(11), STRINGS), approvals, rs.getString(13), rs.getString(14), rs.getString(15),
                read(rs.getString(16), STRINGS), instant(rs, 17), instant(rs, 18));
    }

    static void insertTransition(Connection c, String orderId, OrderState from, OrderState to, Instant at, String actor,
            String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO catalog_order_transition (order_id, from_state, "
                + "to_state, at, actor, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, orderId);
            ps.setString(2, from == null ? null : from.name());
            ps.setString(3, to.name());
            ps.setObject(4, ts(at));
            ps.setString(5, actor);
            ps.setString(6, detail == null ? "" : detail);
            ps.executeUpdate();
        }
    }

    static List<OrderTransition> transitions(Connection c, String orderId) throws SQLException {
        List<OrderTransition> list = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT from_state, to_state, at, actor, detail "
                + "FROM catalog_order_transition WHERE order_id = ? ORDER BY seq")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String from = rs.getString(1);
                    list.add(new OrderTransition(from == null ? null : OrderState.valueOf(from), OrderState.valueOf(rs.getString(2)),
                            instant(rs, 3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return list;
    }

    // --- reservations of VMs and processed events ------------------------------------------------

    static void insertVmReservation(Connection c, String vmId, String orderId, String reference) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO catalog_vm_reservation (vm_id, order_id, reference) "
                + "VALUES (?, ?, ?)")) {
            ps.setString(1, vmId);
            ps.setString(2, orderId);
            ps.setString(3, reference);
            ps.executeUpdate();
        }
    }

    /** Removes the VM's reservation row. @return the quota reference it held, if any */
    static Optional<String> removeVmReservation(Connection c, String vmId) throws SQLException {
        String reference = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT reference FROM catalog_vm_reservation WHERE vm_id = ? FOR UPDATE")) {
            ps.setString(1, vmId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    reference = rs.getString(1);
                }
            }
        }
        if (reference == null) {
            return Optional.empty();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM catalog_vm_reservation WHERE vm_id = ?")) {
            ps.setString(1, vmId);
            ps.executeUpdate();
        }
        return Optional.of(reference);
    }

    /**
     * Marks an event processed, in a savepoint.
     *
     * @return {@code false} when it was processed before (nothing changed)
     */
    static boolean markProcessed(Connection c, String eventId, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM catalog_processed_event WHERE event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        return Inserts.once(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO catalog_processed_event (event_id, processed_at) VALUES (?, ?)")) {
                ps.setString(1, eventId);
                ps.setObject(2, ts(at));
                ps.executeUpdate();
            }
        });
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static String approvalsJson(List<Approval> approvals) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Approval a : approvals) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", a.step());
            m.put("userId", a.userId());
            m.put("username", a.username());
            m.put("comment", a.comment());
            m.put("at", a.at().toString());
            list.add(m);
        }
        return json(list);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON-compatible: " + e.getOriginalMessage(), e);
        }
    }

    private static <T> T read(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable JSON in the catalogue's tables: " + e.getOriginalMessage(), e);
        }
    }

    private static OffsetDateTime ts(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    /**
     * Claims VMs for a DECOMMISSION order: a VM has at most one open decommission order.
     *
     * @throws ProblemException CONFLICT naming the VM and the order that already claims it
     */
    static void claimForDecommission(Connection c, String orderId, List<String> vmIds) throws SQLException {
        for (String vm : vmIds) {
            try (PreparedStatement ps = c.prepareStatement("SELECT order_id FROM catalog_decommission_claim WHERE vm_id = ?")) {
                ps.setString(1, vm);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw ProblemException.conflict("VM " + vm + " is already being decommissioned by order "
                                + rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO catalog_decommission_claim (vm_id, order_id) VALUES (?, ?)")) {
                ps.setString(1, vm);
                ps.setString(2, orderId);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (de.sid.verbund.persistence.PersistenceException.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    // a parallel order claimed it between the look-up and the insert
                    throw ProblemException.conflict("VM " + vm + " is already being decommissioned by another order");
                }
                throw e;
            }
        }
    }

    /** Frees the VMs of a DECOMMISSION order that ended without deleting them. */
    static void releaseDecommissionClaims(Connection c, String orderId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM catalog_decommission_claim WHERE order_id = ?")) {
            ps.setString(1, orderId);
            ps.executeUpdate();
        }
    }
}

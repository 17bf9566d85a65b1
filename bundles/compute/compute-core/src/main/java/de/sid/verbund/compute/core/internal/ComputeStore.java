package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.persistence.Database;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Hosts and VMs in the database (tables {@code compute_host}, {@code compute_vm}). Capacity is
 * allocated by inserting a VM row while holding the host row's lock ({@code SELECT … FOR UPDATE}),
 * so parallel placements, also from other cluster nodes on a shared PostgreSQL, never
 * over-commit a host.
 */
final class ComputeStore {
    /** States whose VMs hold capacity on their host. */
    static final String HOLDING = "'PROVISIONING','RUNNING','PAUSED','STOPPED','UNKNOWN'";
    private static final String HOST_COLUMNS = "id, name, uri, site, cpu_cores, ram_mib, cpu_overcommit, ram_overcommit, "
            + "ram_reserve_mib, state, maintenance, created_at";
    private static final String VM_COLUMNS = "id, name, tenant_id, offering_id, host_id, state, vcpu, ram_mib, disk_gib, "
            + "anti_affinity_group, created_at";

    private final Database db;

    ComputeStore(Database db) {
        this.db = db;
    }

    // --- hosts -----------------------------------------------------------------------------------

    void insertHost(Host h) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO compute_host (" + HOST_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, h.id());
                ps.setString(2, h.name());
                ps.setString(3, h.uri());
                ps.setString(4, h.site());
                ps.setInt(5, h.cpuCores());
                ps.setLong(6, h.ramMib());
                ps.setBigDecimal(7, h.cpuOvercommit());
                ps.setBigDecimal(8, h.ramOvercommit());
                ps.setLong(9, h.ramReserveMib());
                ps.setString(10, h.state().name());
                ps.setBoolean(11, h.state() == HostState.MAINTENANCE);
                ps.setObject(12, h.createdAt().atOffset(ZoneOffset.UTC));
                return ps.executeUpdate();
            }
        });
    }

    List<Host> hosts() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + HOST_COLUMNS + " FROM compute_host ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<Host> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(host(rs));
                }
                return out;
            }
        });
    }

    Optional<Host> host(String id) {
        return db.inTransaction(c -> hostFor(c, id, false));
    }

    private Optional<Host> hostFor(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + HOST_COLUMNS + " FROM compute_host WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(host(rs)) : Optional.empty();
            }
        }
    }

    /** Records what the hypervisor reported, and whether it answers (DOWN) — maintenance stays as set. */
    void updateHostStatus(String id, int cores, long ramMib, boolean reachable) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_host SET cpu_cores = CASE WHEN ? > 0 THEN ? "
                    + "ELSE cpu_cores END, ram_mib = CASE WHEN ? > 0 THEN ? ELSE ram_mib END, state = CASE WHEN ? THEN "
                    + "(CASE WHEN maintenance THEN 'MAINTENANCE' ELSE 'ENABLED' END) ELSE 'DOWN' END WHERE id = ?")) {
                ps.setInt(1, cores);
                ps.setInt(2, cores);
                ps.setLong(3, ramMib);
                ps.setLong(4, ramMib);
                ps.setBoolean(5, reachable);
                ps.setString(6, id);
                return ps.executeUpdate();
            }
        });
    }

    void setMaintenance(String id, boolean maintenance) {
        int n = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_host SET maintenance = ?, state = CASE "
                    + "WHEN state = 'DOWN' THEN 'DOWN' WHEN ? THEN 'MAINTENANCE' ELSE 'ENABLED' END WHERE id = ?")) {
                ps.setBoolean(1, maintenance);
                ps.setBoolean(2, maintenance);
                ps.setString(3, id);
                return ps.executeUpdate();
            }
        });
        if (n == 0) {
            throw ProblemException.notFound("no host " + id);
        }
    }

    /** @return every host with what its VMs hold now (sums computed by the database) */
    List<HostLoad> loads() {
        return db.inTransaction(c -> {
            Map<String, long[]> sums = new HashMap<>();
            Map<String, Set<String>> groups = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT host_id, SUM(vcpu), SUM(ram_mib) FROM compute_vm "
                    + "WHERE state IN (" + HOLDING + ") GROUP BY host_id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sums.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3)});
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT host_id, anti_affinity_group FROM compute_vm "
                    + "WHERE anti_affinity_group IS NOT NULL AND state IN (" + HOLDING + ")"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    groups.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                }
            }
            List<HostLoad> out = new ArrayList<>();
            for (Host h : hosts()) {
                long[] s = sums.getOrDefault(h.id(), new long[2]);
                out.add(new HostLoad(h, s[0], s[1], groups.getOrDefault(h.id(), Set.of())));
            }
            return out;
        });
    }

    /**
     * Inserts a VM in PROVISIONING on its host if it still fits there, checked under the host
     * row's lock.
     *
     * @param fits decides on the locked host's current load
     * @return whether the VM was inserted
     */
    boolean reserve(Vm vm, java.util.function.Predicate<HostLoad> fits) {
        return db.inTransaction(c -> {
            Optional<Host> host = hostFor(c, vm.hostId(), true);
            if (host.isEmpty()) {
                return false;
            }
            long vcpu = 0;
            long ram = 0;
            Set<String> groups = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT SUM(vcpu), SUM(ram_mib) FROM compute_vm "
                    + "WHERE host_id = ? AND state IN (" + HOLDING + ")")) {
                ps.setString(1, vm.hostId());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        vcpu = rs.getLong(1);
                        ram = rs.getLong(2);
                    }
                }
            }
            if (vm.antiAffinityGroup() != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM compute_vm WHERE host_id = ? "
                        + "AND anti_affinity_group = ? AND state IN (" + HOLDING + ") LIMIT 1")) {
                    ps.setString(1, vm.hostId());
                    ps.setString(2, vm.antiAffinityGroup());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            groups.add(vm.antiAffinityGroup());
                        }
                    }
                }
            }
            if (!fits.test(new HostLoad(host.get(), vcpu, ram, groups))) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO compute_vm (" + VM_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, vm.id());
                ps.setString(2, vm.name());
                ps.setString(3, vm.tenantId());
                ps.setString(4, vm.offeringId());
                ps.setString(5, vm.hostId());
                ps.setString(6, vm.state().name());
                ps.setInt(7, vm.vcpu());
                ps.setLong(8, vm.ramMib());
                ps.setInt(9, vm.diskGib());
                ps.setString(10, vm.antiAffinityGroup());
                ps.setObject(11, vm.createdAt().atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            return true;
        });
    }

    /**
     * Changes a stopped VM's size if its host can hold the difference, checked under the host
     * row's lock like a reservation.
     *
     * @return whether it was changed (false: does not fit)
     */
    boolean resize(Vm vm, int vcpu, long ramMib, java.util.function.Predicate<HostLoad> fits) {
        return db.inTransaction(c -> {
            Optional<Host> host = hostFor(c, vm.hostId(), true);
            if (host.isEmpty()) {
                return false;
            }
            long usedVcpu = 0;
            long usedRam = 0;
            try (PreparedStatement ps = c.prepareStatement("SELECT SUM(vcpu), SUM(ram_mib) FROM compute_vm "
                    + "WHERE host_id = ? AND id <> ? AND state IN (" + HOLDING + ")")) {
                ps.setString(1, vm.hostId());
                ps.setString(2, vm.id());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        usedVcpu = rs.getLong(1);
                        usedRam = rs.getLong(2);
                    }
                }
            }
            if (!fits.test(new HostLoad(host.get(), usedVcpu, usedRam, Set.of()))) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_vm SET vcpu = ?, ram_mib = ? WHERE id = ? "
                    + "AND state = 'STOPPED'")) {
                ps.setInt(1, vcpu);
                ps.setLong(2, ramMib);
                ps.setString(3, vm.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    // --- VMs -------------------------------------------------------------------------------------

    boolean nameTaken(String tenantId, String name) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM compute_vm WHERE tenant_id = ? AND name = ? "
                    + "AND state NOT IN ('DELETED', 'FAILED')")) {
                ps.setString(1, tenantId);
                ps.setString(2, name);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    Optional<Vm> vm(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + VM_COLUMNS + " FROM compute_vm WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(vm(rs)) : Optional.empty();
                }
            }
        });
    }

    /** Sets a VM's state; DELETED also stamps {@code deleted_at}. @return the VM as stored now */
    Vm setState(String id, VmState state) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_vm SET state = ?, state_version = state_version + 1, "
                    + "deleted_at = CASE WHEN ? THEN ? ELSE deleted_at END WHERE id = ?")) {
                ps.setString(1, state.name());
                ps.setBoolean(2, state == VmState.DELETED);
                ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(4, id);
                return ps.executeUpdate();
            }
        });
        return vm(id).orElseThrow(() -> ProblemException.notFound("no VM " + id));
    }

    /**
     * Changes a VM's state only if it still is {@code from} (compare-and-set): a change based on
     * what a thread saw earlier is dropped when another change came in between, so a late resync
     * cannot undo a newer state, and of two threads reporting the same change only one succeeds.
     * DELETED is set from any live state ({@code from} is ignored). A DELETED or FAILED VM never
     * changes again. DELETED also stamps {@code deleted_at}.
     *
     * @return whether the stored state changed
     */
    boolean changeState(String id, VmState from, VmState to) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_vm SET state = ?, state_version = state_version + 1, "
                    + "deleted_at = CASE WHEN ? THEN ? ELSE deleted_at END WHERE id = ? AND state <> ? "
                    + "AND state NOT IN ('DELETED', 'FAILED')" + (to == VmState.DELETED ? "" : " AND state = ?"))) {
                ps.setString(1, to.name());
                ps.setBoolean(2, to == VmState.DELETED);
                ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(4, id);
                ps.setString(5, to.name());
                if (to != VmState.DELETED) {
                    ps.setString(6, from.name());
                }
                return ps.executeUpdate();
            }
        }) > 0;
    }

    /** A VM with the version of its state, for changes that must not act on a stale view. */
    record Versioned(Vm vm, long version) {
    }

    Optional<Versioned> versioned(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + VM_COLUMNS + ", state_version FROM compute_vm WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Versioned(vm(rs), rs.getLong("state_version"))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Changes a VM's state only if no change happened since {@code version} was read.
     *
     * @return whether it changed
     */
    boolean changeStateAt(String id, long version, VmState to) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_vm SET state = ?, state_version = state_version + 1, "
                    + "deleted_at = CASE WHEN ? THEN ? ELSE deleted_at END WHERE id = ? AND state_version = ? AND state <> ? "
                    + "AND state NOT IN ('DELETED', 'FAILED')")) {
                ps.setString(1, to.name());
                ps.setBoolean(2, to == VmState.DELETED);
                ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(4, id);
                ps.setLong(5, version);
                ps.setString(6, to.name());
                return ps.executeUpdate();
            }
        }) > 0;
    }

    /** Marks every live VM of a host UNKNOWN (the host is unreachable). */
    int markUnknown(String hostId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_vm SET state = 'UNKNOWN', "
                    + "state_version = state_version + 1 WHERE host_id = ? "
                    + "AND state IN ('RUNNING', 'PAUSED', 'STOPPED')")) {
                ps.setString(1, hostId);
                return ps.executeUpdate();
            }
        });
    }

    /** @return per host id, the number of its VMs in each state (DELETED not counted) */
    Map<String, Map<VmState, Long>> vmCountsByHostAndState() {
        return db.inTransaction(c -> {
            Map<String, Map<VmState, Long>> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT host_id, state, COUNT(*) FROM compute_vm "
                    + "WHERE state <> 'DELETED' GROUP BY host_id, state"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new java.util.EnumMap<>(VmState.class))
                            .put(VmState.valueOf(rs.getString(2)), rs.getLong(3));
                }
            }
            return out;
        });
    }

    /** @return the live VMs of a host */
    List<Vm> vmsOnHost(String hostId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + VM_COLUMNS + " FROM compute_vm WHERE host_id = ? "
                    + "AND state IN (" + HOLDING + ")")) {
                ps.setString(1, hostId);
                List<Vm> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(vm(rs));
                    }
                }
                return out;
            }
        });
    }

    // --- migration -------------------------------------------------------------------------------
    // A migration holds its room on the target with a reservation: a PROVISIONING row inserted by
    // reserve(...) under the target host's lock, like a new VM; it is never announced and is
    // deleted when the migration ends, either way.

    /**
     * Moves a migrated VM to its new host and deletes the reservation that held the room there,
     * in one transaction; only if the VM is still STOPPED on {@code fromHostId} and its state did
     * not change since {@code version} was read. The state version is incremented, so a resync
     * that read the VM before the move does not apply what it found.
     *
     * @return whether it moved (false: nothing changed)
     */
    boolean moveToHost(String vmId, String fromHostId, long version, String toHostId, String reservationId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_vm SET host_id = ?, "
                    + "state_version = state_version + 1 WHERE id = ? AND host_id = ? AND state = 'STOPPED' "
                    + "AND state_version = ?")) {
                ps.setString(1, toHostId);
                ps.setString(2, vmId);
                ps.setString(3, fromHostId);
                ps.setLong(4, version);
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            deleteReservation(c, reservationId);
            return true;
        });
    }

    /** Deletes a migration's reservation (the migration failed). */
    void releaseReservation(String reservationId) {
        db.inTransaction(c -> deleteReservation(c, reservationId));
    }

    private static int deleteReservation(Connection c, String reservationId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM compute_vm WHERE id = ? AND state = 'PROVISIONING'")) {
            ps.setString(1, reservationId);
            return ps.executeUpdate();
        }
    }

    /** Keyset-paged list, newest first by (created_at, id). */
    Page<Vm> vms(VmFilter f, int limit, String cursor) {
        StringBuilder sql = new StringBuilder("SELECT " + VM_COLUMNS + " FROM compute_vm WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (f.tenantId() != null) {
            sql.append(" AND tenant_id = ?");
            args.add(f.tenantId());
        }
        if (f.hostId() != null) {
            sql.append(" AND host_id = ?");
            args.add(f.hostId());
        }
        if (f.state() != null) {
            sql.append(" AND state = ?");
            args.add(f.state().name());
        } else {
            sql.append(" AND state <> 'DELETED'");
        }
        if (cursor != null) {
            String[] c = decode(cursor);
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            OffsetDateTime at = Instant.parse(c[0]).atOffset(ZoneOffset.UTC);
            args.add(at);
            args.add(at);
            args.add(c[1]);
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit + 1);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<Vm> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(vm(rs));
                    }
                }
                String next = null;
                if (out.size() > limit) {
                    out = out.subList(0, limit);
                    Vm last = out.get(limit - 1);
                    next = encode(last.createdAt() + "|" + last.id());
                }
                return new Page<>(out, next);
            }
        });
    }

    private static String encode(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String[] decode(String cursor) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
            if (parts.length == 2) {
                Instant.parse(parts[0]);
                Ids.parse(parts[1]);
                return parts;
            }
        } catch (RuntimeException e) {
            // reported below
        }
        throw ProblemException.badRequest("invalid cursor (pass back nextCursor of the previous page): " + cursor);
    }

    private static Host host(ResultSet rs) throws SQLException {
        return new Host(rs.getString("id"), rs.getString("name"), rs.getString("uri"), rs.getString("site"),
                rs.getInt("cpu_cores"), rs.getLong("ram_mib"), rs.getBigDecimal("cpu_overcommit"),
                rs.getBigDecimal("ram_overcommit"), rs.getLong("ram_reserve_mib"), HostState.valueOf(rs.getString("state")),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static Vm vm(ResultSet rs) throws SQLException {
        return new Vm(rs.getString("id"), rs.getString("name"), rs.getString("tenant_id"), rs.getString("offering_id"),
                rs.getString("host_id"), VmState.valueOf(rs.getString("state")), rs.getInt("vcpu"), rs.getLong("ram_mib"),
                rs.getInt("disk_gib"), rs.getString("anti_affinity_group"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}

package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.messaging.Outbox;
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
 * Hosts and VMs in the database (tables {@code compute_host}, {@code compute_vm}).
 *
 * <p>Capacity: the host row carries what its VMs hold ({@code alloc_vcpu}, {@code alloc_ram_mib},
 * {@code alloc_disk_gib}: VMs in a {@link #HOLDING} state). Every change of it (a reservation, a
 * resize, a VM leaving for DELETED or FAILED) runs in one transaction with the VM row's change,
 * under the host row's lock ({@code SELECT … FOR UPDATE}) taken first. So parallel placements,
 * also from other cluster nodes on a shared PostgreSQL, never over-commit a host, and the lock
 * order (host, then VM) leaves no room for deadlocks.
 *
 * <p>Events: a change's event is written to the {@link Outbox} in the change's transaction, so
 * it is published exactly when the change is stored; the events of one VM keep the order of its
 * changes (each takes the VM row's lock).
 */
final class ComputeStore {
    /** States whose VMs hold capacity on their host. */
    static final String HOLDING = "'PROVISIONING','RUNNING','PAUSED','STOPPED','UNKNOWN'";
    private static final String HOST_COLUMNS = "id, name, uri, site, cpu_cores, ram_mib, disk_gib, cpu_overcommit, "
            + "ram_overcommit, ram_reserve_mib, state, maintenance, created_at";
    private static final String VM_COLUMNS = "id, name, tenant_id, offering_id, host_id, state, vcpu, ram_mib, disk_gib, "
            + "anti_affinity_group, created_at";

    private final Database db;
    private final Outbox outbox;
    private final String topic;

    ComputeStore(Database db, Outbox outbox, String topic) {
        this.db = db;
        this.outbox = outbox;
        this.topic = topic;
    }

    /** Writes the event (if any) in the transaction of {@code c}. */
    private void record(Connection c, DomainEvent event) throws SQLException {
        if (event != null) {
            outbox.add(c, topic, event);
        }
    }

    /** Stores an event on its own (one not tied to a stored change). */
    void record(DomainEvent event) {
        db.inTransaction(c -> {
            record(c, event);
            return null;
        });
    }

    // --- hosts -----------------------------------------------------------------------------------

    void insertHost(Host h) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO compute_host (" + HOST_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, h.id());
                ps.setString(2, h.name());
                ps.setString(3, h.uri());
                ps.setString(4, h.site());
                ps.setInt(5, h.cpuCores());
                ps.setLong(6, h.ramMib());
                ps.setLong(7, h.diskGib());
                ps.setBigDecimal(8, h.cpuOvercommit());
                ps.setBigDecimal(9, h.ramOvercommit());
                ps.setLong(10, h.ramReserveMib());
                ps.setString(11, h.state().name());
                ps.setBoolean(12, h.state() == HostState.MAINTENANCE);
                ps.setObject(13, h.createdAt().atOffset(ZoneOffset.UTC));
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

    /**
     * Records what the hypervisor reported, and whether it answers (DOWN) — maintenance stays as
     * set. Capacities of 0 keep the recorded ones (a lost host keeps its last known size).
     *
     * @param diskGib capacity of the VM storage pool, GiB; -1 keeps the recorded one, 0 records
     *        that the host has no such pool
     * @param event published with the change, or {@code null}
     */
    void updateHostStatus(String id, int cores, long ramMib, long diskGib, boolean reachable, DomainEvent event) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_host SET cpu_cores = CASE WHEN ? > 0 THEN ? "
                    + "ELSE cpu_cores END, ram_mib = CASE WHEN ? > 0 THEN ? ELSE ram_mib END, disk_gib = CASE WHEN ? >= 0 "
                    + "THEN ? ELSE disk_gib END, state = CASE WHEN ? THEN "
                    + "(CASE WHEN maintenance THEN 'MAINTENANCE' ELSE 'ENABLED' END) ELSE 'DOWN' END WHERE id = ?")) {
                ps.setInt(1, cores);
                ps.setInt(2, cores);
                ps.setLong(3, ramMib);
                ps.setLong(4, ramMib);
                ps.setLong(5, diskGib);
                ps.setLong(6, diskGib);
                ps.setBoolean(7, reachable);
                ps.setString(8, id);
                ps.executeUpdate();
            }
            record(c, event);
            return null;
        });
    }

    /**
     * Records the room the VM storage pool offers Verbund: its capacity minus what volumes Verbund
     * did not create take (images, unmanaged domains), i.e. {@code max(0, capacity − max(0, used −
     * allocated by Verbund))}, GiB. On thinly provisioned pools the used space is below what
     * Verbund allocated, and the whole capacity counts.
     *
     * @param capacityGib the pool's capacity, GiB (0: no such pool)
     * @param usedGib what the pool's volumes take now, GiB (rounded up)
     */
    void refreshDisk(String id, long capacityGib, long usedGib) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_host SET disk_gib = GREATEST(0, ? - GREATEST(0, "
                    + "? - alloc_disk_gib)) WHERE id = ?")) {
                ps.setLong(1, capacityGib);
                ps.setLong(2, usedGib);
                ps.setString(3, id);
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

    /** @return every host with what its VMs hold now */
    List<HostLoad> loads() {
        return loads(null, null);
    }

    /**
     * @param tenant the authority whose anti-affinity group it is (groups are per authority)
     * @param group an anti-affinity group whose members' hosts to find, or {@code null}
     * @return every host with what its VMs hold now; {@link HostLoad#antiAffinityGroups()} holds
     *         {@code group} on the hosts with a member of it (other groups are not looked up)
     */
    List<HostLoad> loads(String tenant, String group) {
        return db.inTransaction(c -> {
            Set<String> members = new HashSet<>();
            if (group != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT host_id FROM compute_vm "
                        + "WHERE anti_affinity_group = ? AND tenant_id = ? AND state IN (" + HOLDING + ")")) {
                    ps.setString(1, group);
                    ps.setString(2, tenant);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            members.add(rs.getString(1));
                        }
                    }
                }
            }
            List<HostLoad> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + HOST_COLUMNS + ", alloc_vcpu, alloc_ram_mib, "
                    + "alloc_disk_gib FROM compute_host ORDER BY name"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(load(rs, members.contains(rs.getString("id")) ? Set.of(group) : Set.of()));
                }
            }
            return out;
        });
    }

    /** vCPUs, MiB and GiB a host can still take, in SQL: the same arithmetic as {@link Host#vcpuCapacity()} and {@link Host#ramCapacityMib()}. */
    private static final String VCPU_FREE = "(FLOOR(cpu_cores * cpu_overcommit) - alloc_vcpu)";
    private static final String RAM_FREE = "(GREATEST(0, FLOOR((ram_mib - ram_reserve_mib) * ram_overcommit)) - alloc_ram_mib)";
    private static final String DISK_FREE = "(disk_gib - alloc_disk_gib)";

    /**
     * The hosts a request fits on now, best first for its strategy (most free RAM for SPREAD,
     * least for PACK, then most free vCPUs, then name and id), at most {@code limit}: the
     * database does placement's filtering and ordering, so a create reads a few host rows, not
     * all of them. The rule is {@link de.sid.verbund.compute.core.internal.placement.Placement}'s
     * (state ENABLED, site, RAM after reserve and overcommit, vCPU after overcommit, disk,
     * anti-affinity); callers still run it on the result.
     *
     * @param tenant the authority (its anti-affinity group)
     * @return the candidates; empty when the request fits nowhere (ask {@link #loads(String, String)} why)
     */
    List<HostLoad> candidates(de.sid.verbund.compute.PlacementRequest r, String tenant, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + HOST_COLUMNS + ", alloc_vcpu, alloc_ram_mib, alloc_disk_gib "
                + "FROM compute_host WHERE state = 'ENABLED' AND " + VCPU_FREE + " >= ? AND " + RAM_FREE + " >= ? AND "
                + DISK_FREE + " >= ?");
        List<Object> args = new ArrayList<>(List.of(r.vcpu(), r.ramMib(), r.diskGib()));
        if (r.site() != null) {
            sql.append(" AND site = ?");
            args.add(r.site());
        }
        if (r.antiAffinityGroup() != null) {
            sql.append(" AND id NOT IN (SELECT host_id FROM compute_vm WHERE anti_affinity_group = ? AND tenant_id = ? "
                    + "AND state IN (" + HOLDING + "))");
            args.add(r.antiAffinityGroup());
            args.add(tenant);
        }
        boolean pack = r.strategy() == de.sid.verbund.compute.PlacementStrategy.PACK;
        sql.append(" ORDER BY " + RAM_FREE + (pack ? " ASC" : " DESC") + ", " + VCPU_FREE + " DESC, name, id LIMIT ?");
        args.add(limit);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<HostLoad> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(load(rs, Set.of()));
                    }
                }
                return out;
            }
        });
    }

    private static HostLoad load(ResultSet rs, Set<String> groups) throws SQLException {
        return new HostLoad(host(rs), rs.getLong("alloc_vcpu"), rs.getLong("alloc_ram_mib"), rs.getLong("alloc_disk_gib"),
                groups);
    }

    /** Locks a host row; @return it with what its VMs hold, or empty when there is no such host. */
    private static Optional<HostLoad> lockHost(Connection c, String hostId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + HOST_COLUMNS + ", alloc_vcpu, alloc_ram_mib, "
                + "alloc_disk_gib FROM compute_host WHERE id = ? FOR UPDATE")) {
            ps.setString(1, hostId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(load(rs, Set.of())) : Optional.empty();
            }
        }
    }

    /** Adds to (or, negative, takes from) what a host's VMs hold; the caller holds the host's lock. */
    private static void allocate(Connection c, String hostId, long vcpu, long ramMib, long diskGib) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE compute_host SET alloc_vcpu = alloc_vcpu + ?, "
                + "alloc_ram_mib = alloc_ram_mib + ?, alloc_disk_gib = alloc_disk_gib + ? WHERE id = ?")) {
            ps.setLong(1, vcpu);
            ps.setLong(2, ramMib);
            ps.setLong(3, diskGib);
            ps.setString(4, hostId);
            ps.executeUpdate();
        }
    }

    /**
     * Inserts a VM in its state (PROVISIONING for a create) on its host if it still fits there,
     * checked under the host row's lock, and adds its size to the host's allocation.
     *
     * @param fits decides on the locked host's current load
     * @param event published with the insert, or {@code null}
     * @return whether the VM was inserted
     * @throws ProblemException CONFLICT when the tenant has a live VM of that name already
     */
    boolean reserve(Vm vm, java.util.function.Predicate<HostLoad> fits, DomainEvent event) {
        return reserve(vm, fits, event, true);
    }

    /**
     * As {@link #reserve(Vm, java.util.function.Predicate, DomainEvent)}; a migration's reservation
     * (a second row of the VM's name) skips the name check.
     */
    boolean reserve(Vm vm, java.util.function.Predicate<HostLoad> fits, DomainEvent event, boolean uniqueName) {
        return db.inTransaction(c -> {
            Optional<HostLoad> locked = lockHost(c, vm.hostId());
            if (locked.isEmpty()) {
                return false;
            }
            if (uniqueName && nameTaken(c, vm.tenantId(), vm.name())) {
                throw ProblemException.conflict("the authority already has a VM named '" + vm.name() + "'");
            }
            HostLoad load = locked.get();
            if (vm.antiAffinityGroup() != null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM compute_vm WHERE anti_affinity_group = ? "
                        + "AND tenant_id = ? AND host_id = ? AND state IN (" + HOLDING + ") LIMIT 1")) {
                    ps.setString(1, vm.antiAffinityGroup());
                    ps.setString(2, vm.tenantId());
                    ps.setString(3, vm.hostId());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (rs.next()) {
                            load = new HostLoad(load.host(), load.vcpu(), load.ramMib(), load.diskGib(),
                                    Set.of(vm.antiAffinityGroup()));
                        }
                    }
                }
            }
            if (!fits.test(load)) {
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
            allocate(c, vm.hostId(), vm.vcpu(), vm.ramMib(), vm.diskGib());
            record(c, event);
            return true;
        });
    }

    /**
     * Changes a stopped VM's size if its host can hold the difference, checked under the host
     * row's lock like a reservation (the VM's own current size is not counted against it).
     *
     * @param event published with the change, or {@code null}
     * @return whether it was changed (false: does not fit, or the VM is no longer STOPPED)
     */
    boolean resize(Vm vm, int vcpu, long ramMib, java.util.function.Predicate<HostLoad> fits, DomainEvent event) {
        return db.inTransaction(c -> {
            Optional<HostLoad> locked = lockHost(c, vm.hostId());
            Optional<Vm> current = vmFor(c, vm.id(), true);
            if (locked.isEmpty() || current.isEmpty() || current.get().state() != VmState.STOPPED
                    || !current.get().hostId().equals(vm.hostId())) {
                return false;
            }
            Vm was = current.get();
            HostLoad l = locked.get();
            if (!fits.test(new HostLoad(l.host(), l.vcpu() - was.vcpu(), l.ramMib() - was.ramMib(),
                    l.diskGib() - was.diskGib(), Set.of()))) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_vm SET vcpu = ?, ram_mib = ? WHERE id = ?")) {
                ps.setInt(1, vcpu);
                ps.setLong(2, ramMib);
                ps.setString(3, vm.id());
                ps.executeUpdate();
            }
            allocate(c, vm.hostId(), vcpu - was.vcpu(), ramMib - was.ramMib(), 0);
            record(c, event);
            return true;
        });
    }

    /** @return per host id, what the VMs in holding states sum to (vCPU, MiB, GiB): the audit of the kept totals */
    Map<String, long[]> allocationFromVms() {
        return db.inTransaction(c -> {
            Map<String, long[]> sums = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT host_id, SUM(vcpu), SUM(ram_mib), SUM(disk_gib) "
                    + "FROM compute_vm WHERE state IN (" + HOLDING + ") GROUP BY host_id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sums.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
            return sums;
        });
    }

    // --- VMs -------------------------------------------------------------------------------------

    boolean nameTaken(String tenantId, String name) {
        return db.inTransaction(c -> nameTaken(c, tenantId, name));
    }

    private static boolean nameTaken(Connection c, String tenantId, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM compute_vm WHERE tenant_id = ? AND name = ? "
                + "AND state NOT IN ('DELETED', 'FAILED')")) {
            ps.setString(1, tenantId);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    Optional<Vm> vm(String id) {
        return db.inTransaction(c -> vmFor(c, id, false));
    }

    private static Optional<Vm> vmFor(Connection c, String id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + VM_COLUMNS + " FROM compute_vm WHERE id = ?"
                + (lock ? " FOR UPDATE" : ""))) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(vm(rs)) : Optional.empty();
            }
        }
    }

    private static boolean holds(VmState state) {
        return state != VmState.DELETED && state != VmState.FAILED;
    }

    /**
     * The one way a VM's state changes: under the lock of its row (and, when it gives capacity
     * back, of its host, taken first), if {@code applies} accepts the VM as it is now and the
     * state differs. Leaving the holding states (for DELETED or FAILED) gives its size back to the
     * host; DELETED stamps {@code deleted_at}. A DELETED or FAILED VM never changes again.
     *
     * @param event published with the change, or {@code null}
     * @return whether the stored state changed
     */
    private boolean transition(String id, VmState to, java.util.function.BiPredicate<Vm, Long> applies,
            DomainEvent... events) {
        return transition(id, null, to, applies, events);
    }

    /** @param hostId the VM's host when the caller knows it (saves a read), else {@code null} */
    private boolean transition(String id, String hostId, VmState to, java.util.function.BiPredicate<Vm, Long> applies,
            DomainEvent... events) {
        boolean releases = !holds(to);
        return db.inTransaction(c -> {
            String host = hostId;
            if (host == null && releases) {
                Optional<Vm> seen = vmFor(c, id, false);
                if (seen.isEmpty()) {
                    return false;
                }
                host = seen.get().hostId();
            }
            if (releases) {
                // host first (the order every capacity change takes), then the VM row; a change
                // between holding states moves no capacity and takes the VM row's lock only
                lockHost(c, host);
            }
            Vm vm;
            long version;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + VM_COLUMNS + ", state_version FROM compute_vm "
                    + "WHERE id = ? FOR UPDATE")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return false;
                    }
                    vm = vm(rs);
                    version = rs.getLong("state_version");
                }
            }
            if ((host != null && !vm.hostId().equals(host)) || vm.state() == to || !holds(vm.state())
                    || !applies.test(vm, version)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_vm SET state = ?, state_version = state_version + 1, "
                    + "deleted_at = CASE WHEN ? THEN ? ELSE deleted_at END WHERE id = ?")) {
                ps.setString(1, to.name());
                ps.setBoolean(2, to == VmState.DELETED);
                ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(4, id);
                ps.executeUpdate();
            }
            if (releases) {
                allocate(c, vm.hostId(), -vm.vcpu(), -vm.ramMib(), -vm.diskGib());
            }
            for (DomainEvent event : events) {
                record(c, event);
            }
            return true;
        });
    }

    /**
     * Sets a VM's state from whatever live state it is in (a create's own steps, failures).
     *
     * @param event published with the change, or {@code null}
     * @return whether it changed
     */
    boolean setState(String id, VmState state, DomainEvent event) {
        return transition(id, state, (vm, version) -> true, event);
    }

    /**
     * Removes a FAILED VM from the lists (DELETED): it holds no capacity and was never announced,
     * so nothing else changes and no event is stored.
     *
     * @return whether it was FAILED and is DELETED now
     */
    boolean discardFailed(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_vm SET state = 'DELETED', "
                    + "state_version = state_version + 1, deleted_at = ? WHERE id = ? AND state = 'FAILED'")) {
                ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(2, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * Finishes a create: PROVISIONING becomes RUNNING, with the create's events.
     *
     * @return false when the VM is no longer PROVISIONING (deleted meanwhile)
     */
    boolean created(Vm provisioning, DomainEvent created, DomainEvent running) {
        // one compare-and-set statement: RUNNING holds the capacity PROVISIONING held, so neither
        // the host's lock nor a read of the row is needed (a create's hottest transaction)
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_vm SET state = 'RUNNING', "
                    + "state_version = state_version + 1 WHERE id = ? AND host_id = ? AND state = 'PROVISIONING'")) {
                ps.setString(1, provisioning.id());
                ps.setString(2, provisioning.hostId());
                if (ps.executeUpdate() != 1) {
                    return false;
                }
            }
            record(c, created);
            record(c, running);
            return true;
        });
    }

    /**
     * Changes a VM's state only if it still is {@code from} (compare-and-set): a change based on
     * what a thread saw earlier is dropped when another change came in between, so a late resync
     * cannot undo a newer state, and of two threads reporting the same change only one succeeds.
     * DELETED is set from any live state ({@code from} is ignored).
     *
     * @param event published with the change, or {@code null}
     * @return whether the stored state changed
     */
    boolean changeState(String id, VmState from, VmState to, DomainEvent event) {
        return transition(id, to, (vm, version) -> to == VmState.DELETED || vm.state() == from, event);
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
     * @param event published with the change, or {@code null}
     * @return whether it changed
     */
    boolean changeStateAt(String id, long version, VmState to, DomainEvent event) {
        return transition(id, to, (vm, v) -> v == version, event);
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
     * in one transaction with its event; only if the VM is still STOPPED on {@code fromHostId} and
     * its state did not change since {@code version} was read. The state version is incremented,
     * so a resync that read the VM before the move does not apply what it found. Both hosts are
     * locked (in id order); the source gives the VM's size back, the target swaps the
     * reservation's size for the VM's.
     *
     * @param event published with the move
     * @return whether it moved (false: nothing changed)
     */
    boolean moveToHost(String vmId, String fromHostId, long version, String toHostId, String reservationId,
            DomainEvent event) {
        return db.inTransaction(c -> {
            for (String id : new java.util.TreeSet<>(List.of(fromHostId, toHostId))) {
                lockHost(c, id);
            }
            Optional<Vm> vm = vmFor(c, vmId, true);
            Optional<Vm> reservation = vmFor(c, reservationId, true);
            if (vm.isEmpty() || reservation.isEmpty() || reservation.get().state() != VmState.PROVISIONING) {
                return false;
            }
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
            deleteReservation(c, reservation.get());
            Vm v = vm.get();
            allocate(c, fromHostId, -v.vcpu(), -v.ramMib(), -v.diskGib());
            allocate(c, toHostId, v.vcpu(), v.ramMib(), v.diskGib());
            record(c, event);
            return true;
        });
    }

    /** Deletes a migration's reservation (the migration failed), giving its room back. */
    void releaseReservation(String reservationId) {
        db.inTransaction(c -> {
            Optional<Vm> seen = vmFor(c, reservationId, false);
            if (seen.isEmpty()) {
                return 0;
            }
            lockHost(c, seen.get().hostId());
            Optional<Vm> r = vmFor(c, reservationId, true);
            return r.isPresent() && r.get().state() == VmState.PROVISIONING ? deleteReservation(c, r.get()) : 0;
        });
    }

    /** Deletes a reservation row and takes its size off its host; the caller holds the host's lock. */
    private static int deleteReservation(Connection c, Vm reservation) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM compute_vm WHERE id = ? AND state = 'PROVISIONING'")) {
            ps.setString(1, reservation.id());
            int n = ps.executeUpdate();
            if (n == 1) {
                allocate(c, reservation.hostId(), -reservation.vcpu(), -reservation.ramMib(), -reservation.diskGib());
            }
            return n;
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
                rs.getInt("cpu_cores"), rs.getLong("ram_mib"), rs.getLong("disk_gib"), rs.getBigDecimal("cpu_overcommit"),
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

package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Evacuation;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.PlacementDecision;
import de.sid.verbund.compute.PlacementRequest;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.core.internal.placement.Placement;
import de.sid.verbund.compute.spi.ComputeException;
import de.sid.verbund.compute.spi.ComputeProvider;
import de.sid.verbund.compute.spi.DomainExport;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.DomainSpec;
import de.sid.verbund.compute.spi.HostCapacity;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.compute.spi.StoragePoolInfo;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.persistence.PersistenceException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hosts and the VM lifecycle over the hypervisor SPI. Plain Java (tests construct it);
 * {@link ComputeComponent} runs it in OSGi. Every state change is stored together with its
 * event ({@code vm.created}, {@code vm.state-changed}, {@code vm.resized}, {@code vm.deleted},
 * with the VM's sizing and owning tenant in the payload) in one transaction through the
 * {@link Outbox}, which publishes it on {@value #TOPIC} after the commit.
 */
public final class ComputeServiceImpl implements ComputeService, AutoCloseable {
    /** The topic compute events are published on. */
    public static final String TOPIC = "compute.events";
    private static final Logger LOG = LoggerFactory.getLogger(ComputeServiceImpl.class);
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** A libvirt connection URI: a hypervisor driver, optionally a transport, then the rest (libvirt's uri.html). */
    private static final Pattern LIBVIRT_URI = Pattern.compile(
            "(qemu|test|lxc|xen|libxl|vbox|vmwareplayer|vmwarews|vmwarefusion|esx|gsx|vpx|bhyve|hyperv|openvz|ch|vz)"
                    + "(\\+(ssh|libssh|libssh2|tcp|tls|unix|ext))?://[^\\s]{0,490}");

    private final ComputeStore store;
    private final Allocator allocator;
    private final HostConnections connections;
    private final ComputeConfig config;
    /** Whether this node owns a host (by id): always, without a cluster. */
    private final java.util.function.Predicate<String> owns;
    /** In a cluster, the owners' side of hypervisor calls; {@code null} without one. */
    private final HostCalls remote;
    /** This node's handler for other members' hypervisor calls; {@code null} without a cluster. */
    private final de.sid.verbund.cluster.ListenerRegistration serving;
    private final java.util.concurrent.atomic.AtomicLong gained = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lost = new java.util.concurrent.atomic.AtomicLong();

    public ComputeServiceImpl(Database db, Outbox outbox, Function<String, Optional<ComputeProvider>> providers,
            ComputeConfig config) {
        this(db, outbox, providers, config, hostId -> true);
    }

    /**
     * @param owns whether this node owns a host (by id), i.e. keeps its connection, its
     *        domain-change callbacks, its keepalive and its resyncs; other nodes' operations on it
     *        use a connection opened on demand. Call {@link #ownershipChanged()} when it may
     *        have changed.
     */
    public ComputeServiceImpl(Database db, Outbox outbox, Function<String, Optional<ComputeProvider>> providers,
            ComputeConfig config, java.util.function.Predicate<String> owns) {
        this(db, outbox, providers, config, owns, null);
    }

    /**
     * In a cluster: this node keeps connections, callbacks, keepalive and resyncs only for the
     * hosts whose key {@code host:<id>} it owns, and the hypervisor calls of its operations on
     * other hosts are made by their owners ({@link HostCalls}); it makes those of other nodes on
     * its hosts.
     *
     * @param cluster the membership; its handler {@value HostCalls#OPERATION} is registered here
     *        and removed by {@link #close()}
     */
    public ComputeServiceImpl(Database db, Outbox outbox, Function<String, Optional<ComputeProvider>> providers,
            ComputeConfig config, de.sid.verbund.cluster.ClusterService cluster) {
        this(db, outbox, providers, config, id -> cluster.isLocalOwner(ComputeComponent.hostKey(id)),
                new HostCalls(cluster, Duration.ofSeconds(config.owner_call_timeout_s())));
    }

    private ComputeServiceImpl(Database db, Outbox outbox, Function<String, Optional<ComputeProvider>> providers,
            ComputeConfig config, java.util.function.Predicate<String> owns, HostCalls remote) {
        this.owns = owns;
        this.remote = remote;
        db.migrate("compute", ComputeServiceImpl.class.getClassLoader());
        this.store = new ComputeStore(db, outbox, TOPIC);
        this.allocator = new Allocator(store);
        this.config = config;
        this.connections = new HostConnections(providers, new HostConnections.Listener() {
            @Override
            public void connected(Host host, HypervisorConnection connection) {
                HostCapacity cap = connection.capacity();
                if (refreshDisk(host.id(), connection) == 0) {
                    LOG.warn("host {} has no storage pool '{}' (or it is full): it takes no VMs", host.name(),
                            config.storage_pool());
                }
                boolean wasDown = store.host(host.id()).map(h -> h.state() == HostState.DOWN && h.cpuCores() > 0)
                        .orElse(false);
                store.updateHostStatus(host.id(), cap.cpuCores(), cap.ramMib(), -1, true,
                        wasDown ? hostEvent("host.up", host, "connected again") : null);
                ComputeServiceImpl.this.connections.submit(() -> {
                    if (connection.forgetsDomainsOnReconnect()) {
                        restoreForgotten(host.id(), connection);
                    }
                    resync(host.id());
                });
            }

            @Override
            public void lost(Host host, String reason) {
                boolean wasUp = store.host(host.id()).map(h -> h.state() != HostState.DOWN).orElse(false);
                // once per outage, not per reconnect attempt; the alarms area will turn it into an alarm
                store.updateHostStatus(host.id(), 0, 0, -1, false, wasUp ? hostEvent("host.down", host, reason) : null);
                int n = store.markUnknown(host.id());
                if (n > 0) {
                    LOG.warn("host {} unreachable ({}): {} VM(s) now UNKNOWN", host.name(), reason, n);
                }
            }
        }, this::domainChanged,
                config.keepalive_check_s());
        for (String entry : config.hosts()) {
            // a .cfg file gives the list as one comma-separated string
            for (String line : entry.split(",")) {
                if (!line.isBlank()) {
                    registerConfigured(line.trim());
                }
            }
        }
        for (Host h : store.hosts()) {
            if (owns(h.id())) {
                connections.track(h);
                gained.incrementAndGet();
            }
        }
        serving = remote == null ? null : remote.serve(this::ownConnection);
    }

    /**
     * The connection this node keeps to a host it owns, for a call another member sent here.
     *
     * @throws ProblemException UNAVAILABLE when it keeps none (not the owner any more, or the host
     *         is not connected)
     */
    private HypervisorConnection ownConnection(String hostId) {
        Host host = store.host(hostId).orElseThrow(() -> ProblemException.notFound("no host " + hostId));
        if (!connections.isTracked(hostId)) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "host " + host.name() + " is not kept by this member "
                    + "(ownership is moving); try again");
        }
        return connections.require(hostId, host.name());
    }

    /**
     * The connection an operation uses on a host: this node's own when it owns the host; in a
     * cluster, one whose calls the owner makes ({@link HostCalls}); without one (tests of
     * {@link #ComputeServiceImpl(Database, Outbox, Function, ComputeConfig, java.util.function.Predicate)}),
     * one opened on demand.
     */
    private HypervisorConnection connection(Host host) {
        boolean mine = owns(host.id());
        if (remote != null && !mine && !connections.isTracked(host.id())) {
            return remote.connectionTo(host);
        }
        return connections.forOperation(host, mine);
    }

    private boolean owns(String hostId) {
        return owns.test(hostId);
    }

    /**
     * Connects the hosts this node owns now and is not connected to (they are resynchronised on
     * connect), and closes the connections of hosts it no longer owns. Also picks up hosts another
     * node registered.
     */
    void ownershipChanged() {
        int in = 0;
        int out = 0;
        for (Host h : store.hosts()) {
            boolean mine = owns(h.id());
            if (mine && !connections.isTracked(h.id())) {
                connections.track(h);
                in++;
            } else if (!mine && connections.isTracked(h.id())) {
                connections.untrack(h.id());
                out++;
            }
        }
        gained.addAndGet(in);
        lost.addAndGet(out);
        if (in + out > 0) {
            LOG.info("hosts: this node took over {} and handed over {}; it owns {}", in, out, connections.trackedIds().size());
        }
    }

    /** @return {owned hosts, hosts taken over, hosts handed over} */
    long[] ownership() {
        return new long[] {connections.trackedIds().size(), gained.get(), lost.get()};
    }

    private void registerConfigured(String line) {
        String[] p = line.split("\\|");
        if (p.length < 3) {
            LOG.error("ignoring host entry '{}': name|uri|site expected", line);
            return;
        }
        if (store.hosts().stream().anyMatch(h -> h.name().equals(p[0].trim()))) {
            return;
        }
        try {
            registerHost(new NewHost(p[0].trim(), p[1].trim(), p[2].trim(),
                    p.length > 3 ? new BigDecimal(p[3].trim()) : null, p.length > 4 ? new BigDecimal(p[4].trim()) : null,
                    p.length > 5 ? Long.valueOf(p[5].trim()) : null));
        } catch (RuntimeException e) {
            LOG.error("ignoring host entry '{}': {}", line, e.getMessage());
        }
    }

    // --- hosts -----------------------------------------------------------------------------------

    @Override
    public Host registerHost(NewHost h) {
        List<String> errors = new ArrayList<>();
        if (h.name() == null || !NAME.matcher(h.name()).matches()) {
            errors.add("name must be 1-63 characters of a-z, 0-9 and '-'");
        }
        if (h.uri() == null || !LIBVIRT_URI.matcher(h.uri()).matches()) {
            errors.add("uri must be a libvirt URI such as qemu+ssh://kvm-1/system or test:///default");
        } else {
            de.sid.verbund.compute.spi.TestDriverUris.problem(h.uri()).ifPresent(p -> errors.add("uri: " + p));
        }
        if (h.site() == null || h.site().isBlank() || h.site().length() > 63) {
            errors.add("site must have 1-63 characters");
        }
        BigDecimal cpu = h.cpuOvercommit() == null ? new BigDecimal("4.0") : h.cpuOvercommit();
        BigDecimal ram = h.ramOvercommit() == null ? BigDecimal.ONE : h.ramOvercommit();
        long reserve = h.ramReserveMib() == null ? 2048 : h.ramReserveMib();
        if (cpu.compareTo(BigDecimal.ONE) < 0 || cpu.compareTo(BigDecimal.valueOf(32)) > 0) {
            errors.add("cpuOvercommit must be between 1 and 32");
        }
        if (ram.compareTo(new BigDecimal("0.5")) < 0 || ram.compareTo(BigDecimal.valueOf(4)) > 0) {
            errors.add("ramOvercommit must be between 0.5 and 4");
        }
        if (reserve < 0 || reserve > 16L * 1024 * 1024) {
            errors.add("ramReserveMib must be 0..16777216 (16 TiB)");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid host: " + String.join("; ", errors), errors, null);
        }
        // (not for the test driver: every connection to a test:// node file is a hypervisor of its own)
        store.hosts().stream().filter(x -> x.uri().equals(h.uri()) && !h.uri().startsWith("test:")).findFirst().ifPresent(x -> {
            throw ProblemException.conflict("host " + x.name() + " has that URI already (a hypervisor registered twice "
                    + "would count its capacity twice)");
        });
        Host host = new Host(Ids.newId(), h.name(), h.uri(), h.site(), 0, 0, 0, cpu, ram, reserve, HostState.DOWN,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        try {
            store.insertHost(host);
        } catch (PersistenceException e) {
            if (e.isUniqueViolation()) {
                throw ProblemException.conflict("host name '" + h.name() + "' is taken");
            }
            throw e;
        }
        if (owns(host.id())) {
            connections.track(host);
            gained.incrementAndGet();
        }
        return host;
    }

    @Override
    public List<Host> hosts() {
        return store.hosts();
    }

    /** @return each host's load read from its connection now, or why it could not be read */
    List<de.sid.verbund.compute.HostStatsSource.HostReading> readHostStats() {
        List<de.sid.verbund.compute.HostStatsSource.HostReading> out = new ArrayList<>();
        for (Host h : store.hosts()) {
            try {
                out.add(new de.sid.verbund.compute.HostStatsSource.HostReading(h,
                        connection(h).stats(), null));
            } catch (RuntimeException e) {
                out.add(new de.sid.verbund.compute.HostStatsSource.HostReading(h, null, e.getMessage()));
            }
        }
        return out;
    }

    @Override
    public Optional<Host> host(String id) {
        return store.host(Ids.parse(id).toString());
    }

    @Override
    public List<HostLoad> hostLoads() {
        return store.loads();
    }

    @Override
    public Host setMaintenance(String hostId, boolean maintenance) {
        String id = Ids.parse(hostId).toString();
        store.setMaintenance(id, maintenance);
        return store.host(id).orElseThrow(() -> ProblemException.notFound("no host " + hostId));
    }

    @Override
    public List<DomainInfo> unmanagedDomains(String hostId) {
        Host host = host(hostId).orElseThrow(() -> ProblemException.notFound("no host " + hostId));
        List<DomainInfo> all;
        try {
            all = connection(host).domains();
        } catch (ComputeException e) {
            throw problem(e, host);
        }
        // a domain whose VM is recorded on another host (left over after a migration) is unmanaged here
        return all.stream().filter(d -> store.vm(d.uuid()).map(vm -> !vm.hostId().equals(host.id())).orElse(true))
                .toList();
    }

    @Override
    public Vm adoptDomain(String hostId, String domainUuid, String tenantId, String name) {
        Host host = host(hostId).orElseThrow(() -> ProblemException.notFound("no host " + hostId));
        String uuid = Ids.parse(domainUuid).toString();
        String tenant = Ids.parse(tenantId).toString();
        Optional<Vm> known = store.vm(uuid);
        if (known.isPresent()) {
            throw ProblemException.conflict("domain " + uuid + " is already managed as VM " + known.get().name()
                    + " (" + known.get().state() + ")");
        }
        DomainInfo d;
        try {
            d = connection(host).domain(uuid)
                    .orElseThrow(() -> ProblemException.notFound("host " + host.name() + " has no domain " + uuid));
        } catch (ComputeException e) {
            throw problem(e, host);
        }
        String vmName = name != null ? name : d.name().toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (!NAME.matcher(vmName).matches()) {
            throw ProblemException.badRequest("name must be 1-63 characters of a-z, 0-9 and '-' (the domain's name '"
                    + d.name() + "' is not; give one)");
        }
        if (store.nameTaken(tenant, vmName)) {
            throw ProblemException.conflict("the authority already has a VM named '" + vmName + "'");
        }
        VmState state = switch (d.state()) {
            case RUNNING -> VmState.RUNNING;
            case PAUSED -> VmState.PAUSED;
            case SHUTOFF, CRASHED -> VmState.STOPPED;
            case OTHER -> VmState.UNKNOWN;
        };
        Vm vm = new Vm(uuid, vmName, tenant, null, host.id(), state, d.vcpu(), d.ramMib(), 0, null,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        PlacementRequest pr = new PlacementRequest(Math.max(1, d.vcpu()), Math.max(1, d.ramMib()), 0, null, null, null);
        boolean reserved;
        try {
            reserved = store.reserve(vm, load -> Placement.place(pr, List.of(load)).placed(), vmEvent("vm.created", vm));
        } catch (PersistenceException e) {
            if (e.isUniqueViolation()) {
                throw ProblemException.conflict("domain " + uuid + " was adopted meanwhile");
            }
            throw e;
        }
        if (!reserved) {
            throw ProblemException.conflict("domain " + d.name() + " (" + d.vcpu() + " vCPU, " + d.ramMib()
                    + " MiB) does not fit the free capacity of " + host.name() + ": "
                    + Placement.place(pr, store.loads().stream().filter(l -> l.host().id().equals(host.id())).toList()).explain());
        }
        return vm;
    }

    // --- placement -------------------------------------------------------------------------------

    @Override
    public PlacementDecision dryRun(PlacementRequest request, String tenantId) {
        if (request.antiAffinityGroup() != null && tenantId == null) {
            throw ProblemException.badRequest("an anti-affinity group belongs to an authority: give tenantId with it");
        }
        String tenant = tenantId == null ? null : Ids.parse(tenantId).toString();
        return Placement.place(request, store.loads(tenant, request.antiAffinityGroup()));
    }

    // --- VMs -------------------------------------------------------------------------------------

    /**
     * Places the VM and holds its capacity (PROVISIONING), creates its volume and domain, starts
     * it, and stores RUNNING with {@code vm.created} and {@code vm.state-changed} in one
     * transaction. If a step fails, the domain and volume are removed again and the VM is FAILED
     * (its capacity released, no event: it never existed for billing).
     */
    @Override
    public Vm createVm(VmRequest r) {
        validate(r);
        String tenant = Ids.parse(r.tenantId()).toString();
        // the name is checked in the reservation's transaction
        Allocator.Allocation a = allocator.allocate(r, tenant);
        Vm vm = a.vm();
        Host host = a.host();
        HypervisorConnection c;
        try {
            c = connection(host);
        } catch (ProblemException e) {
            store.setState(vm.id(), VmState.FAILED, null);
            throw e;
        }
        try {
            c.define(new DomainSpec(vm.id(), domainName(vm), vm.vcpu(), vm.ramMib(), vm.diskGib(), r.image(),
                    config.storage_pool(), config.network()));
        } catch (ComputeException e) {
            store.setState(vm.id(), VmState.FAILED, null);
            if (e.kind() == ComputeException.Kind.NO_SPACE) {
                // the pool holds more than Verbund knows of: learn it, so the next placement does
                try {
                    refreshDisk(host.id(), c);
                } catch (RuntimeException refresh) {
                    e.addSuppressed(refresh);
                }
            }
            throw problem(e, host);
        }
        try {
            c.start(vm.id());
        } catch (ComputeException e) {
            try {
                c.undefine(vm.id(), true);
            } catch (ComputeException cleanup) {
                e.addSuppressed(cleanup);
            }
            store.setState(vm.id(), VmState.FAILED, null);
            throw problem(e, host);
        }
        Vm running = with(vm, VmState.RUNNING);
        if (!store.created(vm, vmEvent("vm.created", with(vm, VmState.STOPPED)), vmEvent("vm.state-changed", running))) {
            // deleted meanwhile (the only change a PROVISIONING VM allows)
            throw ProblemException.conflict("VM " + vm.name() + " was deleted while it was created");
        }
        return running;
    }

    private static Vm with(Vm vm, VmState state) {
        return new Vm(vm.id(), vm.name(), vm.tenantId(), vm.offeringId(), vm.hostId(), state, vm.vcpu(), vm.ramMib(),
                vm.diskGib(), vm.antiAffinityGroup(), vm.createdAt());
    }

    private static String domainName(Vm vm) {
        return vm.name() + "-" + vm.id().substring(0, 8);
    }

    private static void validate(VmRequest r) {
        List<String> errors = new ArrayList<>();
        if (r.name() == null || !NAME.matcher(r.name()).matches()) {
            errors.add("name must be 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-'");
        }
        if (r.tenantId() == null) {
            errors.add("tenantId is required");
        } else if (!r.tenantId().matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            errors.add("tenantId must be a UUID");
        }
        if (r.vcpu() < 1 || r.vcpu() > 64) {
            errors.add("vcpu must be 1..64");
        }
        if (r.ramMib() < 256 || r.ramMib() > 1_048_576) {
            errors.add("ramMib must be 256..1048576");
        }
        if (r.diskGib() < 1 || r.diskGib() > 16_384) {
            errors.add("diskGib must be 1..16384");
        }
        if (r.image() != null && !r.image().matches("[A-Za-z0-9._-]{1,100}")) {
            errors.add("image must be a volume name of letters, digits, '.', '_', '-'");
        }
        // the catalogue's offering code (vm-m), which billing prices by; a UUID matches too
        if (r.offeringId() != null && !r.offeringId().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,35}")) {
            errors.add("offeringId must be an offering code of 1-36 letters, digits, '.', '_', '-'");
        }
        if (r.site() != null && (r.site().isBlank() || r.site().length() > 63)) {
            errors.add("site must have 1-63 characters");
        }
        if (r.antiAffinityGroup() != null && !NAME.matcher(r.antiAffinityGroup()).matches()) {
            errors.add("antiAffinityGroup must be 1-63 characters of a-z, 0-9 and '-'");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid VM: " + String.join("; ", errors), errors, null);
        }
    }

    private static ProblemException problem(ComputeException e, Host host) {
        ProblemType type = switch (e.kind()) {
            case CONNECTION -> ProblemType.UNAVAILABLE;
            case NAME_TAKEN, INVALID_STATE, NO_SPACE -> ProblemType.CONFLICT;
            case NOT_FOUND, UNSUPPORTED -> ProblemType.BAD_REQUEST;
            case FAILED -> ProblemType.INTERNAL;
        };
        return new ProblemException(type, "host " + host.name() + ": " + e.getMessage(), List.of(), e);
    }

    @Override
    public Page<Vm> vms(VmFilter filter, int limit, String cursor) {
        VmFilter f = new VmFilter(filter.tenantId() == null ? null : Ids.parse(filter.tenantId()).toString(),
                filter.hostId() == null ? null : Ids.parse(filter.hostId()).toString(), filter.state());
        return store.vms(f, limit, cursor);
    }

    @Override
    public Optional<Vm> vm(String id) {
        return store.vm(Ids.parse(id).toString());
    }

    private Vm live(String id) {
        Vm vm = vm(id).orElseThrow(() -> ProblemException.notFound("no VM " + id));
        if (vm.state() == VmState.DELETED || vm.state() == VmState.FAILED) {
            throw ProblemException.conflict("VM " + vm.name() + " is " + vm.state());
        }
        String busy = migrating.get(vm.id());
        if (busy != null) {
            throw ProblemException.conflict(busy);
        }
        return vm;
    }

    private <T> T onHost(Vm vm, Function<HypervisorConnection, T> op) {
        Host host = store.host(vm.hostId()).orElseThrow();
        try {
            return op.apply(connection(host));
        } catch (ComputeException e) {
            if (e.kind() == ComputeException.Kind.CONNECTION) {
                connections.drop(host.id(), e.getMessage());
            }
            boolean connected = connections.isConnected(host.id());
            if (e.kind() == ComputeException.Kind.NOT_FOUND && (connected || (remote != null && !owns(host.id())))
                    && !deleting.contains(vm.id())) {
                // the domain went away behind Verbund's back: correct the view (the owner's
                // callbacks do it for a host of another member), and say so
                if (connected) {
                    connections.submit(() -> resyncVm(host.id(), vm.id()));
                }
                throw new ProblemException(ProblemType.CONFLICT, "VM " + vm.name() + ": its domain is gone from its host "
                        + "(changed outside Verbund); Verbund's view is being corrected", List.of(), e);
            }
            throw problem(e, host);
        }
    }

    @Override
    public Vm start(String vmId) {
        Vm vm = live(vmId);
        onHost(vm, c -> {
            c.start(vm.id());
            return null;
        });
        return changeState(vm, VmState.RUNNING);
    }

    @Override
    public Vm stop(String vmId) {
        Vm vm = live(vmId);
        onHost(vm, c -> c.stop(vm.id(), Duration.ofSeconds(config.stop_timeout_s())));
        return changeState(vm, VmState.STOPPED);
    }

    @Override
    public Vm reboot(String vmId) {
        Vm vm = live(vmId);
        if (vm.state() != VmState.RUNNING) {
            throw ProblemException.conflict("VM " + vm.name() + " is " + vm.state() + ", not RUNNING");
        }
        onHost(vm, c -> {
            c.reboot(vm.id());
            return null;
        });
        return vm;
    }

    @Override
    public Vm delete(String vmId) {
        Vm failed = vm(vmId).filter(v -> v.state() == VmState.FAILED).orElse(null);
        if (failed != null) {
            // a create that failed: nothing of it is left on the host and it was never announced
            if (!store.discardFailed(failed.id())) {
                throw ProblemException.conflict("VM " + failed.name() + " changed meanwhile; try again");
            }
            return with(failed, VmState.DELETED);
        }
        Vm vm = live(vmId);
        // the undefine's own lifecycle event must not be taken for a change behind Verbund's back
        deleting.add(vm.id());
        try {
            onHost(vm, c -> {
                if (c.domain(vm.id()).isPresent()) {
                    c.destroy(vm.id());
                    c.undefine(vm.id(), true);
                }
                return null;
            });
            return changeState(vm, VmState.DELETED);
        } finally {
            deleting.remove(vm.id());
        }
    }

    /** VMs this node is deleting now: their resyncs wait for the delete to be stored. */
    private final java.util.Set<String> deleting = ConcurrentHashMap.newKeySet();

    @Override
    public Vm resize(String vmId, int vcpu, long ramMib) {
        Vm vm = live(vmId);
        List<String> errors = new ArrayList<>();
        if (vcpu < 1 || vcpu > 64) {
            errors.add("vcpu must be 1..64");
        }
        if (ramMib < 256 || ramMib > 1_048_576) {
            errors.add("ramMib must be 256..1048576");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid size: " + String.join("; ", errors), errors, null);
        }
        if (vm.state() != VmState.STOPPED) {
            throw ProblemException.conflict("VM " + vm.name() + " is " + vm.state() + ": stop it before resizing");
        }
        PlacementRequest pr = new PlacementRequest(vcpu, ramMib, vm.diskGib(), null, null, null);
        Vm resized = new Vm(vm.id(), vm.name(), vm.tenantId(), vm.offeringId(), vm.hostId(), vm.state(), vcpu, ramMib,
                vm.diskGib(), vm.antiAffinityGroup(), vm.createdAt());
        if (!store.resize(vm, vcpu, ramMib, load -> Placement.place(pr, List.of(load)).placed(),
                vmEvent("vm.resized", resized))) {
            Host host = store.host(vm.hostId()).orElseThrow();
            throw ProblemException.conflict("VM " + vm.name() + " cannot grow to " + vcpu + " vCPU, " + ramMib + " MiB on "
                    + host.name() + " (or it is no longer STOPPED): " + Placement.place(pr, store.loads().stream()
                            .filter(l -> l.host().id().equals(host.id())).toList()).explain());
        }
        try {
            onHost(vm, c -> {
                c.resize(vm.id(), vcpu, ramMib);
                return null;
            });
        } catch (ProblemException e) {
            // the domain kept its size: so does the VM, announced like any resize (the new size was)
            store.resize(resized, vm.vcpu(), vm.ramMib(), load -> true, vmEvent("vm.resized", vm));
            throw e;
        }
        return resized;
    }

    private static final Pattern SNAPSHOT = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private void requireSnapshot(Vm vm, String name) {
        if (onHost(vm, c -> c.snapshots(vm.id())).stream().noneMatch(x -> x.name().equals(name))) {
            throw ProblemException.notFound("VM " + vm.name() + " has no snapshot '" + name + "'");
        }
    }

    private static String snapshotName(String name) {
        if (name == null || !SNAPSHOT.matcher(name).matches()) {
            throw ProblemException.badRequest("snapshot name must be 1-63 characters of a-z, 0-9 and '-'");
        }
        return name;
    }

    @Override
    public List<de.sid.verbund.compute.spi.Snapshot> snapshots(String vmId) {
        Vm vm = live(vmId);
        return onHost(vm, c -> c.snapshots(vm.id()));
    }

    @Override
    public de.sid.verbund.compute.spi.Snapshot createSnapshot(String vmId, String name) {
        Vm vm = live(vmId);
        String n = snapshotName(name);
        return onHost(vm, c -> {
            if (c.snapshots(vm.id()).stream().anyMatch(x -> x.name().equals(n))) {
                throw ProblemException.conflict("VM " + vm.name() + " has a snapshot named '" + n + "' already");
            }
            return c.createSnapshot(vm.id(), n);
        });
    }

    @Override
    public Vm revertSnapshot(String vmId, String name) {
        Vm vm = live(vmId);
        String n = snapshotName(name);
        requireSnapshot(vm, n);
        onHost(vm, c -> {
            c.revertSnapshot(vm.id(), n);
            return null;
        });
        resyncVm(vm.hostId(), vm.id());
        return store.vm(vm.id()).orElseThrow();
    }

    @Override
    public void deleteSnapshot(String vmId, String name) {
        Vm vm = live(vmId);
        String n = snapshotName(name);
        requireSnapshot(vm, n);
        onHost(vm, c -> {
            c.deleteSnapshot(vm.id(), n);
            return null;
        });
    }

    // --- migration -------------------------------------------------------------------------------

    /**
     * The VMs this node is migrating, and the reservations holding their room on the target, each
     * with the reason other operations on it are refused meanwhile. Another node sharing the
     * database does not see this map; there the conditional move at the end (STOPPED and the state
     * version unchanged) stops a migration whose VM changed in between.
     */
    private final Map<String, String> migrating = new ConcurrentHashMap<>();

    @Override
    public Vm migrate(String vmId, String targetHostId) {
        Vm vm = live(vmId);
        if (vm.state() != VmState.STOPPED) {
            throw ProblemException.conflict("VM " + vm.name() + " is " + vm.state()
                    + ": cold migration needs a STOPPED VM; stop it first");
        }
        Host source = store.host(vm.hostId()).orElseThrow();
        Host target = null;
        if (targetHostId != null) {
            target = host(targetHostId).orElseThrow(() -> ProblemException.notFound("no host " + targetHostId));
            if (target.id().equals(source.id())) {
                throw ProblemException.conflict("VM " + vm.name() + " is already on host " + source.name());
            }
            if (target.state() == HostState.DOWN) {
                throw new ProblemException(ProblemType.UNAVAILABLE, "host " + target.name() + " is DOWN (not connected)");
            }
            if (target.state() != HostState.ENABLED) {
                throw ProblemException.conflict("host " + target.name() + " is in " + target.state() + ": it takes no VMs");
            }
        }
        if (migrating.putIfAbsent(vm.id(), "VM " + vm.name() + " is being migrated; try again when it is done") != null) {
            throw ProblemException.conflict("VM " + vm.name() + " is being migrated already");
        }
        try {
            return migrate(vm, source, target);
        } finally {
            migrating.remove(vm.id());
        }
    }

    /** See {@link ComputeService#migrate}: the steps, in the order that leaves no half state in the database. */
    private Vm migrate(Vm seen, Host source, Host target) {
        ComputeStore.Versioned v = store.versioned(seen.id()).orElseThrow(() -> ProblemException.notFound("no VM " + seen.id()));
        Vm vm = v.vm();
        if (vm.state() != VmState.STOPPED || !vm.hostId().equals(source.id())) {
            throw ProblemException.conflict("VM " + vm.name() + " changed meanwhile (now " + vm.state() + "); try again");
        }
        // 1. read the domain on the old host (refused here when it has snapshots or cannot be moved)
        DomainExport export = migrationStep(source, c -> {
            List<de.sid.verbund.compute.spi.Snapshot> snapshots = c.snapshots(vm.id());
            if (!snapshots.isEmpty()) {
                throw ProblemException.conflict("VM " + vm.name() + " has " + snapshots.size() + " snapshot(s) ("
                        + String.join(", ", snapshots.stream().map(de.sid.verbund.compute.spi.Snapshot::name).toList())
                        + "): snapshots are not migrated; delete them first");
            }
            return c.exportDomain(vm.id());
        });
        // 2. hold the room on the target, under its lock
        PlacementRequest pr = new PlacementRequest(Math.max(1, vm.vcpu()), Math.max(1, vm.ramMib()),
                Math.max(1, vm.diskGib()), vm.antiAffinityGroup(), null, null);
        Vm reservation = reserveTarget(vm, source, target, pr);
        Host to = store.host(reservation.hostId()).orElseThrow();
        migrating.put(vm.id(), "VM " + vm.name() + " is being migrated to host " + to.name() + "; try again when it is done");
        migrating.put(reservation.id(), "VM " + reservation.id() + " on host " + to.name()
                + " is the reservation of VM " + vm.name() + " (" + vm.id() + ") being migrated there");
        try {
            Vm moved;
            try {
                // 3. define it on the target; a failure there changes nothing anywhere
                migrationStep(to, c -> c.importDomain(export));
                // 4. record it on the target, unless it changed meanwhile; then publish
                moved = commitMove(vm, v.version(), source, to, reservation);
            } catch (RuntimeException e) {
                try {
                    store.releaseReservation(reservation.id());
                } catch (RuntimeException release) {
                    e.addSuppressed(release);
                }
                throw e;
            }
            // 5. clean up the old host; a failure leaves an unmanaged domain there, not a half state
            try {
                migrationStep(source, c -> {
                    c.undefine(vm.id(), true);
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.error("VM {} ({}) was migrated from host {} to host {}, but removing it from {} failed: {}. "
                        + "Its domain (and volume) there is left over and listed as unmanaged; remove it by hand",
                        vm.name(), vm.id(), source.name(), to.name(), source.name(), e.getMessage());
            }
            LOG.info("VM {} ({}) migrated from host {} to host {}", vm.name(), vm.id(), source.name(), to.name());
            return moved;
        } finally {
            migrating.remove(reservation.id());
        }
    }

    /**
     * Reserves the VM's size on the target, or on the host placement chooses among all but the
     * VM's own, the way {@link Allocator} does for a new VM.
     *
     * @return the reservation (a PROVISIONING row on the target)
     */
    private Vm reserveTarget(Vm vm, Host source, Host target, PlacementRequest pr) {
        String size = vm.vcpu() + " vCPU, " + vm.ramMib() + " MiB";
        for (int attempt = 0; attempt < Allocator.ATTEMPTS; attempt++) {
            String hostId;
            if (target != null) {
                hostId = target.id();
            } else {
                List<HostLoad> others = store.loads(vm.tenantId(), vm.antiAffinityGroup()).stream().filter(l -> !l.host().id().equals(source.id())).toList();
                if (others.isEmpty()) {
                    throw ProblemException.conflict("no other host for VM " + vm.name() + ": only " + source.name()
                            + " is registered");
                }
                PlacementDecision d = Placement.place(pr, others);
                if (!d.placed()) {
                    throw ProblemException.conflict("no other host has room for VM " + vm.name() + " (" + size + "): "
                            + d.explain());
                }
                hostId = d.hostId();
            }
            Vm reservation = new Vm(Ids.newId(), vm.name(), vm.tenantId(), vm.offeringId(), hostId, VmState.PROVISIONING,
                    vm.vcpu(), vm.ramMib(), vm.diskGib(), vm.antiAffinityGroup(), Instant.now().truncatedTo(ChronoUnit.MICROS));
            if (store.reserve(reservation, load -> Placement.place(pr, List.of(load)).placed(), null, false)) {
                return reservation;
            }
            if (target != null) {
                HostLoad load = store.loads(vm.tenantId(), vm.antiAffinityGroup()).stream().filter(l -> l.host().id().equals(target.id())).findFirst()
                        .orElseThrow(() -> ProblemException.notFound("no host " + target.id()));
                throw ProblemException.conflict("VM " + vm.name() + " (" + size + ") does not fit host " + target.name()
                        + ": " + Placement.verdict(pr, load).reason());
            }
        }
        throw ProblemException.conflict("no capacity for VM " + vm.name() + ": hosts filled up while placing (tried "
                + Allocator.ATTEMPTS + " times)");
    }

    /**
     * Moves the VM's row to the target and publishes {@code vm.migrated}, if the domain is still shut
     * off on the old host and the VM did not change since it was read; otherwise undoes the
     * definition on the target and refuses. The row moves before the old domain is removed, so the
     * resync of that removal finds the VM elsewhere and leaves it alone.
     */
    private Vm commitMove(Vm vm, long version, Host source, Host to, Vm reservation) {
        String refusal = null;
        try {
            Optional<DomainInfo> there = connection(source).domain(vm.id());
            if (there.isEmpty()) {
                refusal = "its domain disappeared from host " + source.name();
            } else if (there.get().state() != de.sid.verbund.compute.spi.DomainState.SHUTOFF) {
                refusal = "its domain was started on host " + source.name() + " meanwhile";
            }
        } catch (RuntimeException e) {
            // cannot look: it was shut off when exported, and Verbund refuses to start it meanwhile
            LOG.debug("migration of {}: host {} not asked before the move: {}", vm.id(), source.name(), e.getMessage());
        }
        if (refusal == null) {
            Vm moved = new Vm(vm.id(), vm.name(), vm.tenantId(), vm.offeringId(), to.id(), vm.state(), vm.vcpu(),
                    vm.ramMib(), vm.diskGib(), vm.antiAffinityGroup(), vm.createdAt());
            try {
                if (store.moveToHost(vm.id(), source.id(), version, to.id(), reservation.id(),
                        migratedEvent(moved, source.id()))) {
                    return moved;
                }
            } catch (RuntimeException e) {
                undoImport(vm, to);
                throw e;
            }
            refusal = "it changed meanwhile (now " + store.vm(vm.id()).map(x -> x.state().name()).orElse("gone") + ")";
        }
        undoImport(vm, to);
        throw ProblemException.conflict("VM " + vm.name() + " was not migrated: " + refusal);
    }

    /** Removes the domain a failed migration defined on its target. */
    private void undoImport(Vm vm, Host to) {
        try {
            migrationStep(to, c -> {
                c.undefine(vm.id(), true);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.error("migration of VM {} ({}) to host {} abandoned, and removing its new domain there failed: {}. It is "
                    + "left over there and listed as unmanaged; remove it by hand", vm.name(), vm.id(), to.name(),
                    e.getMessage());
        }
    }

    /**
     * Runs a step of a migration on a host. In a migration the caller named only a VM and a host,
     * both checked already, so what a host refuses is a conflict with its state, not bad input.
     *
     * @throws ProblemException UNAVAILABLE when the host is unreachable, CONFLICT when it refuses
     */
    private <T> T migrationStep(Host host, Function<HypervisorConnection, T> step) {
        try {
            return step.apply(connection(host));
        } catch (ComputeException e) {
            if (e.kind() == ComputeException.Kind.CONNECTION) {
                connections.drop(host.id(), e.getMessage());
            }
            ProblemType type = switch (e.kind()) {
                case CONNECTION -> ProblemType.UNAVAILABLE;
                case NAME_TAKEN, INVALID_STATE, NOT_FOUND, UNSUPPORTED, NO_SPACE -> ProblemType.CONFLICT;
                case FAILED -> ProblemType.INTERNAL;
            };
            throw new ProblemException(type, "host " + host.name() + ": " + e.getMessage(), List.of(), e);
        }
    }

    @Override
    public Evacuation evacuate(String hostId) {
        Host host = host(hostId).orElseThrow(() -> ProblemException.notFound("no host " + hostId));
        if (host.state() == HostState.DOWN) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "host " + host.name()
                    + " is DOWN (not connected): its VMs cannot be moved now");
        }
        if (host.state() != HostState.MAINTENANCE) {
            throw ProblemException.conflict("host " + host.name() + " is " + host.state()
                    + ": put it into maintenance first, so that no new VMs arrive while it is evacuated");
        }
        List<Evacuation.Migrated> migrated = new ArrayList<>();
        List<Evacuation.NotMoved> notMoved = new ArrayList<>();
        List<Evacuation.NeedsDecision> needsDecision = new ArrayList<>();
        List<Vm> vms = store.vmsOnHost(host.id()).stream()
                .sorted(java.util.Comparator.comparing(Vm::name).thenComparing(Vm::id)).toList();
        for (Vm vm : vms) {
            switch (vm.state()) {
                case STOPPED -> {
                    try {
                        Vm moved = migrate(vm.id(), null);
                        migrated.add(new Evacuation.Migrated(vm.id(), vm.name(), moved.hostId(),
                                store.host(moved.hostId()).map(Host::name).orElse(moved.hostId())));
                    } catch (ProblemException e) {
                        notMoved.add(new Evacuation.NotMoved(vm.id(), vm.name(), e.getMessage()));
                    } catch (RuntimeException e) {
                        LOG.error("evacuation of host {}: migrating VM {} ({}) failed", host.name(), vm.name(), vm.id(), e);
                        notMoved.add(new Evacuation.NotMoved(vm.id(), vm.name(), "internal error: " + e.getMessage()));
                    }
                }
                case RUNNING, PAUSED, UNKNOWN -> needsDecision.add(new Evacuation.NeedsDecision(vm.id(), vm.name(), vm.state()));
                default -> notMoved.add(new Evacuation.NotMoved(vm.id(), vm.name(), migrating.getOrDefault(vm.id(),
                        "it is " + vm.state() + "; evacuate again when it is done")));
            }
        }
        LOG.info("host {} evacuated: {} VM(s) migrated, {} not moved, {} need a decision", host.name(), migrated.size(),
                notMoved.size(), needsDecision.size());
        return new Evacuation(host.id(), host.name(), migrated, notMoved, needsDecision);
    }

    /**
     * Stores and publishes a change from the state {@code vm} was seen in ({@code vm.deleted} for
     * DELETED); nothing when the stored state moved on meanwhile (e.g. the resync of the domain's
     * own event was first): see {@link ComputeStore#changeState}.
     */
    private Vm changeState(Vm vm, VmState state) {
        if (vm.state() == state) {
            return vm;
        }
        // the event carries the state this thread changed to, stored with the change: the events of
        // one VM are in the order of its stored changes (operations and resyncs run on several threads)
        Vm now = with(vm, state);
        store.changeState(vm.id(), vm.state(), state, vmEvent(state == VmState.DELETED ? "vm.deleted" : "vm.state-changed", now));
        return now;
    }

    // --- reconciliation --------------------------------------------------------------------------

    /**
     * Defines Verbund's VMs again on a hypervisor that starts empty with every connection
     * ({@link HypervisorConnection#forgetsDomainsOnReconnect()}: the demo's test-driver hosts), so
     * that they survive a restart of the node and a change of the host's owner in a cluster. Each
     * VM stored RUNNING, PAUSED, STOPPED or UNKNOWN whose domain is missing is defined with its
     * UUID, domain name, vCPUs, RAM (MiB) and disk (GiB, a new empty volume in the configured
     * storage pool, on the configured network; the MAC address is libvirt's new pick); those stored
     * RUNNING are started. The resync that follows records what the host then shows. A VM that
     * cannot be defined is logged and left to that resync (as a missing domain).
     */
    void restoreForgotten(String hostId, HypervisorConnection c) {
        Host host = store.host(hostId).orElse(null);
        if (host == null) {
            return;
        }
        java.util.Set<String> present;
        try {
            present = new java.util.HashSet<>(c.domains().stream().map(DomainInfo::uuid).toList());
        } catch (RuntimeException e) {
            LOG.warn("host {}: domains not listed, VMs not restored: {}", host.name(), e.getMessage());
            return;
        }
        int restored = 0;
        for (Vm vm : store.vmsOnHost(hostId)) {
            boolean wanted = switch (vm.state()) {
                case RUNNING, PAUSED, STOPPED, UNKNOWN -> true;
                case PROVISIONING, FAILED, DELETED -> false;
            };
            if (!wanted || present.contains(vm.id())) {
                continue;
            }
            try {
                c.define(new DomainSpec(vm.id(), domainName(vm), vm.vcpu(), vm.ramMib(), vm.diskGib(), null,
                        config.storage_pool(), config.network()));
                if (vm.state() == VmState.RUNNING) {
                    c.start(vm.id());
                }
                restored++;
            } catch (RuntimeException e) {
                LOG.error("host {} ({}): VM {} not defined again after the test driver forgot it: {}", host.name(),
                        host.uri(), vm.name(), e.getMessage());
            }
        }
        if (restored > 0) {
            LOG.info("host {} ({}) starts empty with every connection (libvirt test driver): {} VM(s) defined again",
                    host.name(), host.uri(), restored);
        }
    }

    /**
     * Brings the stored state of every VM of a host in line with the hypervisor.
     *
     * <p>Guard: when the host lists none of two or more VMs Verbund has there, they are marked
     * UNKNOWN, not DELETED, and no event is published: a host that suddenly has no domains at all
     * is more likely the wrong hypervisor (URI, session instead of system) or one that lost its
     * state than one whose domains were all undefined at once. An operator then deletes or fixes
     * them. Single missing domains are DELETED as usual.
     */
    void resync(String hostId) {
        List<Vm> vms = store.vmsOnHost(hostId);
        Host host = store.host(hostId).orElse(null);
        if (host == null) {
            return;
        }
        try {
            refreshDisk(hostId, connections.require(host.id(), host.name()));
        } catch (RuntimeException e) {
            LOG.debug("storage pool of host {} not read: {}", host.name(), e.getMessage());
        }
        if (vms.isEmpty()) {
            return;
        }
        List<Vm> known = vms.stream().filter(v -> v.state() != VmState.PROVISIONING).toList();
        if (known.size() >= 2) {
            java.util.Set<String> present;
            try {
                present = new java.util.HashSet<>(connections.require(host.id(), host.name()).domains().stream()
                        .map(DomainInfo::uuid).toList());
            } catch (RuntimeException e) {
                LOG.warn("resync of host {} postponed: {}", host.name(), e.getMessage());
                connections.submitLater(() -> resync(hostId), 10);
                return;
            }
            if (known.stream().noneMatch(v -> present.contains(v.id()))) {
                int n = store.markUnknown(hostId);
                LOG.error("host {} ({}) lists none of the {} VMs Verbund has there: they are UNKNOWN, not deleted. If "
                        + "the host really lost them (a test-driver host after a restart does), delete them; otherwise "
                        + "check its URI", host.name(), host.uri(), known.size());
                if (n == 0) {
                    LOG.debug("host {}: VMs were UNKNOWN already", host.name());
                }
                return;
            }
        }
        for (Vm vm : vms) {
            resyncVm(hostId, vm.id());
        }
        // each change found is logged by resyncVm
        LOG.info("host {} resynchronised: {} VM(s) checked", host.name(), vms.size());
    }

    /**
     * Brings one VM's stored state in line with its domain; unknown domains are ignored here. What
     * it finds is applied only if the VM's state did not change since it was read (its state
     * version), so a resync that ran late never undoes a newer change.
     */
    void resyncVm(String hostId, String uuid) {
        // a change that came in between (another resync, an operation) voids what was found:
        // look again, so that after this call the stored state reflects the domain as seen now
        for (int attempt = 0; attempt < 3 && !resyncVmOnce(hostId, uuid); attempt++) {
            LOG.debug("resync of {} raced with another change; looking again", uuid);
        }
    }

    /** @return false when what it found could not be stored because the VM changed meanwhile */
    private boolean resyncVmOnce(String hostId, String uuid) {
        Optional<ComputeStore.Versioned> seen = store.versioned(uuid);
        if (seen.isEmpty()) {
            return true;
        }
        Vm vm = seen.get().vm();
        long version = seen.get().version();
        if (!vm.hostId().equals(hostId) || vm.state() == VmState.DELETED || vm.state() == VmState.FAILED
                || deleting.contains(uuid)) {
            return true;
        }
        if (vm.state() == VmState.PROVISIONING) {
            if (vm.createdAt().isBefore(Instant.now().minus(PROVISIONING_TIMEOUT))) {
                abandon(vm, version);
            }
            return true;
        }
        Host host = store.host(hostId).orElseThrow();
        Optional<DomainInfo> d;
        try {
            d = connections.require(host.id(), host.name()).domain(uuid);
        } catch (RuntimeException e) {
            LOG.debug("resync of {} skipped: {}", uuid, e.getMessage());
            return true;
        }
        VmState actual;
        if (d.isEmpty()) {
            actual = VmState.DELETED;
        } else {
            actual = switch (d.get().state()) {
                case RUNNING -> VmState.RUNNING;
                case PAUSED -> VmState.PAUSED;
                case SHUTOFF, CRASHED -> VmState.STOPPED;
                // a transient state (shutting down, blocked): the next lifecycle event or sync settles it
                case OTHER -> vm.state();
            };
        }
        if (actual == vm.state()) {
            return true;
        }
        Vm now = with(vm, actual);
        if (store.changeStateAt(vm.id(), version, actual,
                vmEvent(actual == VmState.DELETED ? "vm.deleted" : "vm.state-changed", now))) {
            if (actual == VmState.DELETED) {
                LOG.warn("VM {} ({}) was undefined outside Verbund on host {}", vm.name(), uuid, host.name());
            } else {
                LOG.info("VM {} is {} on host {} (was {} in Verbund)", vm.name(), actual, host.name(), vm.state());
            }
            return true;
        }
        return store.versioned(uuid).map(v -> v.version() == version).orElse(true);
    }

    /** How long a create may take before a resync treats it as abandoned (its node died mid-way). */
    static final Duration PROVISIONING_TIMEOUT = Duration.ofMinutes(10);

    /**
     * A create that never finished (the node stopped between reservation and the final store):
     * removes what it left on the host and marks the VM FAILED, releasing its capacity. No event:
     * it was never announced.
     */
    private void abandon(Vm vm, long version) {
        Host host = store.host(vm.hostId()).orElseThrow();
        try {
            HypervisorConnection c = connections.require(host.id(), host.name());
            if (c.domain(vm.id()).isPresent()) {
                c.destroy(vm.id());
                c.undefine(vm.id(), true);
            }
        } catch (ComputeException e) {
            if (e.kind() != ComputeException.Kind.NOT_FOUND) {
                LOG.debug("abandoned create of {} not cleaned up yet: {}", vm.id(), e.getMessage());
                return;
            }
            // removed meanwhile (another resync of it): gone is what is wanted
        } catch (RuntimeException e) {
            LOG.debug("abandoned create of {} not cleaned up yet: {}", vm.id(), e.getMessage());
            return;
        }
        if (store.changeStateAt(vm.id(), version, VmState.FAILED, null)) {
            LOG.warn("VM {} ({}) stayed PROVISIONING for over {} min on host {}: its create was abandoned; domain removed, "
                    + "VM FAILED", vm.name(), vm.id(), PROVISIONING_TIMEOUT.toMinutes(), host.name());
        }
    }

    /** Domains with a lifecycle event whose resync is queued (host id + uuid). */
    private final java.util.Set<String> resyncQueued = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A libvirt lifecycle event: queues one resync of the domain. Events that arrive while one is
     * queued are covered by it (a create's "defined" and "started" cost one look, not two); one
     * that arrives while it runs queues the next.
     */
    private void domainChanged(String hostId, String uuid) {
        String key = hostId + "/" + uuid;
        if (resyncQueued.add(key)) {
            connections.submit(() -> {
                resyncQueued.remove(key);
                resyncVm(hostId, uuid);
            });
        }
    }

    /**
     * Reads the VM storage pool of a host and records the room it offers Verbund
     * ({@link ComputeStore#refreshDisk}).
     *
     * @return the pool's capacity, GiB (0 when the host has no such pool)
     */
    private long refreshDisk(String hostId, HypervisorConnection c) {
        Optional<StoragePoolInfo> pool = c.storagePool(config.storage_pool());
        long gib = 1024L * 1024 * 1024;
        long capacity = pool.map(StoragePoolInfo::capacityGib).orElse(0L);
        long used = pool.map(p -> (p.allocationBytes() + gib - 1) / gib).orElse(0L);
        store.refreshDisk(hostId, capacity, used);
        return capacity;
    }

    /** Resynchronises every connected host (the periodic full sync). */
    void resyncAll() {
        for (Host h : store.hosts()) {
            if (connections.isConnected(h.id())) {
                resync(h.id());
            }
        }
    }

    /** A provider appeared: hosts waiting for one connect now rather than after their back-off. */
    void providersChanged() {
        connections.reconnectAll();
    }

    ComputeStore store() {
        return store;
    }

    boolean isConnected(String hostId) {
        return connections.isConnected(hostId);
    }

    // --- events ----------------------------------------------------------------------------------

    private static DomainEvent hostEvent(String type, Host host, String reason) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hostId", host.id());
        p.put("name", host.name());
        p.put("site", host.site());
        p.put("reason", reason);
        return DomainEvent.of(type, null, p);
    }

    /** A {@code vm.*} event: the VM's id, name, host, offering, state and sizing (vCPU, MiB, GiB). */
    private static DomainEvent vmEvent(String type, Vm vm) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("vmId", vm.id());
        p.put("name", vm.name());
        p.put("hostId", vm.hostId());
        p.put("offeringId", vm.offeringId());
        p.put("state", vm.state().name());
        p.put("vcpu", vm.vcpu());
        p.put("ramMib", vm.ramMib());
        p.put("diskGib", vm.diskGib());
        return DomainEvent.of(type, vm.tenantId(), p);
    }

    /** {@code vm.migrated}: the payload of {@link #publish} (with the new host) plus {@code fromHostId}. */
    /** {@code vm.migrated}: a {@code vm.*} event with {@code fromHostId} besides the new {@code hostId}. */
    private static DomainEvent migratedEvent(Vm vm, String fromHostId) {
        DomainEvent e = vmEvent("vm.migrated", vm);
        Map<String, Object> p = new LinkedHashMap<>(e.payload());
        p.put("fromHostId", fromHostId);
        return new DomainEvent(e.eventId(), e.type(), e.occurredAt(), e.tenantId(), p);
    }

    @Override
    public void close() {
        if (serving != null) {
            serving.close();
        }
        connections.close();
    }
}

package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.HostStatsSource;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.PlacementDecision;
import de.sid.verbund.compute.PlacementRequest;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.spi.ComputeProvider;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.health.Health;
import de.sid.verbund.core.health.HealthIndicator;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.persistence.Database;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.cluster.ListenerRegistration;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link ComputeServiceImpl} in OSGi: providers come and go as services; the periodic full
 * sync runs on its own thread; health {@code hypervisors} reports connected hosts.
 *
 * <p>Start-up does not depend on the database being there: the service (schema migration,
 * configured hosts, connections) is made on a background thread, retried after 1 s doubling to
 * 30 s. Until it is ready every operation answers 503 and health {@code hypervisors} is DOWN with
 * the reason.
 */
@Component(service = {ComputeService.class, HostStatsSource.class, HealthIndicator.class, MultiCollector.class}, configurationPid = ComputeConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ComputeConfig.class)
public class ComputeComponent implements ComputeService, HostStatsSource, HealthIndicator, MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeComponent.class);
    private final List<ComputeProvider> providers = new CopyOnWriteArrayList<>();
    private volatile ComputeServiceImpl compute;
    private volatile String notReady = "starting";
    private volatile boolean stopped;
    private final ScheduledExecutorService sync;
    private final ComputeMetrics metrics;

    /** In a cluster, the membership deciding which hosts this node owns (key {@code host:<id>}); else {@code null}. */
    private final ClusterService cluster;
    private volatile ListenerRegistration ownership;

    public ComputeComponent(Database db, Outbox outbox, ComputeConfig config) {
        this(db, outbox, config, null);
    }

    /**
     * In OSGi the cluster is mandatory (one node is a cluster of one member, owning every host):
     * with an optional reference the component could start before the cluster service and
     * connect every host until it is re-activated.
     *
     * @param cluster this node keeps connections, callbacks, keepalive and resyncs only for the
     *        hosts whose key {@code host:<id>} it owns; {@code null} (tests): every host
     */
    @Activate
    public ComputeComponent(@Reference Database db, @Reference Outbox outbox, ComputeConfig config,
            @Reference ClusterService cluster) {
        this.cluster = cluster;
        metrics = new ComputeMetrics(() -> {
            ComputeServiceImpl c = compute;
            return c == null ? null : c.store();
        });
        sync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-compute-sync");
            t.setDaemon(true);
            return t;
        });
        sync.execute(() -> start(db, outbox, config, 1));
    }

    private void start(Database db, Outbox outbox, ComputeConfig config, long retrySeconds) {
        if (stopped) {
            return;
        }
        try {
            ComputeServiceImpl c = cluster == null ? new ComputeServiceImpl(db, outbox, this::provider, config)
                    : new ComputeServiceImpl(db, outbox, this::provider, config, cluster);
            if (stopped) {
                c.close();
                return;
            }
            compute = c;
            if (!"starting".equals(notReady)) {
                LOG.info("compute ready after the database came back");
            }
            notReady = null;
            sync.scheduleWithFixedDelay(c::resyncAll, config.sync_interval_s(), config.sync_interval_s(), TimeUnit.SECONDS);
            if (cluster != null) {
                ownership = cluster.addOwnershipListener(() -> sync.execute(() -> ownershipChanged(c)));
                // hosts registered on other nodes, and a missed change: looked at every 10 s
                sync.scheduleWithFixedDelay(() -> ownershipChanged(c), 10, 10, TimeUnit.SECONDS);
                sync.execute(() -> ownershipChanged(c));
            }
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            if (!reason.equals(notReady)) {
                LOG.error("compute not ready, retrying in {} s: {}", retrySeconds, reason);
            }
            notReady = reason;
            sync.schedule(() -> start(db, outbox, config, Math.min(retrySeconds * 2, 30)), retrySeconds, TimeUnit.SECONDS);
        }
    }

    /** The work key of a host in the cluster. */
    static String hostKey(String hostId) {
        return "host:" + hostId;
    }

    private static void ownershipChanged(ComputeServiceImpl c) {
        try {
            c.ownershipChanged();
        } catch (RuntimeException e) {
            LOG.warn("hosts: ownership not applied, next try in 10 s: {}", e.getMessage());
        }
    }

    /** @return whether the service is up (its schema applied, its hosts tracked) */
    boolean isReady() {
        return compute != null;
    }

    /** @throws ProblemException UNAVAILABLE until the service is ready */
    private ComputeServiceImpl compute() {
        ComputeServiceImpl c = compute;
        if (c == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "compute is not ready yet (its database is not "
                    + "reachable); retrying in the background");
        }
        return c;
    }

    @Override
    public List<HostReading> readHostStats() {
        ComputeServiceImpl c = compute;
        return c == null ? List.of() : c.readHostStats();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addProvider(ComputeProvider p) {
        providers.add(p);
        ComputeServiceImpl c = compute;
        if (c != null) {
            c.providersChanged();
        }
    }

    void removeProvider(ComputeProvider p) {
        providers.remove(p);
    }

    private Optional<ComputeProvider> provider(String uri) {
        return providers.stream().filter(p -> p.supports(uri)).findFirst();
    }

    @Deactivate
    void deactivate() {
        ListenerRegistration r = ownership;
        if (r != null) {
            r.close();
        }
        stopped = true;
        sync.shutdownNow();
        ComputeServiceImpl c = compute;
        if (c != null) {
            c.close();
        }
    }

    @Override
    public String name() {
        return "hypervisors";
    }

    @Override
    public Health check() {
        String why = notReady;
        ComputeServiceImpl c = compute;
        if (c == null) {
            return Health.down(why == null ? "starting" : why);
        }
        List<Host> hosts = c.hosts();
        long down = hosts.stream().filter(h -> h.state() == HostState.DOWN).count();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("hosts", hosts.size());
        d.put("down", down);
        d.put("providers", providers.stream().map(ComputeProvider::type).toList());
        HealthStatus s = down == 0 ? HealthStatus.UP : HealthStatus.DEGRADED;
        return new Health(s, d);
    }

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots base = metrics.collect();
        ComputeServiceImpl c = compute;
        if (cluster == null || c == null) {
            return base;
        }
        long[] o = c.ownership();
        MetricSnapshots.Builder b = MetricSnapshots.builder();
        base.forEach(b::metricSnapshot);
        b.metricSnapshot(GaugeSnapshot.builder().name("verbund_cluster_owned_hosts").help("Hypervisor hosts this member "
                + "owns (keeps the connection, callbacks and resyncs of)").dataPoint(GaugeSnapshot.GaugeDataPointSnapshot
                .builder().value(o[0]).build()).build());
        b.metricSnapshot(CounterSnapshot.builder().name("verbund_cluster_host_ownership_changes").help("Hosts this member "
                + "took over (gained) or handed over (lost)")
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("direction", "gained"))
                        .value(o[1]).build())
                .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("direction", "lost"))
                        .value(o[2]).build()).build());
        return b.build();
    }

    @Override
    public Host registerHost(NewHost host) {
        return metrics.timed("register-host", () -> compute().registerHost(host));
    }

    @Override
    public List<Host> hosts() {
        return compute().hosts();
    }

    @Override
    public Optional<Host> host(String id) {
        return compute().host(id);
    }

    @Override
    public List<HostLoad> hostLoads() {
        return compute().hostLoads();
    }

    @Override
    public Host setMaintenance(String hostId, boolean maintenance) {
        return metrics.timed("maintenance", () -> compute().setMaintenance(hostId, maintenance));
    }

    @Override
    public List<de.sid.verbund.compute.spi.DomainInfo> unmanagedDomains(String hostId) {
        return compute().unmanagedDomains(hostId);
    }

    @Override
    public Vm adoptDomain(String hostId, String domainUuid, String tenantId, String name) {
        return metrics.timed("adopt", () -> compute().adoptDomain(hostId, domainUuid, tenantId, name));
    }

    @Override
    public PlacementDecision dryRun(PlacementRequest request, String tenantId) {
        return compute().dryRun(request, tenantId);
    }

    @Override
    public Vm createVm(VmRequest request) {
        return metrics.timed("create", () -> compute().createVm(request));
    }

    @Override
    public Page<Vm> vms(VmFilter filter, int limit, String cursor) {
        return compute().vms(filter, limit, cursor);
    }

    @Override
    public Optional<Vm> vm(String id) {
        return compute().vm(id);
    }

    @Override
    public Vm start(String vmId) {
        return metrics.timed("start", () -> compute().start(vmId));
    }

    @Override
    public Vm stop(String vmId) {
        return metrics.timed("stop", () -> compute().stop(vmId));
    }

    @Override
    public Vm reboot(String vmId) {
        return metrics.timed("reboot", () -> compute().reboot(vmId));
    }

    @Override
    public Vm resize(String vmId, int vcpu, long ramMib) {
        return metrics.timed("resize", () -> compute().resize(vmId, vcpu, ramMib));
    }

    @Override
    public List<de.sid.verbund.compute.spi.Snapshot> snapshots(String vmId) {
        return compute().snapshots(vmId);
    }

    @Override
    public de.sid.verbund.compute.spi.Snapshot createSnapshot(String vmId, String name) {
        return metrics.timed("snapshot-create", () -> compute().createSnapshot(vmId, name));
    }

    @Override
    public Vm revertSnapshot(String vmId, String name) {
        return metrics.timed("snapshot-revert", () -> compute().revertSnapshot(vmId, name));
    }

    @Override
    public void deleteSnapshot(String vmId, String name) {
        metrics.timed("snapshot-delete", () -> {
            compute().deleteSnapshot(vmId, name);
            return null;
        });
    }

    @Override
    public Vm delete(String vmId) {
        return metrics.timed("delete", () -> compute().delete(vmId));
    }

    @Override
    public Vm migrate(String vmId, String targetHostId) {
        return metrics.timed("migrate", () -> compute().migrate(vmId, targetHostId));
    }

    @Override
    public de.sid.verbund.compute.Evacuation evacuate(String hostId) {
        return metrics.timed("evacuate", () -> compute().evacuate(hostId));
    }
}

package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.PlacementDecision;
import de.sid.verbund.compute.PlacementRequest;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.spi.ComputeProvider;
import de.sid.verbund.core.Page;
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
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs {@link ComputeServiceImpl} in OSGi: providers come and go as services; the periodic full
 * sync runs on its own thread; health {@code hypervisors} reports connected hosts.
 */
@Component(service = {ComputeService.class, HealthIndicator.class, MultiCollector.class}, configurationPid = ComputeConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ComputeConfig.class)
public class ComputeComponent implements ComputeService, HealthIndicator, MultiCollector {
    private final List<ComputeProvider> providers = new CopyOnWriteArrayList<>();
    private volatile ComputeServiceImpl compute;
    private final ScheduledExecutorService sync;
    private final ComputeMetrics metrics;

    @Activate
    public ComputeComponent(@Reference Database db, @Reference Outbox outbox, ComputeConfig config) {
        compute = new ComputeServiceImpl(db, outbox, this::provider, config);
        metrics = new ComputeMetrics(compute.store());
        sync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-compute-sync");
            t.setDaemon(true);
            return t;
        });
        sync.scheduleWithFixedDelay(compute::resyncAll, config.sync_interval_s(), config.sync_interval_s(), TimeUnit.SECONDS);
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
        sync.shutdownNow();
        compute.close();
    }

    @Override
    public String name() {
        return "hypervisors";
    }

    @Override
    public Health check() {
        List<Host> hosts = compute.hosts();
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
        return metrics.collect();
    }

    @Override
    public Host registerHost(NewHost host) {
        return metrics.timed("register-host", () -> compute.registerHost(host));
    }

    @Override
    public List<Host> hosts() {
        return compute.hosts();
    }

    @Override
    public Optional<Host> host(String id) {
        return compute.host(id);
    }

    @Override
    public Host setMaintenance(String hostId, boolean maintenance) {
        return metrics.timed("maintenance", () -> compute.setMaintenance(hostId, maintenance));
    }

    @Override
    public List<de.sid.verbund.compute.spi.DomainInfo> unmanagedDomains(String hostId) {
        return compute.unmanagedDomains(hostId);
    }

    @Override
    public Vm adoptDomain(String hostId, String domainUuid, String tenantId, String name) {
        return metrics.timed("adopt", () -> compute.adoptDomain(hostId, domainUuid, tenantId, name));
    }

    @Override
    public PlacementDecision dryRun(PlacementRequest request) {
        return compute.dryRun(request);
    }

    @Override
    public Vm createVm(VmRequest request) {
        return metrics.timed("create", () -> compute.createVm(request));
    }

    @Override
    public Page<Vm> vms(VmFilter filter, int limit, String cursor) {
        return compute.vms(filter, limit, cursor);
    }

    @Override
    public Optional<Vm> vm(String id) {
        return compute.vm(id);
    }

    @Override
    public Vm start(String vmId) {
        return metrics.timed("start", () -> compute.start(vmId));
    }

    @Override
    public Vm stop(String vmId) {
        return metrics.timed("stop", () -> compute.stop(vmId));
    }

    @Override
    public Vm reboot(String vmId) {
        return metrics.timed("reboot", () -> compute.reboot(vmId));
    }

    @Override
    public Vm resize(String vmId, int vcpu, long ramMib) {
        return metrics.timed("resize", () -> compute.resize(vmId, vcpu, ramMib));
    }

    @Override
    public List<de.sid.verbund.compute.spi.Snapshot> snapshots(String vmId) {
        return compute.snapshots(vmId);
    }

    @Override
    public de.sid.verbund.compute.spi.Snapshot createSnapshot(String vmId, String name) {
        return metrics.timed("snapshot-create", () -> compute.createSnapshot(vmId, name));
    }

    @Override
    public Vm revertSnapshot(String vmId, String name) {
        return metrics.timed("snapshot-revert", () -> compute.revertSnapshot(vmId, name));
    }

    @Override
    public void deleteSnapshot(String vmId, String name) {
        metrics.timed("snapshot-delete", () -> {
            compute.deleteSnapshot(vmId, name);
            return null;
        });
    }

    @Override
    public Vm delete(String vmId) {
        return metrics.timed("delete", () -> compute.delete(vmId));
    }

    @Override
    public Vm migrate(String vmId, String targetHostId) {
        return metrics.timed("migrate", () -> compute.migrate(vmId, targetHostId));
    }

    @Override
    public de.sid.verbund.compute.Evacuation evacuate(String hostId) {
        return metrics.timed("evacuate", () -> compute.evacuate(hostId));
    }
}

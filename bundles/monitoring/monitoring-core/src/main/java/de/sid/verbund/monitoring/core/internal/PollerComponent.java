package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.SnmpClient;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.DevicePoller;
import de.sid.verbund.monitoring.inventory.DeviceState;
import de.sid.verbund.monitoring.inventory.DeviceWalk;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.inventory.PollObserver;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.profile.Profile;
import de.sid.verbund.monitoring.profile.ProfileLoader;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.cluster.ListenerRegistration;
import de.sid.verbund.persistence.Database;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link DevicePolling} in OSGi: the {@link DevicePoller} of REST's "poll now" and a
 * {@link MultiCollector} for {@code /metrics}. Activation returns at once: profiles are loaded and
 * the device list read on the poller's own threads (the list again every {@code sync.interval.s},
 * also after a failure, e.g. while the inventory's database is not ready).
 */
@Component(service = {DevicePoller.class, MultiCollector.class}, configurationPid = PollerConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PollerConfig.class)
public class PollerComponent implements DevicePoller, MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(PollerComponent.class);
    private final ScheduledExecutorService scheduler;
    private volatile DevicePolling polling;
    private final List<PollObserver> observers = new CopyOnWriteArrayList<>();

    private volatile ListenerRegistration ownership;

    /** One node: polls every device (tests, benchmarks). */
    public PollerComponent(DeviceInventory inventory, SnmpClient snmp, PollerConfig config) {
        this(inventory, snmp, config, null, null);
    }

    /**
     * In OSGi the cluster is mandatory: with an optional reference the poller could start
     * before the cluster service is registered and poll every device unfenced until it is
     * re-activated. One node is a cluster of one member, which owns every device.
     *
     * @param cluster devices are polled only by the member owning them, each slot claimed in the
     *        database first (see {@link PollLeases}); {@code null} (tests, benchmarks): every device
     * @param db the shared database holding the poll leases ({@code null} only without a cluster)
     */
    @Activate
    public PollerComponent(@Reference DeviceInventory inventory, @Reference SnmpClient snmp, PollerConfig config,
            @Reference ClusterService cluster, @Reference Database db) {
        AtomicInteger n = new AtomicInteger();
        scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "verbund-device-poller-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        if (cluster != null && db == null) {
            throw new IllegalArgumentException("a cluster needs the database that fences its polls");
        }
        scheduler.execute(() -> start(inventory, snmp, config, cluster, db));
    }

    private void start(DeviceInventory inventory, SnmpClient snmp, PollerConfig config, ClusterService cluster, Database db) {
        Path dir = Path.of(config.profiles_dir());
        if (!dir.isAbsolute()) {
            dir = Path.of(System.getProperty("karaf.base", ".")).resolve(dir);
        }
        Map<String, Profile> profiles = loadProfiles(dir);
        PollLeases leases = cluster == null ? null : new PollLeases(db, cluster.localMemberId(), config.lease_s());
        DevicePolling p = new DevicePolling(inventory, snmp, profiles, scheduler, config.max_concurrent_polls(),
                Duration.ofMillis(config.timeout_ms()), config.retries(), observers, cluster, leases);
        polling = p;
        if (cluster != null) {
            LOG.info("Device poller: polling the devices member {} owns; poll slots claimed in the database "
                    + "(lease {} s)", cluster.localMemberId(), config.lease_s());
            ownership = cluster.addOwnershipListener(p::ownershipChanged);
            scheduler.scheduleWithFixedDelay(p::renewLeases, 1, 1, TimeUnit.SECONDS);
        }
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                p.sync();
            } catch (RuntimeException e) {
                LOG.warn("Device poller: device list not read, next try in {} s: {}", config.sync_interval_s(), e.getMessage());
            }
        }, 0, Math.max(1, config.sync_interval_s()), TimeUnit.SECONDS);
    }

    private static Map<String, Profile> loadProfiles(Path dir) {
        if (!java.nio.file.Files.isDirectory(dir)) {
            LOG.warn("Device poller: no profiles directory {} (profiles.dir in {}.cfg); devices are polled for "
                    + "verbund_device_up only", dir, PollerConfig.PID);
            return Map.of();
        }
        try {
            Map<String, Profile> profiles = new ProfileLoader().loadDirectory(dir);
            LOG.info("Device poller: {} profiles from {}: {}", profiles.size(), dir, profiles.keySet());
            return profiles;
        } catch (RuntimeException e) {
            LOG.error("Device poller: profiles in {} not loaded, devices are polled for verbund_device_up only: {}", dir,
                    e.getMessage());
            return Map.of();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addObserver(PollObserver observer) {
        observers.add(observer);
    }

    void removeObserver(PollObserver observer) {
        observers.remove(observer);
    }

    @Deactivate
    void deactivate() {
        ListenerRegistration r = ownership;
        if (r != null) {
            r.close();
        }
        DevicePolling p = polling;
        if (p != null) {
            p.close();
        }
        scheduler.shutdownNow();
    }

    @Override
    public CompletionStage<PollSummary> pollNow(Device device) {
        DevicePolling p = polling;
        if (p == null) {
            return CompletableFuture.failedFuture(new ProblemException(ProblemType.UNAVAILABLE,
                    "the device poller is starting"));
        }
        return p.pollNow(device);
    }

    @Override
    public java.util.Set<String> profileNames() {
        DevicePolling p = polling;
        return p == null ? java.util.Set.of() : p.profileNames();
    }

    @Override
    public java.util.Optional<de.sid.verbund.monitoring.inventory.DeviceStatus> status(String deviceId) {
        DevicePolling p = polling;
        return p == null ? java.util.Optional.empty() : p.status(deviceId);
    }

    @Override
    public List<de.sid.verbund.monitoring.MetricSample> samples(String deviceId) {
        DevicePolling p = polling;
        return p == null ? List.of() : p.samples(deviceId);
    }

    @Override
    public java.util.Optional<DeviceState> state(String deviceId) {
        DevicePolling p = polling;
        return p == null ? java.util.Optional.empty() : p.state(deviceId);
    }

    @Override
    public CompletionStage<DeviceWalk> walk(Device device, Oid root, int limit) {
        DevicePolling p = polling;
        if (p == null) {
            return CompletableFuture.failedFuture(new ProblemException(ProblemType.UNAVAILABLE,
                    "the device poller is starting"));
        }
        return p.walk(device, root, limit);
    }

    @Override
    public MetricSnapshots collect() {
        DevicePolling p = polling;
        return p == null ? new MetricSnapshots() : p.collect();
    }
}

package de.sid.verbund.monitoring.hypervisor.internal;

import de.sid.verbund.compute.HostStatsSource;
import de.sid.verbund.monitoring.inventory.PollObserver;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Duration;
import java.util.List;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link HypervisorMonitor} in OSGi when both the compute and the monitoring areas are
 * installed: polls every {@code interval.s} on its own thread, a {@link MultiCollector} for
 * {@code /metrics}, and tells the {@link PollObserver} services of each host poll.
 */
@Component(service = MultiCollector.class, configurationPid = HypervisorMonitorConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = HypervisorMonitorConfig.class)
public class HypervisorMonitorComponent implements MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(HypervisorMonitorComponent.class);
    private final List<PollObserver> observers = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService scheduler;
    private final HypervisorMonitor monitor;

    @Activate
    public HypervisorMonitorComponent(@Reference HostStatsSource source, HypervisorMonitorConfig config) {
        int interval = Math.max(5, config.interval_s());
        monitor = new HypervisorMonitor(source, observers, Duration.ofSeconds(interval));
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-hypervisor-monitor");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                monitor.poll();
            } catch (RuntimeException e) {
                LOG.warn("Hypervisor hosts not polled, next try in {} s: {}", interval, e.getMessage());
            }
        }, 1, interval, TimeUnit.SECONDS);
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
        scheduler.shutdownNow();
    }

    @Override
    public MetricSnapshots collect() {
        return monitor.collect();
    }
}

package de.sid.verbund.alarms.core.internal;

import de.sid.verbund.alarms.Alarm;
import de.sid.verbund.alarms.AlarmDetail;
import de.sid.verbund.alarms.AlarmFilter;
import de.sid.verbund.alarms.AlarmService;
import de.sid.verbund.alarms.AlarmState;
import de.sid.verbund.alarms.NewAlarm;
import de.sid.verbund.alarms.Severity;
import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.monitoring.trap.TrapEvents;
import de.sid.verbund.persistence.Database;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Alarms} in OSGi: the {@link AlarmService}, the durable subscription to trap
 * events, the escalation and expiry sweep, and {@code verbund_alarms_active} at {@code /metrics}.
 *
 * <p>Immediate, so trap events are consumed whether or not anything uses the service yet.
 * Activation returns at once: the schema migration and the subscription happen on the
 * component's own thread, retried after 1 s doubling to 30 s (database or broker not there yet);
 * until the store is ready every call answers 503.
 */
@Component(service = {AlarmService.class, MultiCollector.class}, configurationPid = AlarmsConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = AlarmsConfig.class)
public class AlarmsComponent implements AlarmService, MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(AlarmsComponent.class);
    /** How long the ids of acted-upon trap events are kept (redeliveries come within minutes). */
    static final Duration PROCESSED_KEPT = Duration.ofDays(7);

    private final ScheduledExecutorService worker;
    private final AlarmsConfig config;
    private volatile Alarms alarms;
    private volatile Subscription traps;
    private volatile String notReady = "starting";
    private volatile boolean stopped;

    /** Cluster-wide jobs run on one member with quorum (absent: a single node runs them). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ClusterService cluster;

    @Activate
    public AlarmsComponent(@Reference Database db, @Reference Outbox outbox, @Reference EventBus bus, AlarmsConfig config) {
        this.config = config;
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-alarms");
            t.setDaemon(true);
            return t;
        });
        worker.execute(() -> start(db, outbox, bus, 1));
    }

    private void start(Database db, Outbox outbox, EventBus bus, long retrySeconds) {
        if (stopped) {
            return;
        }
        try {
            if (alarms == null) {
                alarms = new Alarms(db, outbox, Clock.systemUTC());
                long every = Math.max(1, config.sweep_interval_s());
                worker.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.SECONDS);
            }
            Duration lifetime = Duration.ofSeconds(Math.max(1, config.notification_lifetime_s()));
            traps = bus.subscribe(TrapEvents.TOPIC, config.trap_subscription(), new TrapAlarms(alarms, lifetime));
            if (stopped) {
                traps.close();
                return;
            }
            if (!"starting".equals(notReady)) {
                LOG.info("Alarms ready after the database or broker came back");
            }
            notReady = null;
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            if (!reason.equals(notReady)) {
                LOG.error("Alarms not ready ({}), retrying in {} s: {}", alarms == null ? "store" : "trap subscription",
                        retrySeconds, reason);
            }
            notReady = reason;
            worker.schedule(() -> start(db, outbox, bus, Math.min(retrySeconds * 2, 30)), retrySeconds, TimeUnit.SECONDS);
        }
    }

    /** @return whether the store is ready and trap events are being consumed */
    boolean isReady() {
        return alarms != null && traps != null;
    }

    /** Escalation, expiry and the pruning of processed event ids; failures are logged and tried again next time. */
    /** The job name of the sweep ({@link ClusterService#runsSingleton(String)}). */
    static final String SWEEP_JOB = "alarms.sweep";

    /**
     * Escalation, expiry and pruning; in a cluster on the owner of the job's key with quorum only. Each step is a
     * conditional update under row locks, so a second sweep in the same interval (around a membership change)
     * finds nothing left to do.
     */
    void sweep() {
        Alarms a = alarms;
        if (a == null || stopped) {
            return;
        }
        ClusterService c = cluster;
        if (c != null && !c.runsSingleton(SWEEP_JOB)) {
            return;
        }
        try {
            if (config.escalation_after_s() > 0) {
                int n = a.escalate(Duration.ofSeconds(config.escalation_after_s()));
                if (n > 0) {
                    LOG.info("Escalated {} unacknowledged alarm(s)", n);
                }
            }
            a.expire();
            a.pruneProcessed(PROCESSED_KEPT);
        } catch (RuntimeException e) {
            LOG.warn("Alarm sweep failed, next try in {} s: {}", config.sweep_interval_s(), e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        worker.shutdownNow();
        Subscription s = traps;
        if (s != null) {
            s.close();
        }
    }

    private Alarms alarms() {
        Alarms a = alarms;
        if (a == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "alarms are not ready yet (their database is not "
                    + "reachable); retrying in the background");
        }
        return a;
    }

    @Override
    public Alarm raise(NewAlarm alarm, String by, String note) {
        return alarms().raise(alarm, by, note);
    }

    @Override
    public Optional<Alarm> clear(String key, String by, String reason) {
        return alarms().clear(key, by, reason);
    }

    @Override
    public Alarm acknowledge(String id, String user, String note) {
        return alarms().acknowledge(id, user, note);
    }

    @Override
    public Alarm clearAlarm(String id, String user, String reason) {
        return alarms().clearAlarm(id, user, reason);
    }

    @Override
    public Optional<Alarm> alarm(String id) {
        return alarms().alarm(id);
    }

    @Override
    public Optional<AlarmDetail> detail(String id) {
        return alarms().detail(id);
    }

    @Override
    public Page<Alarm> alarms(AlarmFilter filter, int limit, String cursor) {
        return alarms().alarms(filter, limit, cursor);
    }

    @Override
    public Set<String> openKeys() {
        return alarms().openKeys();
    }

    /**
     * {@code verbund_alarms_active{severity, state}}: open alarms by severity ({@code critical} …
     * {@code indeterminate}) and state ({@code active}: not acknowledged, {@code acknowledged}),
     * every combination present; read from the database at scrape time. Nothing while the store is
     * not ready or the database does not answer.
     */
    @Override
    public MetricSnapshots collect() {
        Alarms a = alarms;
        if (a == null) {
            return new MetricSnapshots();
        }
        Map<Severity, Map<AlarmState, Long>> counts;
        try {
            counts = a.openCounts();
        } catch (RuntimeException e) {
            LOG.debug("verbund_alarms_active left out: {}", e.getMessage());
            return new MetricSnapshots();
        }
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("verbund_alarms_active")
                .help("Open alarms by severity and state (active: not acknowledged)");
        for (Map.Entry<Severity, Map<AlarmState, Long>> bySeverity : counts.entrySet()) {
            for (Map.Entry<AlarmState, Long> byState : bySeverity.getValue().entrySet()) {
                g.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("severity",
                        bySeverity.getKey().label(), "state", byState.getKey().label())).value(byState.getValue()).build());
            }
        }
        return MetricSnapshots.of(g.build());
    }
}

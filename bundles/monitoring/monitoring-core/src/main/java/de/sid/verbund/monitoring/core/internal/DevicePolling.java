package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.SnmpClient;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.PollObserver;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.profile.Profile;
import de.sid.verbund.monitoring.profile.ProfileMapper;
import de.sid.verbund.monitoring.profile.Profiles;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every device of the inventory at its interval and keeps its latest samples.
 *
 * <ul>
 *   <li><b>Schedule.</b> Each device's first poll comes after a random part of its interval
 *       (jitter, so devices added together do not poll together), then every interval. A device
 *       still being polled when its next poll is due skips that one (counted).</li>
 *   <li><b>Concurrency.</b> At most {@code maxConcurrent} polls are in flight; due polls wait in
 *       a queue, first come first served.</li>
 *   <li><b>Profiles.</b> Set by hand on the device, else chosen by the {@code sysObjectID.0} that
 *       every poll also reads: the first poll of a device uses the profiles that match all
 *       devices, later ones those matching what it answered.</li>
 *   <li><b>Samples.</b> The latest poll's samples replace the previous ones; an unreachable
 *       device keeps none (its {@code verbund_device_up} is 0), so stale values never look
 *       current.</li>
 * </ul>
 */
final class DevicePolling implements MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(DevicePolling.class);
    /** {@code sysDescr.0} (RFC 3418), read with every poll for the device's status. */
    static final Oid SYS_DESCR = Oid.parse("1.3.6.1.2.1.1.1.0");

    /** What is known of one device. */
    private static final class State {
        volatile Device device;
        volatile ScheduledFuture<?> schedule;
        volatile Oid sysObjectId;
        volatile List<MetricSample> samples = List.of();
        volatile boolean polled;
        volatile boolean up;
        volatile double durationSeconds;
        final AtomicLong polls = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        final AtomicLong varbinds = new AtomicLong();
        final Set<String> loggedProblems = ConcurrentHashMap.newKeySet();
        volatile String lastProblem;
        volatile java.time.Instant lastPollAt;
        volatile String sysDescr;
        volatile Long uptimeSeconds;

        State(Device device) {
            this.device = device;
        }
    }

    private record Due(State state, CompletableFuture<PollSummary> done) {
    }

    private final DeviceInventory inventory;
    private final List<PollObserver> observers;
    private final SnmpClient snmp;
    private final Map<String, Profile> profiles;
    private final ScheduledExecutorService scheduler;
    private final Duration timeout;
    private final int retries;
    private final Semaphore permits;
    private final Queue<Due> queue = new ConcurrentLinkedQueue<>();
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Set<String> polling = ConcurrentHashMap.newKeySet();
    private final ProfileMapper mapper = new ProfileMapper();
    private final AtomicLong skipped = new AtomicLong();
    /** Metric names already reported as not exposable (logged once, not on every scrape). */
    private final Set<String> refusedNames = ConcurrentHashMap.newKeySet();

    DevicePolling(DeviceInventory inventory, SnmpClient snmp, Map<String, Profile> profiles, ScheduledExecutorService scheduler,
                  int maxConcurrent, Duration timeout, int retries) {
        this(inventory, snmp, profiles, scheduler, maxConcurrent, timeout, retries, List.of());
    }

    /** @param observers told of every finished poll; a live list (the component's whiteboard), read at each poll */
    DevicePolling(DeviceInventory inventory, SnmpClient snmp, Map<String, Profile> profiles, ScheduledExecutorService scheduler,
                  int maxConcurrent, Duration timeout, int retries, List<PollObserver> observers) {
        this.observers = observers;
        this.inventory = inventory;
        this.snmp = snmp;
        this.profiles = Map.copyOf(profiles);
        this.scheduler = scheduler;
        this.permits = new Semaphore(Math.max(1, maxConcurrent));
        this.timeout = timeout;
        this.retries = retries;
    }

    /** Reads the device list and starts, reschedules or stops polls to match it. */
    void sync() {
        List<Device> devices = inventory.allDevices();
        Set<String> seen = new HashSet<>();
        for (Device d : devices) {
            seen.add(d.id());
            State s = states.computeIfAbsent(d.id(), id -> new State(d));
            Device old = s.device;
            s.device = d;
            if (s.schedule == null || old.pollIntervalS() != d.pollIntervalS()) {
                if (s.schedule != null) {
                    s.schedule.cancel(false);
                }
                long periodMs = d.pollIntervalS() * 1000L;
                long jitterMs = ThreadLocalRandom.current().nextLong(periodMs);
                s.schedule = scheduler.scheduleAtFixedRate(() -> due(s, null), jitterMs, periodMs, TimeUnit.MILLISECONDS);
            }
        }
        for (Map.Entry<String, State> e : states.entrySet()) {
            if (!seen.contains(e.getKey())) {
                ScheduledFuture<?> f = e.getValue().schedule;
                if (f != null) {
                    f.cancel(false);
                }
                states.remove(e.getKey());
                LOG.info("Device {} no longer polled (deleted)", e.getValue().device.name());
            }
        }
    }

    /** Polls a device now, outside its schedule. */
    CompletionStage<PollSummary> pollNow(Device device) {
        State s = states.computeIfAbsent(device.id(), id -> new State(device));
        s.device = device;
        CompletableFuture<PollSummary> done = new CompletableFuture<>();
        due(s, done);
        return done;
    }

    private void due(State s, CompletableFuture<PollSummary> done) {
        if (!polling.add(s.device.id())) {
            skipped.incrementAndGet();
            if (done != null) {
                done.completeExceptionally(new de.sid.verbund.core.ProblemException(de.sid.verbund.core.ProblemType.CONFLICT,
                        "device " + s.device.name() + " is being polled right now"));
            }
            return;
        }
        queue.add(new Due(s, done));
        drain();
    }

    private void drain() {
        while (!queue.isEmpty() && permits.tryAcquire()) {
            Due d = queue.poll();
            if (d == null) {
                permits.release();
                return;
            }
            start(d);
        }
    }

    private void start(Due due) {
        State s = due.state();
        Device device = s.device;
        CompletionStage<PollSummary> stage;
        try {
            List<Profile> chosen = Profiles.select(profiles, device.profiles(), s.sysObjectId);
            PollRequest base = Profiles.pollRequest(chosen);
            List<Oid> scalars = new ArrayList<>(base.scalars());
            for (Oid o : List.of(Profiles.SYS_OBJECT_ID, SYS_DESCR)) {
                if (!scalars.contains(o)) {
                    scalars.add(o);
                }
            }
            SnmpTarget target = inventory.target(device).withTimeout(timeout).withRetries(retries);
            stage = snmp.poll(target, new PollRequest(scalars, base.walks()))
                    .thenApply(result -> record(s, device, chosen, result));
        } catch (RuntimeException e) {
            // no target (unresolvable name, credential gone or undecryptable) or an unknown profile set by hand
            stage = CompletableFuture.completedFuture(failed(s, device, e.getMessage()));
        }
        stage.whenComplete((summary, error) -> {
            polling.remove(device.id());
            permits.release();
            if (due.done() != null) {
                if (error != null) {
                    due.done().completeExceptionally(error);
                } else {
                    due.done().complete(summary);
                }
            }
            if (error != null) {
                LOG.error("Poll of device {} failed unexpectedly", device.name(), error);
            }
            drain();
        });
    }

    private PollSummary record(State s, Device device, List<Profile> chosen, PollResult result) {
        s.polls.incrementAndGet();
        s.polled = true;
        s.up = result.reachable();
        s.durationSeconds = result.duration().toNanos() / 1e9;
        s.lastPollAt = result.startedAt();
        s.varbinds.addAndGet(result.varbinds());
        if (!result.reachable()) {
            s.errors.incrementAndGet();
            s.samples = List.of();
            String problem = result.problem().orElse("no answer");
            s.lastProblem = problem;
            if (s.loggedProblems.add(problem)) {
                LOG.warn("Device {} ({}:{}) not reachable: {}", device.name(), device.address(), device.port(), problem);
            }
            return notify(device, summary(device, result, 0, problem), List.of());
        }
        SnmpValue oid = result.scalars().get(Profiles.SYS_OBJECT_ID);
        if (oid instanceof SnmpValue.ObjectIdentifier o) {
            s.sysObjectId = o.value();
        }
        s.sysDescr = result.scalars().get(SYS_DESCR) instanceof SnmpValue.OctetString d
                ? de.sid.verbund.monitoring.smi.OctetStrings.displayString(d.bytes()) : null;
        s.uptimeSeconds = result.sysUpTime() instanceof SnmpValue.TimeTicks t ? t.value() / 100 : null;
        ProfileMapper.Result mapped = mapper.map(device.name(), device.site(), result, chosen);
        s.samples = mapped.samples();
        s.loggedProblems.clear();
        String problem = mapped.problems().isEmpty() ? null : mapped.problems().size() + " value(s) not mapped, e.g. "
                + mapped.problems().get(0);
        s.lastProblem = problem;
        if (problem != null) {
            LOG.debug("Device {}: {}", device.name(), problem);
        }
        return notify(device, summary(device, result, mapped.samples().size(), problem), mapped.samples());
    }

    private PollSummary failed(State s, Device device, String problem) {
        s.polls.incrementAndGet();
        s.errors.incrementAndGet();
        s.polled = true;
        s.up = false;
        s.samples = List.of();
        s.lastProblem = problem;
        s.lastPollAt = java.time.Instant.now();
        if (s.loggedProblems.add(String.valueOf(problem))) {
            LOG.warn("Device {} cannot be polled: {}", device.name(), problem);
        }
        return notify(device, new PollSummary(device.id(), device.name(), false, java.time.Instant.now(), 0, 0, 0, 0,
                problem), List.of());
    }

    /** Tells the observers of a finished poll: its samples plus {@code verbund_device_up}. */
    private PollSummary notify(Device device, PollSummary summary, List<MetricSample> samples) {
        PollObserver.tellAll(observers, device, summary, samples, (o, e) -> LOG.warn("Poll observer {} failed on device {}",
                o.getClass().getName(), device.name(), e));
        return summary;
    }

    private static PollSummary summary(Device d, PollResult r, int samples, String problem) {
        return new PollSummary(d.id(), d.name(), r.reachable(), r.startedAt(), r.duration().toMillis(), r.requests(),
                r.varbinds(), samples, problem);
    }

    /** @return what is known of a device, empty if it is not in the poller's list */
    java.util.Optional<de.sid.verbund.monitoring.inventory.DeviceStatus> status(String deviceId) {
        State s = states.get(deviceId);
        if (s == null) {
            return java.util.Optional.empty();
        }
        Oid oid = s.sysObjectId;
        return java.util.Optional.of(new de.sid.verbund.monitoring.inventory.DeviceStatus(deviceId, s.device.name(),
                s.polled, s.up, s.lastPollAt, Math.round(s.durationSeconds * 1000), s.polls.get(), s.errors.get(),
                s.up ? s.sysDescr : null, oid == null ? null : oid.toString(), s.up ? s.uptimeSeconds : null,
                s.samples.size(), s.lastProblem));
    }

    /** @return the latest samples of a device (empty before its first answered poll) */
    List<MetricSample> samples(String deviceId) {
        State s = states.get(deviceId);
        return s == null ? List.of() : s.samples;
    }

    void close() {
        states.values().forEach(s -> {
            ScheduledFuture<?> f = s.schedule;
            if (f != null) {
                f.cancel(false);
            }
        });
    }

    /**
     * The devices' samples under their profile names (snmp_exporter's: {@code ifHCInOctets} with no
     * {@code _total}), plus {@code verbund_device_*}. A raw SNMP counter goes out as type
     * {@code unknown} (untyped): the Java client library would append {@code _total} to a
     * counter's name and break dashboards written for snmp_exporter.
     */
    @Override
    public MetricSnapshots collect() {
        Map<String, List<MetricSample>> byName = new LinkedHashMap<>();
        GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("verbund_device_up")
                .help("1 when the device answered its last poll, 0 when not");
        GaugeSnapshot.Builder duration = GaugeSnapshot.builder().name("verbund_device_poll_duration_seconds")
                .help("How long the device's last poll took");
        CounterSnapshot.Builder polls = CounterSnapshot.builder().name("verbund_device_polls").help("Polls of the device");
        CounterSnapshot.Builder errors = CounterSnapshot.builder().name("verbund_device_poll_errors")
                .help("Polls of the device that got no answer or could not be sent");
        CounterSnapshot.Builder varbinds = CounterSnapshot.builder().name("verbund_device_varbinds")
                .help("Variable bindings received from the device");
        for (State s : states.values()) {
            if (!s.polled) {
                continue;
            }
            Labels labels = Labels.of("device", s.device.name(), "site", s.device.site());
            up.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(s.up ? 1 : 0).build());
            duration.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(s.durationSeconds).build());
            polls.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(s.polls.get()).build());
            errors.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(s.errors.get()).build());
            varbinds.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(s.varbinds.get())
                    .build());
            for (MetricSample m : s.samples) {
                byName.computeIfAbsent(m.name(), n -> new ArrayList<>()).add(m);
            }
        }
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(up.build());
        out.add(duration.build());
        out.add(polls.build());
        out.add(errors.build());
        out.add(varbinds.build());
        out.add(CounterSnapshot.builder().name("verbund_device_polls_skipped").help("Polls skipped because the device "
                + "was still being polled").dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .value(skipped.get()).build()).build());
        for (Map.Entry<String, List<MetricSample>> e : byName.entrySet()) {
            MetricSnapshot snapshot = snapshot(e.getKey(), e.getValue());
            if (snapshot != null) {
                out.add(snapshot);
            }
        }
        return new MetricSnapshots(out);
    }

    /** One metric's samples; a repeated series (same labels) is kept once, the first. */
    private MetricSnapshot snapshot(String name, List<MetricSample> samples) {
        MetricSample first = samples.get(0);
        Set<Labels> seen = new HashSet<>();
        try {
            if (first.kind() == MetricSample.Kind.COUNTER) {
                UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(name).help(first.help());
                for (MetricSample m : samples) {
                    Labels l = labels(m);
                    if (seen.add(l)) {
                        b.dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().labels(l).value(m.value()).build());
                    }
                }
                return b.build();
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(first.help());
            for (MetricSample m : samples) {
                Labels l = labels(m);
                if (seen.add(l)) {
                    b.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(l).value(m.value()).build());
                }
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            if (refusedNames.add(name)) {
                LOG.warn("Metric {} left out of the exposition: {}", name, e.getMessage());
            }
            return null;
        }
    }

    private static Labels labels(MetricSample m) {
        Labels.Builder b = Labels.builder();
        m.labels().forEach(b::label);
        return b.build();
    }
}

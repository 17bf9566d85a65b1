package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.SnmpClient;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.DevicePoller;
import de.sid.verbund.monitoring.inventory.DeviceState;
import de.sid.verbund.monitoring.inventory.DeviceWalk;
import de.sid.verbund.monitoring.inventory.PollObserver;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.inventory.PollSlots;
import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.profile.Profile;
import de.sid.verbund.monitoring.profile.ProfileMapper;
import de.sid.verbund.monitoring.profile.Profiles;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 *   <li><b>Schedule.</b> Each device is polled every interval from a random point in its first
 *       interval (jitter, so devices added together do not poll together). Besides, a device the
 *       poller has just learned of (new, or all of them after a start) is polled once within
 *       {@value #FIRST_POLL_WITHIN_MS} ms, so its data is there at once. A device still being polled
 *       when its next poll is due skips that one (counted).</li>
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
    /** A device the poller has just learned of is polled once within this many milliseconds. */
    static final long FIRST_POLL_WITHIN_MS = 15_000;
    /** In a cluster: a slot's poll is sent at least this long before the next slot is due, or dropped. */
    static final long SLOT_MARGIN_MS = 500;

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
        /** {@link #samples} made ready for the exposition, at the first scrape after a poll. */
        volatile Exposed exposed;
        /** In a cluster: whether this node owns the device and runs its slot schedule. */
        volatile boolean active;
        /** In a cluster: bumped whenever the slot schedule is started or stopped, so a stale task ends. */
        final AtomicLong generation = new AtomicLong();

        State(Device device) {
            this.device = device;
        }
    }

    /**
     * In a cluster: the slot a scheduled poll is for, claimed in the database right before the
     * poll is sent.
     *
     * @param gen the generation of the device's slot schedule this poll belongs to
     * @param slot the slot number ({@link PollSlots})
     * @param intervalMs the device's poll interval in milliseconds
     */
    private record Slot(long gen, long slot, long intervalMs) {
    }

    /**
     * @param notAfter epoch ms after which the poll is dropped unsent (its slot is over), or {@link Long#MAX_VALUE}
     * @param slot in a cluster, the slot to claim before sending; {@code null} for a poll outside the schedule
     */
    private record Due(State state, CompletableFuture<PollSummary> done, long notAfter, Slot slot) {
    }

    /**
     * One device's samples as exposition data points, by metric name, each series once (the
     * first of a repeated one); remade only when a poll replaced the samples or the device
     * changed. The labels of one row are shared by all its metrics (ifTable's columns), so each
     * distinct label set is validated and sorted once per poll rather than once per sample and
     * scrape.
     *
     * @param state the device's state
     * @param from the samples these were made from
     * @param device the device they were made for (name and site are labels)
     * @param deviceLabels {@code device} and {@code site}, for the {@code verbund_device_*} metrics
     * @param byName the data points by metric name, in sample order
     * @param refused metric names whose labels the client library refused
     */
    private record Exposed(State state, List<MetricSample> from, Device device, Labels deviceLabels,
                           Map<String, Family> byName, Set<String> refused) {
    }

    /**
     * One metric's data points of one device, sorted by their labels; kind and help from its
     * first sample. A raw counter is {@code unknown} (untyped), anything else a gauge.
     */
    private static final class Family {
        final MetricSample.Kind kind;
        final String help;
        final List<DataPointSnapshot> points = new ArrayList<>();

        Family(MetricSample.Kind kind, String help) {
            this.kind = kind;
            this.help = help;
        }

        void add(Labels labels, double value) {
            points.add(point(kind, labels, value));
        }

        static DataPointSnapshot point(MetricSample.Kind kind, Labels labels, double value) {
            return kind == MetricSample.Kind.COUNTER
                    ? UnknownSnapshot.UnknownDataPointSnapshot.builder().labels(labels).value(value).build()
                    : GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
        }

        /** @return the points as {@code kind} (the kind of the first device's samples of this name) */
        List<DataPointSnapshot> as(MetricSample.Kind kind) {
            if (kind == this.kind) {
                return points;
            }
            List<DataPointSnapshot> out = new ArrayList<>(points.size());
            for (DataPointSnapshot p : points) {
                double v = p instanceof GaugeSnapshot.GaugeDataPointSnapshot g ? g.getValue()
                        : ((UnknownSnapshot.UnknownDataPointSnapshot) p).getValue();
                out.add(point(kind, p.getLabels(), v));
            }
            return out;
        }
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
    /** In a cluster: the membership (who owns which device) and the database fence; else {@code null}. */
    private final ClusterService cluster;
    private final PollLeases leases;
    private final Object ownershipLock = new Object();
    private final AtomicLong gained = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final Map<PollLeases.Claim, AtomicLong> refusals = new java.util.EnumMap<>(PollLeases.Claim.class);
    private final AtomicLong claimErrors = new AtomicLong();
    private volatile String lastClaimError;
    private volatile boolean closed;

    DevicePolling(DeviceInventory inventory, SnmpClient snmp, Map<String, Profile> profiles, ScheduledExecutorService scheduler,
                  int maxConcurrent, Duration timeout, int retries) {
        this(inventory, snmp, profiles, scheduler, maxConcurrent, timeout, retries, List.of());
    }

    /** @param observers told of every finished poll; a live list (the component's whiteboard), read at each poll */
    DevicePolling(DeviceInventory inventory, SnmpClient snmp, Map<String, Profile> profiles, ScheduledExecutorService scheduler,
                  int maxConcurrent, Duration timeout, int retries, List<PollObserver> observers) {
        this(inventory, snmp, profiles, scheduler, maxConcurrent, timeout, retries, observers, null, null);
    }

    /**
     * In a cluster: polls only the devices whose key {@code device:<id>} this member owns, each
     * slot ({@link PollSlots}) only after claiming it through {@code leases}; call
     * {@link #ownershipChanged()} when the cluster says ownership may have moved.
     *
     * @param cluster the membership, or {@code null} to poll every device (one node)
     * @param leases the database fence, required with {@code cluster}
     */
    DevicePolling(DeviceInventory inventory, SnmpClient snmp, Map<String, Profile> profiles, ScheduledExecutorService scheduler,
                  int maxConcurrent, Duration timeout, int retries, List<PollObserver> observers, ClusterService cluster,
                  PollLeases leases) {
        if ((cluster == null) != (leases == null)) {
            throw new IllegalArgumentException("a cluster needs the poll leases and the leases a cluster");
        }
        this.cluster = cluster;
        this.leases = leases;
        for (PollLeases.Claim c : PollLeases.Claim.values()) {
            refusals.put(c, new AtomicLong());
        }
        this.observers = observers;
        this.inventory = inventory;
        this.snmp = snmp;
        this.profiles = Map.copyOf(profiles);
        this.scheduler = scheduler;
        this.permits = new Semaphore(Math.max(1, maxConcurrent));
        this.timeout = timeout;
        this.retries = retries;
    }

    /** @return the names of the loaded profiles */
    java.util.Set<String> profileNames() {
        return profiles.keySet();
    }

    /** Reads the device list and starts, reschedules or stops polls to match it. */
    void sync() {
        if (cluster != null) {
            syncOwned();
            return;
        }
        List<Device> devices = inventory.allDevices();
        Set<String> seen = new HashSet<>();
        for (Device d : devices) {
            seen.add(d.id());
            State s = states.computeIfAbsent(d.id(), id -> new State(d));
            Device old = s.device;
            s.device = d;
            if (s.schedule == null || old.pollIntervalS() != d.pollIntervalS()) {
                boolean first = s.schedule == null;
                if (s.schedule != null) {
                    s.schedule.cancel(false);
                }
                long periodMs = d.pollIntervalS() * 1000L;
                long jitterMs = ThreadLocalRandom.current().nextLong(periodMs);
                s.schedule = scheduler.scheduleAtFixedRate(() -> due(s, null), jitterMs, periodMs, TimeUnit.MILLISECONDS);
                if (first && !s.polled && jitterMs > FIRST_POLL_WITHIN_MS) {
                    scheduler.schedule(() -> {
                        if (states.get(d.id()) == s && !s.polled) {
                            due(s, null);
                        }
                    }, ThreadLocalRandom.current().nextLong(FIRST_POLL_WITHIN_MS), TimeUnit.MILLISECONDS);
                }
            }
        }
        for (Map.Entry<String, State> e : states.entrySet()) {
            if (!seen.contains(e.getKey())) {
                ScheduledFuture<?> f = e.getValue().schedule;
                if (f != null) {
                    f.cancel(false);
                }
                states.remove(e.getKey());
                Device gone = e.getValue().device;
                LOG.info("Device {} no longer polled (deleted)", gone.name());
                PollObserver.forgetAll(observers, gone, (o, ex) -> LOG.warn("Poll observer {} failed forgetting device {}",
                        o.getClass().getName(), gone.name(), ex));
            }
        }
    }

    /** The work key of a device in the cluster. */
    static String key(String deviceId) {
        return "device:" + deviceId;
    }

    /**
     * In a cluster: reads the device list, forgets deleted devices and starts or stops the
     * owned ones ({@link #reconcile()}).
     */
    private void syncOwned() {
        List<Device> devices = inventory.allDevices();
        synchronized (ownershipLock) {
            Set<String> seen = new HashSet<>();
            for (Device d : devices) {
                seen.add(d.id());
                State s = states.computeIfAbsent(d.id(), id -> new State(d));
                Device old = s.device;
                s.device = d;
                if (s.active && old.pollIntervalS() != d.pollIntervalS()) {
                    cancel(s);
                    begin(s); // the new interval's slots
                }
            }
            for (Map.Entry<String, State> e : states.entrySet()) {
                if (!seen.contains(e.getKey())) {
                    State s = e.getValue();
                    if (s.active) {
                        s.active = false;
                        s.generation.incrementAndGet();
                        cancel(s);
                    }
                    states.remove(e.getKey());
                    Device gone = s.device;
                    LOG.info("Device {} no longer polled (deleted)", gone.name());
                    PollObserver.forgetAll(observers, gone, (o, ex) -> LOG.warn("Poll observer {} failed forgetting device {}",
                            o.getClass().getName(), gone.name(), ex));
                }
            }
            reconcile();
        }
    }

    /**
     * In a cluster: called (on any thread) after membership or partition ownership may have
     * changed; starts the devices this member now owns and stops those it lost, on the
     * poller's own thread.
     */
    void ownershipChanged() {
        if (cluster == null || closed) {
            return;
        }
        try {
            scheduler.execute(() -> {
                synchronized (ownershipLock) {
                    reconcile();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("ownership change after the poller stopped");
        }
    }

    /** Starts owned devices that are not running, stops running ones no longer owned. */
    private void reconcile() {
        if (closed) {
            return;
        }
        int started = 0;
        int stopped = 0;
        for (State s : states.values()) {
            boolean owned = cluster.isLocalOwner(key(s.device.id()));
            if (owned && !s.active) {
                start(s);
                started++;
            } else if (!owned && s.active) {
                stop(s);
                stopped++;
            }
        }
        if (started + stopped > 0) {
            LOG.info("Device poller: this member ({}) took over {} device(s) and handed over {}; it polls {} of {}",
                    leases.owner(), started, stopped, owned(), states.size());
        }
    }

    /** @return how many devices this node polls on schedule (all of them without a cluster) */
    int owned() {
        if (cluster == null) {
            return states.size();
        }
        int n = 0;
        for (State s : states.values()) {
            if (s.active) {
                n++;
            }
        }
        return n;
    }

    /**
     * Takes a device over: polls it at once if its current slot is not polled yet (and its next
     * is more than a second away), then every slot.
     */
    private void start(State s) {
        s.active = true;
        gained.incrementAndGet();
        long gen = s.generation.get() + 1; // the generation begin() starts
        begin(s);
        takeLease(s, gen);
    }

    /**
     * Takes the device's lease at once (not only at its next slot), and again every second
     * while another node's lease has not expired, so that a node that wrongly still believes
     * it owns the device cannot claim a slot in between.
     */
    private void takeLease(State s, long gen) {
        if (closed || !s.active || s.generation.get() != gen) {
            return;
        }
        boolean taken;
        try {
            taken = leases.take(s.device.id(), s.device.pollIntervalS() * 1000L);
        } catch (RuntimeException e) {
            claimErrors.incrementAndGet();
            LOG.debug("lease of device {} not taken: {}", s.device.name(), e.getMessage());
            taken = false;
        }
        if (taken && (!s.active || s.generation.get() != gen)) {
            releaseLease(s); // handed over while the lease was taken
            return;
        }
        if (!taken) {
            try {
                scheduler.schedule(() -> takeLease(s, gen), 1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("poller stopped");
            }
        }
    }

    /** Starts the slot schedule of an active device from its current slot. */
    private void begin(State s) {
        long gen = s.generation.incrementAndGet();
        long interval = s.device.pollIntervalS() * 1000L;
        long now = System.currentTimeMillis();
        long slot = PollSlots.slotAt(s.device.id(), interval, now);
        if (PollSlots.dueAt(s.device.id(), interval, slot + 1) - now < 2 * SLOT_MARGIN_MS) {
            slot++;
        }
        schedule(s, gen, slot);
    }

    /** Hands a device over: no more polls from here, its lease ended, its samples dropped. */
    private void stop(State s) {
        s.active = false;
        lost.incrementAndGet();
        s.generation.incrementAndGet();
        cancel(s);
        s.samples = List.of();
        s.exposed = null;
        s.polled = false;
        releaseLease(s);
    }

    /** Ends this node's lease on the device (on a hand-over, or one taken or claimed while it was handed over). */
    private void releaseLease(State s) {
        try {
            leases.release(s.device.id());
        } catch (RuntimeException e) {
            LOG.debug("lease of device {} not released (it expires by itself): {}", s.device.name(), e.getMessage());
        }
    }

    private static void cancel(State s) {
        ScheduledFuture<?> f = s.schedule;
        if (f != null) {
            f.cancel(false);
        }
    }

    /** Runs slot {@code slot} of the device at its due time (at once when that has passed). */
    private void schedule(State s, long gen, long slot) {
        long interval = s.device.pollIntervalS() * 1000L;
        long delay = Math.max(0, PollSlots.dueAt(s.device.id(), interval, slot) - System.currentTimeMillis());
        try {
            s.schedule = scheduler.schedule(() -> runSlot(s, gen, slot), delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("slot of {} not scheduled: the poller stopped", s.device.name());
        }
    }

    /** Queues the slot's poll (claimed when it is sent, {@link #claim}); then schedules the next slot. */
    private void runSlot(State s, long gen, long slot) {
        if (closed || !s.active || s.generation.get() != gen) {
            return;
        }
        Device d = s.device;
        long interval = d.pollIntervalS() * 1000L;
        if (!cluster.isLocalOwner(key(d.id()))) {
            ownershipChanged(); // stops it, and counts the hand-over
            return;
        }
        long now = System.currentTimeMillis();
        if (now > PollSlots.dueAt(d.id(), interval, slot + 1) - SLOT_MARGIN_MS) {
            // this slot is over (the scheduler ran late, or the process was paused): the current one, if there is time
            long current = PollSlots.slotAt(d.id(), interval, now);
            schedule(s, gen, PollSlots.dueAt(d.id(), interval, current + 1) - now < 2 * SLOT_MARGIN_MS ? current + 1 : current);
            return;
        }
        // sent before the next slot begins or not at all (a queue wait, or a pause of the whole
        // process, must not make this slot's poll land in the next one); claimed when it is sent
        due(s, null, PollSlots.dueAt(d.id(), interval, slot + 1) - SLOT_MARGIN_MS, new Slot(gen, slot, interval));
        long next = Math.max(slot + 1, PollSlots.slotAt(d.id(), interval, System.currentTimeMillis()) + 1);
        schedule(s, gen, next);
    }

    /**
     * Claims a slot poll's slot in the database, right before it is sent: a node that dies
     * between the claim and the send loses that slot (the next owner cannot tell it was not
     * polled), so nothing but the send may come after the claim. When another node's lease
     * still holds the device, the poll is tried again a second later while its slot lasts.
     *
     * @return whether the slot is this node's to poll now
     */
    private boolean claim(Due due) {
        State s = due.state();
        Slot slot = due.slot();
        Device d = s.device;
        if (closed || !s.active || s.generation.get() != slot.gen()) {
            return false; // handed over (or stopped) while it waited in the queue
        }
        PollLeases.Claim claim;
        try {
            claim = leases.claim(d.id(), slot.slot(), slot.intervalMs());
            if (lastClaimError != null) {
                LOG.info("Device poller: poll slots can be claimed again");
                lastClaimError = null;
            }
        } catch (RuntimeException e) {
            claimErrors.incrementAndGet();
            String msg = String.valueOf(e.getMessage());
            if (!msg.equals(lastClaimError)) {
                LOG.warn("Device poller: poll slot of {} not claimed, so not polled (the database decides which node polls): {}",
                        d.name(), msg);
                lastClaimError = msg;
            }
            return false;
        }
        if (claim == PollLeases.Claim.CLAIMED) {
            if (s.active && s.generation.get() == slot.gen()) {
                return true;
            }
            releaseLease(s); // handed over while the claim ran
            return false;
        }
        refusals.get(claim).incrementAndGet();
        if (claim == PollLeases.Claim.HELD_ELSEWHERE
                && System.currentTimeMillis() + 1000 < PollSlots.dueAt(d.id(), slot.intervalMs(), slot.slot() + 1) - 1000) {
            LOG.debug("Device {}: slot {} held by another node's lease, trying again in 1 s", d.name(), slot.slot());
            try {
                scheduler.schedule(() -> {
                    if (!closed && s.active && s.generation.get() == slot.gen() && cluster.isLocalOwner(key(d.id()))) {
                        due(s, null, due.notAfter(), slot);
                    }
                }, 1000, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("poller stopped");
            }
        }
        return false;
    }

    /** Extends this node's poll leases (every second, in a cluster). */
    void renewLeases() {
        if (cluster == null || closed) {
            return;
        }
        try {
            List<String> polled = new ArrayList<>();
            for (State s : states.values()) {
                if (s.active) {
                    polled.add(s.device.id());
                }
            }
            leases.renew(polled);
        } catch (RuntimeException e) {
            claimErrors.incrementAndGet();
            LOG.debug("poll leases not renewed: {}", e.getMessage());
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
        due(s, done, Long.MAX_VALUE, null);
    }

    private void due(State s, CompletableFuture<PollSummary> done, long notAfter, Slot slot) {
        if (!polling.add(s.device.id())) {
            skipped.incrementAndGet();
            if (done != null) {
                done.completeExceptionally(new de.sid.verbund.core.ProblemException(de.sid.verbund.core.ProblemType.CONFLICT,
                        "device " + s.device.name() + " is being polled right now"));
            }
            return;
        }
        queue.add(new Due(s, done, notAfter, slot));
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
        if (System.currentTimeMillis() > due.notAfter()) {
            skipped.incrementAndGet();
            LOG.debug("Device {}: poll dropped, its slot is over", device.name());
            polling.remove(device.id());
            permits.release(); // drain's loop goes on with the next
            return;
        }
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
            PollRequest request = new PollRequest(scalars, base.walks());
            if (due.slot() != null && !claim(due)) {
                polling.remove(device.id());
                permits.release(); // drain's loop goes on with the next
                return;
            }
            stage = snmp.poll(target, request)
                    .thenApply(result -> cluster != null && due.done() == null && !s.active
                            // handed over while in flight: the new owner's samples count, not these
                            ? summary(device, result, 0, "handed over to another member while polled")
                            : record(s, device, chosen, result));
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
            if (cluster == null) {
                drain();
            } else {
                // the next polls' claims ask the database: not on the SNMP client's completion thread
                try {
                    scheduler.execute(this::drain);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    LOG.debug("poller stopped");
                }
            }
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

    /** @return the device's status with its interfaces, sensors and UPS from its latest samples */
    java.util.Optional<DeviceState> state(String deviceId) {
        State s = states.get(deviceId);
        if (s == null) {
            return java.util.Optional.empty();
        }
        List<MetricSample> samples = s.samples;
        return status(deviceId).map(st -> DeviceStates.of(st, samples));
    }

    /**
     * Walks a subtree of the device through its target, with the poller's timeout and retries, and
     * requests enough for {@code limit} rows and one more (to tell whether there are more).
     */
    CompletionStage<DeviceWalk> walk(Device device, Oid root, int limit) {
        if (limit < 1 || limit > DevicePoller.MAX_WALK_ROWS) {
            return CompletableFuture.failedFuture(de.sid.verbund.core.ProblemException.badRequest("limit must be 1 to "
                    + DevicePoller.MAX_WALK_ROWS + ", was " + limit));
        }
        return CompletableFuture.supplyAsync(() -> {
            SnmpTarget t = inventory.target(device).withTimeout(timeout).withRetries(retries);
            int perRequest = Math.min(t.maxRepetitions(), limit + 1);
            int requests = t.version() == de.sid.verbund.monitoring.SnmpVersion.V1 ? limit + 1
                    : (limit + perRequest) / perRequest + 1;
            return t.withMaxRepetitions(perRequest).withMaxRequestsPerWalk(requests);
        }, scheduler).thenCompose(t -> snmp.walk(t, root)).thenApply(w -> DeviceWalk.of(device.name(), w, limit));
    }

    void close() {
        closed = true;
        if (cluster != null) {
            states.values().forEach(s -> s.active = false);
            try {
                leases.releaseAll(); // the next owners need not wait for them to expire
            } catch (RuntimeException e) {
                LOG.debug("poll leases not released on stop (they expire by themselves): {}", e.getMessage());
            }
        }
        states.values().forEach(s -> {
            ScheduledFuture<?> f = s.schedule;
            if (f != null) {
                f.cancel(false);
            }
        });
    }

    /**
     * The devices' samples under their profile names (snmp_exporter's: {@code ifHCInOctets} with no
     * {@code _total}), plus {@code verbund_device_*} (up, poll duration, polls, errors, varbinds, the
     * last poll's start and the interval, from which an alert tells a poller falling behind, and
     * {@code verbund_device_info{kind}}) and {@code verbund_poller_queued_polls}. A raw SNMP counter goes out as type
     * {@code unknown} (untyped): the Java client library would append {@code _total} to a
     * counter's name and break dashboards written for snmp_exporter.
     */
    @Override
    public MetricSnapshots collect() {
        Map<String, List<Family>> byName = new LinkedHashMap<>();
        Set<String> refused = new HashSet<>();
        Set<String> devices = new HashSet<>();
        GaugeSnapshot.Builder up = GaugeSnapshot.builder().name("verbund_device_up")
                .help("1 when the device answered its last poll, 0 when not");
        GaugeSnapshot.Builder duration = GaugeSnapshot.builder().name("verbund_device_poll_duration_seconds")
                .help("How long the device's last poll took");
        CounterSnapshot.Builder polls = CounterSnapshot.builder().name("verbund_device_polls").help("Polls of the device");
        CounterSnapshot.Builder errors = CounterSnapshot.builder().name("verbund_device_poll_errors")
                .help("Polls of the device that got no answer or could not be sent");
        CounterSnapshot.Builder varbinds = CounterSnapshot.builder().name("verbund_device_varbinds")
                .help("Variable bindings received from the device");
        GaugeSnapshot.Builder lastPoll = GaugeSnapshot.builder().name("verbund_device_last_poll_timestamp_seconds")
                .help("When the device's last poll started (answered or not), Unix time");
        GaugeSnapshot.Builder interval = GaugeSnapshot.builder().name("verbund_device_poll_interval_seconds")
                .help("The device's poll interval");
        // an info metric: the exposition writes verbund_device_info
        io.prometheus.metrics.model.snapshots.InfoSnapshot.Builder info = io.prometheus.metrics.model.snapshots.InfoSnapshot
                .builder().name("verbund_device").help("1 for each polled device, with its kind (switch, router, firewall, ups, pdu, cooling, sensor, "
                        + "server, storage)");
        List<Exposed> byDevice = new ArrayList<>();
        for (State s : states.values()) {
            if (s.polled) { // a device handed over has none (stop), unless polled here on demand since
                byDevice.add(exposed(s));
            }
        }
        byDevice.sort(java.util.Comparator.comparing(e -> e.device().name()));
        for (Exposed e : byDevice) {
            State s = e.state();
            if (!devices.add(e.device().name())) {
                continue; // names are unique in the inventory; a second series set of one name would be refused whole
            }
            Labels labels = e.deviceLabels();
            up.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(s.up ? 1 : 0).build());
            duration.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(s.durationSeconds).build());
            polls.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(s.polls.get()).build());
            errors.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(s.errors.get()).build());
            varbinds.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(labels).value(s.varbinds.get())
                    .build());
            java.time.Instant at = s.lastPollAt;
            if (at != null) {
                lastPoll.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                        .value(at.getEpochSecond() + at.getNano() / 1e9).build());
            }
            interval.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                    .value(e.device().pollIntervalS()).build());
            if (e.device().kind() != null) {
                info.dataPoint(io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot.builder()
                        .labels(labels.add("kind", e.device().kind().name().toLowerCase(java.util.Locale.ROOT))).build());
            }
            e.byName().forEach((name, family) -> byName.computeIfAbsent(name, n -> new ArrayList<>()).add(family));
            refused.addAll(e.refused());
        }
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(up.build());
        out.add(duration.build());
        out.add(polls.build());
        out.add(errors.build());
        out.add(varbinds.build());
        out.add(lastPoll.build());
        out.add(interval.build());
        out.add(info.build());
        out.add(GaugeSnapshot.builder().name("verbund_poller_queued_polls").help("Polls that are due and wait for a "
                + "free slot (at most max.concurrent polls run at once)").dataPoint(GaugeSnapshot.GaugeDataPointSnapshot
                .builder().value(queue.size()).build()).build());
        if (cluster != null) {
            out.add(GaugeSnapshot.builder().name("verbund_cluster_owned_devices").help("Devices this member owns and "
                    + "polls").dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(owned()).build()).build());
            out.add(CounterSnapshot.builder().name("verbund_cluster_device_ownership_changes").help("Devices this member "
                    + "took over (gained) or handed over (lost)")
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("direction", "gained"))
                            .value(gained.get()).build())
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("direction", "lost"))
                            .value(lost.get()).build()).build());
            out.add(CounterSnapshot.builder().name("verbund_device_poll_slots_refused").help("Poll slots of owned devices "
                    + "not polled here: polled already (slot_taken) or another node's lease not expired (held_elsewhere)")
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("reason", "slot_taken"))
                            .value(refusals.get(PollLeases.Claim.SLOT_TAKEN).get()).build())
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(Labels.of("reason", "held_elsewhere"))
                            .value(refusals.get(PollLeases.Claim.HELD_ELSEWHERE).get()).build()).build());
            out.add(CounterSnapshot.builder().name("verbund_device_poll_lease_errors").help("Poll slot claims and lease "
                    + "renewals that failed (database unreachable); a slot not claimed is not polled")
                    .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(claimErrors.get()).build()).build());
        }
        out.add(CounterSnapshot.builder().name("verbund_device_polls_skipped").help("Polls skipped because the device "
                + "was still being polled").dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .value(skipped.get()).build()).build());
        for (Map.Entry<String, List<Family>> e : byName.entrySet()) {
            if (refused.contains(e.getKey())) {
                continue;
            }
            MetricSnapshot snapshot = snapshot(e.getKey(), e.getValue());
            if (snapshot != null) {
                out.add(snapshot);
            }
        }
        return new MetricSnapshots(out);
    }

    /** @return the device's samples ready for the exposition, made now if a poll replaced them */
    private Exposed exposed(State s) {
        Exposed e = s.exposed;
        List<MetricSample> samples = s.samples;
        Device device = s.device;
        if (e != null && e.from() == samples && e.device() == device) {
            return e;
        }
        Map<Map<String, String>, Labels> labelSets = new HashMap<>();
        Map<String, Family> byName = new LinkedHashMap<>();
        Map<String, Set<Labels>> seen = new HashMap<>();
        Set<String> refused = new HashSet<>();
        for (MetricSample m : samples) {
            if (refused.contains(m.name())) {
                continue;
            }
            Labels l = labelSets.get(m.labels());
            if (l == null) {
                try {
                    l = labels(m);
                } catch (IllegalArgumentException x) {
                    refused.add(m.name());
                    if (refusedNames.add(m.name())) {
                        LOG.warn("Metric {} left out of the exposition: {}", m.name(), x.getMessage());
                    }
                    continue;
                }
                labelSets.put(m.labels(), l);
            }
            // equal label maps share one Labels, so identity finds a repeated series
            if (!seen.computeIfAbsent(m.name(), n -> java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()))
                    .add(l)) {
                continue;
            }
            byName.computeIfAbsent(m.name(), n -> new Family(m.kind(), m.help())).add(l, m.value());
        }
        // the client library sorts each metric's points by labels; devices come in name order
        // (see collect), so with the device label first in that order it finds them sorted
        byName.values().forEach(f -> f.points.sort(java.util.Comparator.comparing(DataPointSnapshot::getLabels)));
        e = new Exposed(s, samples, device, Labels.of("device", device.name(), "site", device.site()), byName, refused);
        s.exposed = e;
        return e;
    }

    /**
     * One metric's data points over all devices, typed by the first device's first sample: a
     * raw counter as {@code unknown}, anything else as a gauge.
     */
    private MetricSnapshot snapshot(String name, List<Family> families) {
        Family first = families.get(0);
        try {
            if (first.kind == MetricSample.Kind.COUNTER) {
                UnknownSnapshot.Builder b = UnknownSnapshot.builder().name(name).help(first.help);
                for (Family f : families) {
                    f.as(first.kind).forEach(p -> b.dataPoint((UnknownSnapshot.UnknownDataPointSnapshot) p));
                }
                return b.build();
            }
            GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(first.help);
            for (Family f : families) {
                f.as(first.kind).forEach(p -> b.dataPoint((GaugeSnapshot.GaugeDataPointSnapshot) p));
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

package de.sid.verbund.web.dashboard.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.sid.verbund.alarms.AlarmEvents;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.EventHandler;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DevicePoller;
import de.sid.verbund.monitoring.inventory.PollObserver;
import de.sid.verbund.monitoring.inventory.PollSummary;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * The events every open monitoring dashboard of this node receives, fed by the monitoring and
 * alarm event flow of the whole cluster:
 * <ul>
 *   <li>{@code poll}: a device was polled, here or on another node ({@code deviceId},
 *       {@code device}, {@code site}, {@code kind}, {@code up}, {@code at}, {@code problem}, and
 *       the values of the poll in the shape of {@code GET /api/devices/{id}}: {@code status},
 *       {@code interfaces}, {@code sensors}, {@code ups}, each left out when the device has none);
 *       told by this node's poller ({@link PollObserver}) and relayed from the live topic
 *       {@value #POLLS_TOPIC}, where every node's dashboard component publishes its poller's polls.
 *       A device's polls are passed on in time order, each once: one that is not newer than the
 *       latest known of its device (this node's own, coming back from the bus) is dropped;</li>
 *   <li>{@code device-removed}: a device is no longer polled ({@code deviceId}, {@code device});
 *       relayed the same way;</li>
 *   <li>{@code alarm}: an alarm was raised, acknowledged, escalated or cleared: the payload of
 *       {@link AlarmEvents} plus {@code event} (its type, e.g. {@code alarm.acknowledged}),
 *       from the alarm events topic, through a live subscription of this node alone (every node
 *       gets every change; a durable subscription shared by the nodes would split them).</li>
 * </ul>
 * Each is JSON; a listener gets them in the order they arrived here. A slow or gone listener
 * never holds up polling or the bus: {@link Listener#send} must not block, and one that answers
 * {@code false} is dropped. Idle listeners get a keep-alive every {@code keepalive.s}.
 *
 * <p>The poll feed is a live feed, not the transactional outbox: the messages are not persisted,
 * a poll lost (broker restart, a full send queue) is superseded by the device's next one, and
 * nothing stores them. The latest poll of every device seen here is kept for the overview
 * ({@link #latest}), so a node shows the state of devices other nodes poll.
 */
@Component(service = {DashboardEvents.class, PollObserver.class}, configurationPid = DashboardConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = DashboardConfig.class)
public class DashboardEvents implements PollObserver {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardEvents.class);
    static final String POLL = "poll";
    static final String DEVICE_REMOVED = "device-removed";
    static final String ALARM = "alarm";
    /** The live topic of poll results and removed devices, from every node. */
    static final String POLLS_TOPIC = "monitoring.polls";
    /** Event types on {@value #POLLS_TOPIC}. */
    static final String POLLED = "device.polled";
    static final String FORGOTTEN = "device.forgotten";
    /** The payload key naming the node that published (its dashboard component's id). */
    static final String NODE = "node";
    /** Most polls waiting to be published; beyond, new ones are dropped (a live feed). */
    static final int PUBLISH_QUEUE = 1_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The values of a poll: the API's shapes (ISO-8601 times), without nulls. */
    private static final ObjectMapper VALUES = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    /** One open dashboard. */
    public interface Listener {
        /**
         * @param event the event name
         * @param json its data, one line of JSON
         * @return false when the listener is gone (it is then dropped)
         */
        boolean send(String event, String json);

        /** @return false when the listener is gone */
        boolean keepAlive();
    }

    /**
     * The latest poll of a device seen on this node, its own poller's or another node's.
     *
     * @param deviceId the device
     * @param up whether it answered
     * @param at when the poll started
     * @param problem why it did not answer, or {@code null}
     */
    public record LatestPoll(String deviceId, boolean up, Instant at, String problem) {
    }

    private final String node = UUID.randomUUID().toString();
    private final EventBus bus;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, LatestPoll> latest = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker;
    private final ThreadPoolExecutor publisher;
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final AtomicInteger subscribed = new AtomicInteger();
    private final AtomicLong fromBus = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean publishFailing;
    private volatile boolean stopped;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DevicePoller poller;

    @Activate
    public DashboardEvents(@Reference EventBus bus, DashboardConfig config) {
        this.bus = bus;
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-dashboard-events");
            t.setDaemon(true);
            return t;
        });
        publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(PUBLISH_QUEUE), r -> {
            Thread t = new Thread(r, "verbund-dashboard-publish");
            t.setDaemon(true);
            return t;
        }, (r, pool) -> dropped.incrementAndGet());
        worker.execute(() -> subscribe(AlarmEvents.TOPIC, this::alarmEvent, 1));
        worker.execute(() -> subscribe(POLLS_TOPIC, this::busEvent, 1));
        long keepAlive = Math.max(1, config.keepalive_s());
        worker.scheduleWithFixedDelay(this::keepAlive, keepAlive, keepAlive, TimeUnit.SECONDS);
    }

    private void subscribe(String topic, EventHandler handler, long retrySeconds) {
        if (stopped) {
            return;
        }
        try {
            subscriptions.add(bus.subscribeLive(topic, handler));
            subscribed.incrementAndGet();
        } catch (RuntimeException e) {
            LOG.warn("Dashboard: no subscription to {} yet ({}), again in {} s", topic, e.getMessage(), retrySeconds);
            worker.schedule(() -> subscribe(topic, handler, Math.min(30, retrySeconds * 2)), retrySeconds, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        worker.shutdownNow();
        publisher.shutdownNow();
        subscriptions.forEach(Subscription::close);
        listeners.clear();
    }

    /** @return true once both live subscriptions (alarms, polls) are attached */
    boolean subscribed() {
        return subscribed.get() == 2;
    }

    /** @return events that arrived on {@value #POLLS_TOPIC}, this node's own included */
    long fromBus() {
        return fromBus.get();
    }

    /** @return polls not published because the send queue was full */
    long dropped() {
        return dropped.get();
    }

    /** Adds an open dashboard. */
    public void add(Listener listener) {
        listeners.add(listener);
    }

    /** Removes a dashboard that went away. */
    public void remove(Listener listener) {
        listeners.remove(listener);
    }

    /** @return how many dashboards are open on this node */
    public int listeners() {
        return listeners.size();
    }

    /** @return the latest poll of the device seen on this node (any node's), empty if none since it started */
    public Optional<LatestPoll> latest(String deviceId) {
        return Optional.ofNullable(latest.get(deviceId));
    }

    /** An alarm event from the bus; never throws (the bus would redeliver what nobody stores). */
    void alarmEvent(DomainEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("event", event.type());
        data.putAll(event.payload());
        broadcast(ALARM, data);
    }

    @Override
    public void polled(Device device, PollSummary summary, List<MetricSample> samples) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("deviceId", device.id());
        data.put("device", device.name());
        data.put("site", device.site());
        data.put("kind", device.kind() == null ? null : device.kind().name().toLowerCase(Locale.ROOT));
        data.put("up", summary.up());
        data.put("at", summary.startedAt() == null ? null : summary.startedAt().toString());
        data.put("problem", summary.problem());
        values(device.id()).ifPresent(data::putAll);
        if (summary.startedAt() != null) {
            remember(new LatestPoll(device.id(), summary.up(), summary.startedAt(), summary.problem()));
        }
        broadcast(POLL, data);
        publish(POLLED, data);
    }

    @Override
    public void forgotten(Device device) {
        latest.remove(device.id());
        Map<String, Object> data = Map.of("deviceId", device.id(), "device", device.name());
        broadcast(DEVICE_REMOVED, data);
        publish(FORGOTTEN, data);
    }

    /**
     * The poll's values from the poller, as {@code GET /api/devices/{id}} shows them; empty
     * without a poller or when it cannot tell (never fails a poll).
     */
    private Optional<Map<String, Object>> values(String deviceId) {
        DevicePoller p = poller;
        if (p == null) {
            return Optional.empty();
        }
        try {
            return p.state(deviceId).map(s -> {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("status", VALUES.convertValue(s.status(), MAP));
                if (!s.interfaces().isEmpty()) {
                    v.put("interfaces", VALUES.convertValue(s.interfaces(), List.class));
                }
                if (!s.sensors().isEmpty()) {
                    v.put("sensors", VALUES.convertValue(s.sensors(), List.class));
                }
                if (s.ups() != null) {
                    v.put("ups", VALUES.convertValue(s.ups(), MAP));
                }
                return v;
            });
        } catch (RuntimeException e) {
            LOG.debug("Dashboard: no values of device {}: {}", deviceId, e.toString());
            return Optional.empty();
        }
    }

    /** Keeps the poll if it is the device's newest. @return whether it was */
    private boolean remember(LatestPoll poll) {
        boolean[] newer = {false};
        latest.compute(poll.deviceId(), (id, known) -> {
            if (known == null || poll.at().isAfter(known.at())) {
                newer[0] = true;
                return poll;
            }
            return known;
        });
        return newer[0];
    }

    /** Hands a poll or removal to the publishing thread: the poller never waits for the broker. */
    private void publish(String type, Map<String, Object> data) {
        if (stopped) {
            return;
        }
        Map<String, Object> payload = new LinkedHashMap<>(data);
        payload.put(NODE, node);
        DomainEvent event = new DomainEvent(UUID.randomUUID(), type, Instant.now(), null, payload);
        try {
            publisher.execute(() -> {
                try {
                    bus.publishLive(POLLS_TOPIC, event);
                    if (publishFailing) {
                        publishFailing = false;
                        LOG.info("Dashboard: polls are published on {} again", POLLS_TOPIC);
                    }
                } catch (RuntimeException e) {
                    dropped.incrementAndGet();
                    if (!publishFailing) {
                        publishFailing = true;
                        LOG.warn("Dashboard: polls are not published on {} ({}); other nodes' dashboards miss "
                                + "them until the broker takes them again", POLLS_TOPIC, e.getMessage());
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            dropped.incrementAndGet(); // stopped meanwhile
        }
    }

    /**
     * A poll or removal from {@value #POLLS_TOPIC}: this node's own are dropped (its dashboards
     * had them from the poller), so is a poll not newer than the device's latest; the rest goes
     * to the dashboards. Never throws.
     */
    void busEvent(DomainEvent event) {
        fromBus.incrementAndGet();
        Map<String, Object> data = new LinkedHashMap<>(event.payload());
        if (node.equals(data.remove(NODE))) {
            return;
        }
        Object deviceId = data.get("deviceId");
        if (!(deviceId instanceof String id)) {
            return;
        }
        if (FORGOTTEN.equals(event.type())) {
            if (latest.remove(id) != null) {
                broadcast(DEVICE_REMOVED, data);
            }
            return;
        }
        if (!POLLED.equals(event.type())) {
            return;
        }
        Instant at;
        try {
            at = Instant.parse(String.valueOf(data.get("at")));
        } catch (java.time.format.DateTimeParseException e) {
            return;
        }
        Object problem = data.get("problem");
        if (remember(new LatestPoll(id, Boolean.TRUE.equals(data.get("up")), at, problem == null ? null : problem.toString()))) {
            broadcast(POLL, data);
        }
    }

    private void broadcast(String event, Map<String, Object> data) {
        if (listeners.isEmpty()) {
            return;
        }
        String json;
        try {
            json = JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            LOG.warn("Dashboard event {} not sent: {}", event, e.getMessage());
            return;
        }
        for (Listener l : listeners) {
            if (!l.send(event, json)) {
                listeners.remove(l);
            }
        }
    }

    private void keepAlive() {
        for (Listener l : listeners) {
            if (!l.keepAlive()) {
                listeners.remove(l);
            }
        }
    }
}

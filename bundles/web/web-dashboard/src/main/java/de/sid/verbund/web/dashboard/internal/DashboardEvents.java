package de.sid.verbund.web.dashboard.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.alarms.AlarmEvents;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.PollObserver;
import de.sid.verbund.monitoring.inventory.PollSummary;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events every open monitoring dashboard of this node receives, fed by the monitoring and
 * alarm event flow:
 * <ul>
 *   <li>{@code poll}: a device of this node was polled ({@code deviceId}, {@code device},
 *       {@code site}, {@code kind}, {@code up}, {@code at}, {@code problem}); told by the poller
 *       ({@link PollObserver}), so a node's dashboards see the polls of the devices it owns;</li>
 *   <li>{@code device-removed}: a device is no longer polled ({@code deviceId}, {@code device});</li>
 *   <li>{@code alarm}: an alarm was raised, acknowledged, escalated or cleared: the payload of
 *       {@link AlarmEvents} plus {@code event} (its type, e.g. {@code alarm.acknowledged}),
 *       from the alarm events topic, so an acknowledgement on any node reaches every dashboard.</li>
 * </ul>
 * Each is JSON; a listener gets them in the order they happened here. A slow or gone listener
 * never holds up polling or the bus: {@link Listener#send} must not block, and one that answers
 * {@code false} is dropped. Idle listeners get a keep-alive every {@code keepalive.s}.
 */
@Component(service = {DashboardEvents.class, PollObserver.class}, configurationPid = DashboardConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = DashboardConfig.class)
public class DashboardEvents implements PollObserver {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardEvents.class);
    static final String POLL = "poll";
    static final String DEVICE_REMOVED = "device-removed";
    static final String ALARM = "alarm";
    private static final ObjectMapper JSON = new ObjectMapper();

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

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService worker;
    private volatile Subscription alarms;
    private volatile boolean stopped;

    @Activate
    public DashboardEvents(@Reference EventBus bus, DashboardConfig config) {
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-dashboard-events");
            t.setDaemon(true);
            return t;
        });
        worker.execute(() -> subscribe(bus, config.alarm_subscription(), 1));
        long keepAlive = Math.max(1, config.keepalive_s());
        worker.scheduleWithFixedDelay(this::keepAlive, keepAlive, keepAlive, TimeUnit.SECONDS);
    }

    private void subscribe(EventBus bus, String subscription, long retrySeconds) {
        if (stopped) {
            return;
        }
        try {
            alarms = bus.subscribe(AlarmEvents.TOPIC, subscription, this::alarmEvent);
        } catch (RuntimeException e) {
            LOG.warn("Dashboard: no subscription to {} yet ({}), again in {} s", AlarmEvents.TOPIC, e.getMessage(), retrySeconds);
            worker.schedule(() -> subscribe(bus, subscription, Math.min(30, retrySeconds * 2)), retrySeconds, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        Subscription s = alarms;
        if (s != null) {
            s.close();
        }
        worker.shutdownNow();
        listeners.clear();
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
        broadcast(POLL, data);
    }

    @Override
    public void forgotten(Device device) {
        broadcast(DEVICE_REMOVED, Map.of("deviceId", device.id(), "device", device.name()));
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

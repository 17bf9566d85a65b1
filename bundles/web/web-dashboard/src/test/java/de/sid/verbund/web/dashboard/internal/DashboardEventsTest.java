package de.sid.verbund.web.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.alarms.AlarmEvents;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.artemis.internal.ArtemisMessagingComponent;
import de.sid.verbund.messaging.artemis.internal.MessagingConfig;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.testsupport.Configs;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What open dashboards receive: alarm changes published on a real embedded Artemis broker (as the
 * alarms area's outbox relay publishes them) and the polls the poller reports, each dashboard
 * every event, a gone one dropped.
 */
class DashboardEventsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path journal;
    ArtemisMessagingComponent bus;
    DashboardEvents events;

    /** A dashboard that records what it got; {@code open} false makes it answer as a closed stream. */
    static final class Recorder implements DashboardEvents.Listener {
        final List<String> got = new CopyOnWriteArrayList<>();
        volatile boolean open = true;

        @Override
        public boolean send(String event, String json) {
            if (open) {
                got.add(event + " " + json);
            }
            return open;
        }

        @Override
        public boolean keepAlive() {
            return open;
        }

        JsonNode last(String event) throws Exception {
            String line = got.stream().filter(l -> l.startsWith(event + " ")).reduce((a, b) -> b).orElseThrow();
            return JSON.readTree(line.substring(event.length() + 1));
        }
    }

    @BeforeEach
    void setUp() {
        bus = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory", journal.toString(),
                "tcp_port", 0, "redelivery_delay_ms", 50L));
        events = new DashboardEvents(bus, Configs.of(DashboardConfig.class, "keepalive_s", 1L));
    }

    @AfterEach
    void tearDown() throws Exception {
        events.deactivate();
        Method m = ArtemisMessagingComponent.class.getDeclaredMethod("deactivate");
        m.setAccessible(true);
        m.invoke(bus);
    }

    private static DomainEvent alarm(String type, String state) {
        return new DomainEvent(UUID.randomUUID(), type, Instant.now(), null, Map.of(AlarmEvents.ALARM_ID, "a-1",
                AlarmEvents.TYPE, "upsOnBattery", AlarmEvents.SEVERITY, "critical", AlarmEvents.STATE, state,
                AlarmEvents.SOURCE_NAME, "ups-1", AlarmEvents.BY, "monitor"));
    }

    @Test
    void everyDashboardGetsAlarmChangesFromTheBusAndPollsFromThePoller() throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        events.add(a);
        events.add(b);

        // the subscription is made on the component's thread: publish until it arrives
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            bus.publish(AlarmEvents.TOPIC, alarm(AlarmEvents.RAISED, "ACTIVE"));
            return a.got.stream().anyMatch(l -> l.startsWith("alarm "));
        });
        bus.publish(AlarmEvents.TOPIC, alarm(AlarmEvents.ACKNOWLEDGED, "ACKNOWLEDGED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.last("alarm").path("event").asText().equals(AlarmEvents.ACKNOWLEDGED));
        Device ups = new Device("d-1", "ups-1", "127.0.0.1", 161, "dc1", DeviceKind.UPS, 60, List.of(), "c-1", Instant.now());
        events.polled(ups, new PollSummary("d-1", "ups-1", true, Instant.parse("2026-11-29T10:00:00Z"), 12, 3, 40, 38, null),
                List.of());

        JsonNode ack = b.last("alarm");
        assertThat(ack.path("state").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(ack.path("alarmId").asText()).isEqualTo("a-1");
        assertThat(ack.path("by").asText()).isEqualTo("monitor");
        JsonNode poll = a.last("poll");
        assertThat(poll.path("deviceId").asText()).isEqualTo("d-1");
        assertThat(poll.path("kind").asText()).isEqualTo("ups");
        assertThat(poll.path("up").asBoolean()).isTrue();
        assertThat(poll.path("at").asText()).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(b.last("poll")).isEqualTo(poll);
    }

    @Test
    void aClosedDashboardIsDropped() throws Exception {
        Recorder open = new Recorder();
        Recorder closed = new Recorder();
        events.add(open);
        events.add(closed);
        closed.open = false;

        events.forgotten(new Device("d-2", "sw-2", "127.0.0.1", 161, "dc1", DeviceKind.SWITCH, 60, List.of(), "c-1",
                Instant.now()));

        assertThat(open.last("device-removed").path("device").asText()).isEqualTo("sw-2");
        assertThat(events.listeners()).isEqualTo(1);
        // the keep-alive finds a stream that closed while idle
        open.open = false;
        await().atMost(Duration.ofSeconds(10)).until(() -> events.listeners() == 0);
    }
}

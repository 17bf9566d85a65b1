package de.sid.verbund.web.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import de.sid.verbund.alarms.AlarmEvents;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.artemis.internal.ArtemisMessagingComponent;
import de.sid.verbund.messaging.artemis.internal.MessagingConfig;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.DevicePoller;
import de.sid.verbund.monitoring.inventory.DeviceState;
import de.sid.verbund.monitoring.inventory.DeviceState.InterfaceState;
import de.sid.verbund.monitoring.inventory.DeviceState.UpsState;
import de.sid.verbund.monitoring.inventory.DeviceStatus;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.FakeAccess;
import de.sid.verbund.testsupport.FakeInventory;
import de.sid.verbund.testsupport.Ports;
import de.sid.verbund.web.dashboard.internal.DashboardEventsTest.Recorder;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' dashboards on one real Artemis broker (node A embeds it, node B connects over TCP,
 * as the nodes of {@code ./verbund run --cluster} share theirs): an alarm change and a poll made
 * on node A reach the dashboards of both nodes, each exactly once, with the poll's values; node
 * B's overview shows the state of a device only node A polls.
 */
class DashboardClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    ArtemisMessagingComponent busA;
    ArtemisMessagingComponent busB;
    DashboardEvents nodeA;
    DashboardEvents nodeB;
    final Recorder onA = new Recorder();
    final Recorder onB = new Recorder();
    final Map<String, DeviceState> polledByA = new ConcurrentHashMap<>();

    final Device ups = new Device("d-ups", "ups-1", "127.0.0.1", 161, "dc1", DeviceKind.UPS, 10, List.of(), "c-1",
            Instant.now());
    final Device sw = new Device("d-sw", "sw-1", "127.0.0.1", 161, "dc2", DeviceKind.SWITCH, 10, List.of(), "c-1",
            Instant.now());

    /** Node A's poller: it polls the devices (and knows their state); node B's knows none of them. */
    final class Poller implements DevicePoller {
        final Map<String, DeviceState> states;

        Poller(Map<String, DeviceState> states) {
            this.states = states;
        }

        @Override
        public CompletionStage<PollSummary> pollNow(Device device) {
            return CompletableFuture.failedFuture(new IllegalStateException("not polled in this test"));
        }

        @Override
        public Optional<DeviceStatus> status(String deviceId) {
            return Optional.ofNullable(states.get(deviceId)).map(DeviceState::status);
        }

        @Override
        public Optional<DeviceState> state(String deviceId) {
            return Optional.ofNullable(states.get(deviceId));
        }
    }

    @BeforeEach
    void setUp() {
        int port = Ports.freeTcpPort();
        busA = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory",
                dir.resolve("a").toString(), "tcp_port", port, "redelivery_delay_ms", 50L));
        busB = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory",
                dir.resolve("b").toString(), "embedded", false, "broker_url", "tcp://127.0.0.1:" + port));
        nodeA = new DashboardEvents(busA, Configs.of(DashboardConfig.class));
        nodeA.poller = new Poller(polledByA);
        nodeB = new DashboardEvents(busB, Configs.of(DashboardConfig.class));
        nodeB.poller = new Poller(Map.of());
        nodeA.add(onA);
        nodeB.add(onB);
        await().atMost(WAIT).until(() -> nodeA.subscribed() && nodeB.subscribed());
    }

    @AfterEach
    void tearDown() throws Exception {
        nodeA.deactivate();
        nodeB.deactivate();
        Method m = ArtemisMessagingComponent.class.getDeclaredMethod("deactivate");
        m.setAccessible(true);
        m.invoke(busB);
        m.invoke(busA);
    }

    private long count(Recorder r, String event, String field, String value) throws Exception {
        long n = 0;
        for (String line : r.got) {
            if (line.startsWith(event + " ")
                    && DashboardEventsTest.JSON.readTree(line.substring(event.length() + 1)).path(field).asText().equals(value)) {
                n++;
            }
        }
        return n;
    }

    private void poll(Device d, boolean up, Instant at, DeviceState state) {
        polledByA.put(d.id(), state);
        nodeA.polled(d, new PollSummary(d.id(), d.name(), up, at, 12, 3, 40, 38, up ? null : "no answer"), List.of());
    }

    private static DeviceState upsOnBattery(Instant at) {
        DeviceStatus status = new DeviceStatus("d-ups", "ups-1", true, true, at, 12, 7, 0, "Eaton 9PX", "1.3.6.1.4.1.534",
                86_400L, 38, null);
        UpsState ups = new UpsState("Eaton", "9PX", "batteryNormal", 97.0, 1_980.0, 42.0, 54.2, 24.0, "battery", true, 31.0,
                50.0, 1, List.of(), List.of());
        InterfaceState eth = new InterfaceState(1, "eth0", "eth0", "", "ethernetCsmacd", null, "up", "up", 100_000_000L,
                125_000.0, 25_000.0, 1.0, 0.2, 0.0, 0.0, null, null);
        return new DeviceState(status, List.of(eth), List.of(), ups);
    }

    @Test
    void anAlarmChangeOnNodeAReachesEveryDashboardOfBothNodesOnce() throws Exception {
        String alarmId = UUID.randomUUID().toString();
        // published once on the shared broker, as node A's outbox relay does
        busA.publish(AlarmEvents.TOPIC, new DomainEvent(UUID.randomUUID(), AlarmEvents.ACKNOWLEDGED, Instant.now(), null,
                Map.of(AlarmEvents.ALARM_ID, alarmId, AlarmEvents.TYPE, "upsOnBattery", AlarmEvents.SEVERITY, "critical",
                        AlarmEvents.STATE, "ACKNOWLEDGED", AlarmEvents.SOURCE_NAME, "ups-1", AlarmEvents.BY, "monitor")));
        // a second change after it: when it has arrived, a duplicate of the first would have too
        String next = UUID.randomUUID().toString();
        busA.publish(AlarmEvents.TOPIC, new DomainEvent(UUID.randomUUID(), AlarmEvents.RAISED, Instant.now(), null,
                Map.of(AlarmEvents.ALARM_ID, next, AlarmEvents.STATE, "ACTIVE")));
        await().atMost(WAIT).until(() -> count(onA, "alarm", "alarmId", next) == 1 && count(onB, "alarm", "alarmId", next) == 1);

        assertThat(count(onA, "alarm", "alarmId", alarmId)).isEqualTo(1);
        assertThat(count(onB, "alarm", "alarmId", alarmId)).isEqualTo(1);
        assertThat(onB.last("alarm").path("event").asText()).isEqualTo(AlarmEvents.RAISED);
    }

    @Test
    void aPollOnNodeAReachesNodeBsDashboardsOnceWithItsValuesAndNodeBsOverview() throws Exception {
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        poll(ups, true, at, upsOnBattery(at));
        Instant swAt = Instant.parse("2026-11-29T10:00:03Z");
        poll(sw, false, swAt, new DeviceState(new DeviceStatus("d-sw", "sw-1", true, false, swAt, 3000, 1, 1, null, null,
                null, 0, "no answer"), List.of(), List.of(), null));

        // node A's own copies came back from the broker (and were dropped); node B has both polls
        await().atMost(WAIT).until(() -> nodeA.fromBus() >= 2 && count(onB, "poll", "deviceId", "d-sw") == 1);
        assertThat(count(onA, "poll", "deviceId", "d-ups")).isEqualTo(1);
        assertThat(count(onA, "poll", "deviceId", "d-sw")).isEqualTo(1);
        assertThat(count(onB, "poll", "deviceId", "d-ups")).isEqualTo(1);

        JsonNode remote = DashboardEventsTest.JSON.readTree(onB.got.stream().filter(l -> l.startsWith("poll ") && l.contains("d-ups"))
                .findFirst().orElseThrow().substring("poll ".length()));
        assertThat(remote.path("node").isMissingNode()).as("the publishing node's id is not passed on").isTrue();
        assertThat(remote.path("up").asBoolean()).isTrue();
        assertThat(remote.path("at").asText()).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(remote.path("kind").asText()).isEqualTo("ups");
        assertThat(remote.path("status").path("lastPollAt").asText()).isEqualTo("2026-11-29T10:00:00Z");
        assertThat(remote.path("status").path("sysDescr").asText()).isEqualTo("Eaton 9PX");
        assertThat(remote.path("ups").path("onBattery").asBoolean()).isTrue();
        assertThat(remote.path("ups").path("chargePercent").asDouble()).isEqualTo(97.0);
        assertThat(remote.path("ups").path("runtimeSeconds").asDouble()).isEqualTo(1_980.0);
        assertThat(remote.path("interfaces").get(0).path("inOctetsPerSecond").asDouble()).isEqualTo(125_000.0);
        assertThat(remote.path("interfaces").get(0).has("physAddress")).as("nulls are left out").isFalse();
        assertThat(remote.path("sensors").isMissingNode()).isTrue();
        JsonNode local = DashboardEventsTest.JSON.readTree(onA.got.stream().filter(l -> l.startsWith("poll ") && l.contains("d-ups"))
                .findFirst().orElseThrow().substring("poll ".length()));
        assertThat(remote).isEqualTo(local);

        // node B's overview: node B's poller knows neither device, the feed does
        FakeInventory inventory = new FakeInventory();
        inventory.devices.put(ups.id(), ups);
        inventory.devices.put(sw.id(), sw);
        DashboardResource onNodeB = new DashboardResource(inventory, FakeAccess.monitoring(), nodeB);
        onNodeB.poller = nodeB.poller;
        DashboardResource.Overview o = onNodeB.overview();
        assertThat(o.devices()).extracting(DashboardResource.DeviceEntry::name, DashboardResource.DeviceEntry::state,
                DashboardResource.DeviceEntry::lastPollAt, DashboardResource.DeviceEntry::problem).containsExactly(
                org.assertj.core.groups.Tuple.tuple("ups-1", "up", at, null),
                org.assertj.core.groups.Tuple.tuple("sw-1", "down", swAt, "no answer"));
        assertThat(o.kinds()).containsEntry("ups", new DashboardResource.KindCount(1, 0, 0))
                .containsEntry("switch", new DashboardResource.KindCount(0, 1, 0));

        // an older poll arriving late is not passed on; the switch answering again is
        poll(sw, true, swAt.minusSeconds(10), new DeviceState(new DeviceStatus("d-sw", "sw-1", true, true,
                swAt.minusSeconds(10), 3, 1, 0, null, null, null, 0, null), List.of(), List.of(), null));
        Instant later = swAt.plusSeconds(10);
        poll(sw, true, later, new DeviceState(new DeviceStatus("d-sw", "sw-1", true, true, later, 3, 2, 1, null, null,
                null, 0, null), List.of(), List.of(), null));
        await().atMost(WAIT).until(() -> nodeA.fromBus() >= 4 && count(onB, "poll", "deviceId", "d-sw") == 2);
        assertThat(onB.last("poll").path("at").asText()).isEqualTo(later.toString());
        assertThat(onNodeB.overview().kinds()).containsEntry("switch", new DashboardResource.KindCount(1, 0, 0));

        // a device removed on node A goes from node B's dashboards too, once
        nodeA.forgotten(ups);
        await().atMost(WAIT).until(() -> count(onB, "device-removed", "deviceId", "d-ups") == 1);
        assertThat(nodeB.latest("d-ups")).isEmpty();
        assertThat(count(onA, "device-removed", "deviceId", "d-ups")).isEqualTo(1);
        assertThat(nodeA.dropped()).isZero();
    }
}

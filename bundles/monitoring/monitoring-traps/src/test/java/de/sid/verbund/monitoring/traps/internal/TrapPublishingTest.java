package de.sid.verbund.monitoring.traps.internal;

import static de.sid.verbund.monitoring.traps.internal.Ber.varbind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.messaging.artemis.internal.ArtemisMessagingComponent;
import de.sid.verbund.messaging.artemis.internal.MessagingConfig;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.trap.TrapEvents;
import de.sid.verbund.testsupport.Configs;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trap events on a real embedded Artemis broker: they arrive on {@link TrapEvents#TOPIC} with the
 * {@link TrapEvents} payload; while the broker refuses (a stopped one) they wait in memory and are
 * published, in order, when it takes them again.
 */
class TrapPublishingTest {
    @TempDir
    Path dir;
    private ArtemisMessagingComponent broker;
    private Subscription subscription;
    private final List<DomainEvent> received = new CopyOnWriteArrayList<>();
    private volatile EventBus target;
    private final TrapFixture traps = new TrapFixture();

    @BeforeEach
    void start() {
        broker = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory",
                dir.resolve("broker").toString(), "tcp_port", 0));
        subscription = broker.subscribe(TrapEvents.TOPIC, "alarms.traps-test", received::add);
        target = broker;
        traps.community("public");
    }

    @AfterEach
    void stop() throws Exception {
        traps.close();
        subscription.close();
        deactivate(broker);
    }

    private static void deactivate(ArtemisMessagingComponent component) throws Exception {
        Method m = ArtemisMessagingComponent.class.getDeclaredMethod("deactivate");
        m.setAccessible(true);
        m.invoke(component);
    }

    private static byte[] linkDown(int ifIndex) {
        return Ber.v2Notification(0xA7, "public", ifIndex, 360_000, "1.3.6.1.6.3.1.1.5.3",
                varbind("1.3.6.1.2.1.2.2.1.1." + ifIndex, Ber.integer(ifIndex)),
                varbind("1.3.6.1.2.1.31.1.1.1.18." + ifIndex, Ber.octets("Uplink M\u00fcnchen")));
    }

    @Test
    void eventsArriveOnTheBusWithTheContractPayload() {
        Device sw = traps.device("sw-1", "127.0.0.1", "dc1");
        traps.start(Set.of(), Set.of(), 100, () -> target);

        traps.send(linkDown(4));

        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
        DomainEvent e = received.get(0);
        assertThat(e.type()).isEqualTo(TrapEvents.TYPE);
        assertThat(e.tenantId()).isNull();
        assertThat(e.eventId()).isEqualTo(traps.events().get(0).eventId());
        Map<String, Object> p = e.payload();
        assertThat(p).containsOnlyKeys(TrapEvents.TRAP, TrapEvents.TRAP_OID, TrapEvents.DEVICE_ID, TrapEvents.DEVICE,
                TrapEvents.SITE, TrapEvents.SOURCE, TrapEvents.AGENT_ADDRESS, TrapEvents.VERSION, TrapEvents.INFORM,
                TrapEvents.IF_INDEX, TrapEvents.VARBINDS, TrapEvents.UPTIME);
        assertThat(p).containsEntry(TrapEvents.TRAP, TrapEvents.LINK_DOWN)
                .containsEntry(TrapEvents.TRAP_OID, "1.3.6.1.6.3.1.1.5.3")
                .containsEntry(TrapEvents.DEVICE_ID, sw.id()).containsEntry(TrapEvents.DEVICE, "sw-1")
                .containsEntry(TrapEvents.SITE, "dc1").containsEntry(TrapEvents.AGENT_ADDRESS, "127.0.0.1")
                .containsEntry(TrapEvents.VERSION, "v2c").containsEntry(TrapEvents.INFORM, false)
                .containsEntry(TrapEvents.IF_INDEX, 4).containsEntry(TrapEvents.UPTIME, 360_000);
        assertThat((String) p.get(TrapEvents.SOURCE)).matches("127\\.0\\.0\\.1:\\d+");
        assertThat(TrapFixture.varbinds(e)).containsExactly(
                Map.of("oid", "1.3.6.1.2.1.2.2.1.1.4", "type", "Integer32", "value", "4"),
                Map.of("oid", "1.3.6.1.2.1.31.1.1.1.18.4", "type", "OctetString", "value", "Uplink München"));
        assertThat(traps.metrics().publishedCount()).isEqualTo(1);
    }

    @Test
    void eventsWaitWhileTheBrokerRefusesAndArriveInOrderWhenItIsBack() throws Exception {
        ArtemisMessagingComponent stopped = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class,
                "journal_directory", dir.resolve("stopped").toString(), "tcp_port", 0));
        deactivate(stopped);
        target = stopped;
        traps.start(Set.of(), Set.of(), 100, () -> target);

        for (int i = 1; i <= 3; i++) {
            traps.send(linkDown(i));
        }
        traps.awaitEvents(3);
        await().atMost(Duration.ofSeconds(10)).until(() -> traps.metrics().collect().stream()
                .anyMatch(s -> s.getMetadata().getName().equals("verbund_snmp_trap_events_queued")
                        && s.getDataPoints().get(0) instanceof io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot g
                        && g.getValue() == 3));
        assertThat(received).isEmpty();
        assertThat(traps.metrics().publishedCount()).isZero();

        target = broker;
        await().atMost(Duration.ofSeconds(60)).until(() -> received.size() == 3);
        assertThat(received).extracting(e -> e.payload().get(TrapEvents.IF_INDEX)).containsExactly(1, 2, 3);
        assertThat(traps.metrics().publishedCount()).isEqualTo(3);
        assertThat(traps.metrics().droppedCount(DropReason.QUEUE_FULL)).isZero();
    }
}

package de.sid.verbund.alarms.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.alarms.Alarm;
import de.sid.verbund.alarms.AlarmFilter;
import de.sid.verbund.alarms.AlarmState;
import de.sid.verbund.alarms.Severity;
import de.sid.verbund.alarms.SourceKind;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.outbox.internal.OutboxRelay;
import de.sid.verbund.monitoring.trap.TrapEvents;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trap events published on a real embedded Artemis bus (as the trap receiver publishes them,
 * {@link TrapEvents}) become alarms through the alarms component's durable subscription; the
 * store is H2.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TrapAlarmsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static Broker broker;

    @TempDir
    Path dir;
    JdbcDatabase db;
    OutboxRelay outbox;
    AlarmsComponent component;
    final String swId = UUID.randomUUID().toString();
    final String upsId = UUID.randomUUID().toString();

    @BeforeAll
    static void startBroker() {
        broker = Broker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void setUp() {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 10_000);
        outbox = new OutboxRelay(db, broker.bus(), 20);
        component = new AlarmsComponent(db, outbox, broker.bus(), Configs.of(AlarmsConfig.class, "trap_subscription",
                "alarms.traps-" + UUID.randomUUID()));
        await().atMost(WAIT).until(component::isReady);
    }

    @AfterEach
    void tearDown() {
        component.deactivate();
        outbox.close();
        db.close();
    }

    /** A trap event as the receiver publishes it. */
    static DomainEvent trap(String trap, String deviceId, String device, Integer ifIndex, List<Map<String, String>> varbinds) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(TrapEvents.TRAP, trap);
        p.put(TrapEvents.TRAP_OID, "1.3.6.1.6.3.1.1.5.3");
        p.put(TrapEvents.DEVICE_ID, deviceId);
        p.put(TrapEvents.DEVICE, device);
        p.put(TrapEvents.SITE, device == null ? null : "dc1");
        p.put(TrapEvents.SOURCE, "10.0.0.7:50123");
        p.put(TrapEvents.AGENT_ADDRESS, "10.0.0.7");
        p.put(TrapEvents.VERSION, "v2c");
        p.put(TrapEvents.INFORM, false);
        if (ifIndex != null) {
            p.put(TrapEvents.IF_INDEX, ifIndex);
        }
        p.put(TrapEvents.VARBINDS, varbinds);
        p.put(TrapEvents.UPTIME, 123456);
        return new DomainEvent(UUID.randomUUID(), TrapEvents.TYPE, Instant.now(), null, p);
    }

    private void publish(DomainEvent e) {
        broker.bus().publish(TrapEvents.TOPIC, e);
    }

    private Optional<Alarm> alarm(String type, String source) {
        return component.alarms(new AlarmFilter(null, null, source, type), 50, null).items().stream().findFirst();
    }

    private Alarm awaitAlarm(String type, String source, AlarmState state) {
        return await().atMost(WAIT).until(() -> alarm(type, source).filter(a -> a.state() == state).orElse(null),
                a -> a != null);
    }

    private Alarm awaitOpen(String keyEnd) {
        return await().atMost(WAIT).until(() -> component.alarms(AlarmFilter.OPEN, 50, null).items().stream()
                .filter(a -> a.key().endsWith(keyEnd)).findFirst().orElse(null), a -> a != null);
    }

    @Test
    void linkDownRaisesInterfaceDownPerIfIndexAndLinkUpClearsIt() {
        publish(trap(TrapEvents.LINK_DOWN, swId, "sw-1", 3, List.of(
                Map.of("oid", "1.3.6.1.2.1.2.2.1.1.3", "type", "Integer32", "value", "3"),
                Map.of("oid", "1.3.6.1.2.1.2.2.1.7.3", "type", "Integer32", "value", "1"),
                Map.of("oid", "1.3.6.1.2.1.2.2.1.8.3", "type", "Integer32", "value", "2"),
                Map.of("oid", "1.3.6.1.2.1.31.1.1.1.1.3", "type", "OctetString", "value", "Gi1/0/3"))));
        publish(trap(TrapEvents.LINK_DOWN, swId, "sw-1", 4, List.of(
                Map.of("oid", "1.3.6.1.2.1.2.2.1.7.4", "type", "Integer32", "value", "2"))));
        Alarm down = awaitOpen("ifIndex=3");
        Alarm shut = awaitOpen("ifIndex=4");
        publish(trap(TrapEvents.LINK_UP, swId, "sw-1", 3, List.of()));
        Alarm up = await().atMost(WAIT).until(() -> component.alarm(down.id()).orElseThrow(),
                a -> a.state() == AlarmState.CLEARED);

        assertThat(down.key()).isEqualTo("interfaceDown/" + swId + "/ifIndex=3");
        assertThat(down.severity()).isEqualTo(Severity.MAJOR);
        assertThat(down.sourceKind()).isEqualTo(SourceKind.DEVICE);
        assertThat(down.sourceId()).isEqualTo(swId);
        assertThat(down.site()).isEqualTo("dc1");
        assertThat(down.description()).isEqualTo("sw-1: interface 3 (Gi1/0/3) down");
        assertThat(shut.severity()).isEqualTo(Severity.WARNING);
        assertThat(shut.description()).isEqualTo("sw-1: interface 4 administratively shut down");
        assertThat(shut.state()).isEqualTo(AlarmState.ACTIVE);
        assertThat(up.clearedBy()).isEqualTo("trap");
        assertThat(up.clearReason()).startsWith("trap linkUp from 10.0.0.7:50123 (v2c, event ");
        assertThat(component.alarm(shut.id()).orElseThrow().state()).isEqualTo(AlarmState.ACTIVE);
    }

    @Test
    void upsTrapsRaiseCriticalAlarmsAndTheirClearingTrapsClearThem() {
        publish(trap(TrapEvents.UPS_ON_BATTERY, upsId, "ups-1", null, List.of(
                Map.of("oid", "1.3.6.1.2.1.33.1.2.3.0", "type", "Integer32", "value", "43"))));
        publish(trap(TrapEvents.UPS_BATTERY_LOW, upsId, "ups-1", null, List.of()));
        Alarm onBattery = awaitAlarm("upsOnBattery", "ups-1", AlarmState.ACTIVE);
        Alarm low = awaitAlarm("upsBatteryLow", "ups-1", AlarmState.ACTIVE);
        publish(trap(TrapEvents.UPS_BATTERY_LOW_CLEARED, upsId, "ups-1", null, List.of()));
        publish(trap(TrapEvents.UPS_ON_BATTERY_CLEARED, upsId, "ups-1", null, List.of()));
        awaitAlarm("upsOnBattery", "ups-1", AlarmState.CLEARED);
        awaitAlarm("upsBatteryLow", "ups-1", AlarmState.CLEARED);

        assertThat(onBattery.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(onBattery.description()).isEqualTo("ups-1: UPS on battery (43 min of battery left)");
        assertThat(onBattery.key()).isEqualTo("upsOnBattery/" + upsId);
        assertThat(low.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(onBattery.expiresAt()).isNull();
    }

    @Test
    void restartsAndAuthenticationFailuresAreWarningsThatExpireAndRawTrapsRaiseNothing() {
        publish(trap(TrapEvents.RAW, swId, "sw-1", null, List.of(Map.of("oid", "1.3.6.1.4.1.9.9.41.2.0.1", "type",
                "OctetString", "value", "%LINK-3-UPDOWN"))));
        publish(new DomainEvent(UUID.randomUUID(), "monitoring.device-polled", Instant.now(), null, Map.of("device", "sw-1")));
        publish(trap(TrapEvents.COLD_START, swId, "sw-1", null, List.of()));
        publish(trap(TrapEvents.WARM_START, swId, "sw-1", null, List.of()));
        publish(trap(TrapEvents.AUTHENTICATION_FAILURE, swId, "sw-1", null, List.of()));
        Alarm auth = awaitAlarm("authenticationFailure", "sw-1", AlarmState.ACTIVE);
        Alarm restarted = alarm("deviceRestarted", "sw-1").orElseThrow();

        // the events are consumed in order: the raw trap and the other event were handled before these
        assertThat(component.alarms(new AlarmFilter(null, null, "sw-1", null), 50, null).items())
                .extracting(Alarm::type).containsExactlyInAnyOrder("deviceRestarted", "authenticationFailure");
        assertThat(restarted.severity()).isEqualTo(Severity.WARNING);
        assertThat(restarted.count()).isEqualTo(2);
        assertThat(restarted.description()).isEqualTo("sw-1 restarted (warmStart)");
        assertThat(restarted.expiresAt()).isEqualTo(restarted.lastSeen().plus(Duration.ofDays(1)));
        assertThat(auth.severity()).isEqualTo(Severity.WARNING);
        assertThat(auth.expiresAt()).isNotNull();
    }

    @Test
    void aTrapFromAnUnknownAddressIsAttributedToItAndOneWithoutIfIndexIsIgnored() {
        publish(trap(TrapEvents.LINK_DOWN, null, null, null, List.of()));
        publish(trap(TrapEvents.LINK_DOWN, null, null, 12, List.of()));
        Alarm a = awaitAlarm("interfaceDown", "10.0.0.7", AlarmState.ACTIVE);

        assertThat(a.sourceId()).isNull();
        assertThat(a.sourceName()).isEqualTo("10.0.0.7");
        assertThat(a.site()).isNull();
        assertThat(a.key()).isEqualTo("interfaceDown/10.0.0.7/ifIndex=12");
        assertThat(component.alarms(AlarmFilter.ALL, 50, null).items()).hasSize(1);
    }

    @Test
    void openAlarmsAreExposedBySeverityAndState() throws Exception {
        publish(trap(TrapEvents.UPS_ON_BATTERY, upsId, "ups-1", null, List.of()));
        publish(trap(TrapEvents.LINK_DOWN, swId, "sw-1", 1, List.of()));
        publish(trap(TrapEvents.LINK_DOWN, swId, "sw-1", 2, List.of()));
        Alarm ups = awaitAlarm("upsOnBattery", "ups-1", AlarmState.ACTIVE);
        await().atMost(WAIT).until(() -> component.alarms(AlarmFilter.OPEN, 50, null).items().size() == 3);
        component.acknowledge(ups.id(), "olga", null);

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        new io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter(false).write(out, component.collect());
        String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(text).contains("# TYPE verbund_alarms_active gauge",
                "verbund_alarms_active{severity=\"critical\",state=\"acknowledged\"} 1.0",
                "verbund_alarms_active{severity=\"critical\",state=\"active\"} 0.0",
                "verbund_alarms_active{severity=\"major\",state=\"active\"} 2.0",
                "verbund_alarms_active{severity=\"indeterminate\",state=\"active\"} 0.0");
        assertThat(text.lines().filter(l -> l.startsWith("verbund_alarms_active{"))).hasSize(10);
    }

    @Test
    void aRedeliveredEventChangesNothing() {
        Alarms alarms = new Alarms(db, outbox, java.time.Clock.systemUTC());
        TrapAlarms handler = new TrapAlarms(alarms, Duration.ofHours(1));
        DomainEvent down = trap(TrapEvents.LINK_DOWN, swId, "sw-1", 5, List.of());
        DomainEvent anotherDown = trap(TrapEvents.LINK_DOWN, swId, "sw-1", 5, List.of());

        handler.handle(down);
        handler.handle(down);
        Alarm once = alarm("interfaceDown", "sw-1").orElseThrow();
        handler.handle(anotherDown);
        Alarm twice = alarm("interfaceDown", "sw-1").orElseThrow();

        assertThat(once.count()).isEqualTo(1);
        assertThat(twice.count()).isEqualTo(2);
        Map<String, Object> changed = new HashMap<>(down.payload());
        changed.put(TrapEvents.TRAP, TrapEvents.LINK_UP);
        handler.handle(new DomainEvent(down.eventId(), down.type(), down.occurredAt(), null, changed));
        assertThat(alarm("interfaceDown", "sw-1").orElseThrow().state()).isEqualTo(AlarmState.ACTIVE);
    }
}

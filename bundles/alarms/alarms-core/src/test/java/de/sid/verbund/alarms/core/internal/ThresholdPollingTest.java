package de.sid.verbund.alarms.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.alarms.Alarm;
import de.sid.verbund.alarms.AlarmFilter;
import de.sid.verbund.alarms.AlarmHistoryEntry;
import de.sid.verbund.alarms.AlarmState;
import de.sid.verbund.alarms.Severity;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.outbox.internal.OutboxRelay;
import de.sid.verbund.monitoring.core.internal.InventoryComponent;
import de.sid.verbund.monitoring.core.internal.InventoryConfig;
import de.sid.verbund.monitoring.core.internal.PollerComponent;
import de.sid.verbund.monitoring.core.internal.PollerConfig;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.inventory.PollObserver;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.snmp.internal.Snmp4jClient;
import de.sid.verbund.monitoring.snmpsim.DataDirectory;
import de.sid.verbund.monitoring.snmpsim.ReplayAgent;
import de.sid.verbund.monitoring.trap.TrapEvents;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.SharedData;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * The shipped threshold rules on the samples of the real device poller (monitoring-core, with
 * the profiles of {@code monitoring/profiles}), polling a recorded Eaton UPS served by the
 * replay agent over UDP: a copy of the recording says "on battery, 40 % charge"; the original
 * says "normal, 100 %"; no agent at all means unreachable. Alarms are stored on H2.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ThresholdPollingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Path PROFILES = Path.of("../../../monitoring/profiles").toAbsolutePath().normalize();
    private static final String UPS_RECORDING = "eaton-mgeups_5px.snmprec";
    private static Broker broker;

    @TempDir
    Path dir;
    JdbcDatabase db;
    OutboxRelay outbox;
    Alarms alarms;
    InventoryComponent inventory;
    Snmp4jClient snmp;
    PollerComponent poller;
    ThresholdComponent rules;
    ReplayAgent agent;
    Path onBattery;
    Path normal;
    int port;

    @BeforeAll
    static void startBroker() {
        broker = Broker.start();
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir.resolve("db")), "verbund", "", 8, 10_000);
        outbox = new OutboxRelay(db, broker.bus(), 20);
        alarms = new Alarms(db, outbox, Clock.systemUTC());
        String recorded = Files.readString(SharedData.data("snmprec").resolve(UPS_RECORDING));
        assertThat(recorded).contains("1.3.6.1.2.1.33.1.4.1.0|2|3\n", "1.3.6.1.2.1.33.1.2.4.0|2|100\n");
        normal = Files.createDirectories(dir.resolve("normal"));
        Files.writeString(normal.resolve("ups.snmprec"), recorded);
        onBattery = Files.createDirectories(dir.resolve("on-battery"));
        // upsOutputSource battery(5), upsEstimatedChargeRemaining 40 %
        Files.writeString(onBattery.resolve("ups.snmprec"), recorded.replace("1.3.6.1.2.1.33.1.4.1.0|2|3\n",
                "1.3.6.1.2.1.33.1.4.1.0|2|5\n").replace("1.3.6.1.2.1.33.1.2.4.0|2|100\n", "1.3.6.1.2.1.33.1.2.4.0|2|40\n"));
        agent = ReplayAgent.start(DataDirectory.load(onBattery).tables(), new InetSocketAddress(InetAddress.getLoopbackAddress(),
                0), 1);
        port = agent.address().getPort();

        inventory = new InventoryComponent(db, Configs.of(InventoryConfig.class, "credential_key_file",
                dir.resolve("etc/verbund-credentials.key").toString()));
        snmp = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2);
        poller = new PollerComponent(inventory, snmp, Configs.of(PollerConfig.class, "profiles_dir", PROFILES.toString(),
                "timeout_ms", 300, "retries", 0, "sync_interval_s", 3600));
        rules = new ThresholdComponent(alarms, Configs.of(AlarmsConfig.class, "rules_file",
                RuleEngineTest.SHIPPED.toAbsolutePath().normalize().toString()));
        Method add = PollerComponent.class.getDeclaredMethod("addObserver", PollObserver.class);
        add.setAccessible(true);
        add.invoke(poller, rules);
        await().atMost(WAIT).until(rules::isReady);
        await().atMost(WAIT).ignoreExceptions().until(() -> inventory.credentials() != null);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Object component : new Object[] {rules, poller, inventory}) {
            Method m = component.getClass().getDeclaredMethod("deactivate");
            m.setAccessible(true);
            m.invoke(component);
        }
        snmp.close();
        if (agent != null) {
            agent.close();
        }
        outbox.close();
        db.close();
    }

    private PollSummary poll(Device d) {
        return await().atMost(WAIT).ignoreExceptions().until(() -> poller.pollNow(d).toCompletableFuture()
                .get(10, TimeUnit.SECONDS), s -> true);
    }

    private void serve(Path data) throws IOException {
        if (agent != null) {
            agent.close();
        }
        agent = data == null ? null : ReplayAgent.start(DataDirectory.load(data).tables(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
    }

    private Optional<Alarm> alarm(String type) {
        return alarms.alarms(new AlarmFilter(null, null, "ups-1", type), 50, null).items().stream().findFirst();
    }

    private Alarm awaitState(String type, AlarmState state) {
        return await().atMost(WAIT).until(() -> alarm(type).filter(a -> a.state() == state).orElse(null), a -> a != null);
    }

    @Test
    void aUpsOnBatteryIsRaisedFromItsSamplesAndClearedWhenBackOnMainsAndAnUnreachableOneAfterThreePolls()
            throws Exception {
        Credential c = inventory.createCredential(new NewCredential("ups", "v2c", "ups", null, null, null, null, null));
        Device ups = inventory.createDevice(new NewDevice("ups-1", "127.0.0.1", port, "dc1", "ups", 60,
                List.of("system", "ups_mib"), c.id()));
        // the UPS's own trap came first: the rule's raise is a repeat of that alarm (same key)
        new TrapAlarms(alarms, Duration.ofHours(1)).handle(new DomainEvent(UUID.randomUUID(), TrapEvents.TYPE,
                Instant.now(), null, Map.of(TrapEvents.TRAP, TrapEvents.UPS_ON_BATTERY, TrapEvents.DEVICE_ID, ups.id(),
                TrapEvents.DEVICE, "ups-1", TrapEvents.SITE, "dc1", TrapEvents.SOURCE, "127.0.0.1:162")));
        Alarm fromTrap = alarm("upsOnBattery").orElseThrow();

        assertThat(poll(ups).up()).isTrue();
        Alarm low = awaitState("upsBatteryChargeLow", AlarmState.ACTIVE);
        Alarm onBatteryAlarm = await().atMost(WAIT).until(() -> alarm("upsOnBattery").orElseThrow(), a -> a.count() == 2);

        serve(null);
        for (int i = 0; i < 3; i++) {
            assertThat(poll(ups).up()).isFalse();
        }
        Alarm unreachable = awaitState("deviceUnreachable", AlarmState.ACTIVE);
        assertThat(alarm("upsOnBattery").orElseThrow().state()).isEqualTo(AlarmState.ACTIVE);

        serve(normal);
        assertThat(poll(ups).up()).isTrue();
        Alarm onMains = awaitState("upsOnBattery", AlarmState.CLEARED);
        Alarm charged = awaitState("upsBatteryChargeLow", AlarmState.CLEARED);
        Alarm reachable = awaitState("deviceUnreachable", AlarmState.CLEARED);

        assertThat(low.severity()).isEqualTo(Severity.MAJOR);
        assertThat(low.description()).isEqualTo("ups-1: UPS battery charge 40 % (below 50 %)");
        assertThat(low.sourceId()).isEqualTo(ups.id());
        assertThat(low.site()).isEqualTo("dc1");
        assertThat(onBatteryAlarm.id()).isEqualTo(fromTrap.id());
        assertThat(onBatteryAlarm.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(onBatteryAlarm.description()).isEqualTo("ups-1: UPS on battery (upsOutputSource battery)");
        assertThat(alarms.detail(onBatteryAlarm.id()).orElseThrow().history()).extracting(AlarmHistoryEntry::by)
                .containsExactly("trap", "rule:ups-on-battery", "rule:ups-on-battery");
        assertThat(unreachable.severity()).isEqualTo(Severity.MAJOR);
        assertThat(unreachable.description()).isEqualTo("ups-1 could not be polled (3 polls in a row; its status says why)");
        assertThat(onMains.clearedBy()).isEqualTo("rule:ups-on-battery");
        assertThat(charged.clearReason()).isEqualTo("back to 100 (rule ups-battery-charge-low)");
        assertThat(reachable.clearedBy()).isEqualTo("rule:device-unreachable");
        assertThat(alarms.openKeys()).isEmpty();
    }

    @Test
    void theOpenAlarmsOfADeletedDeviceAreClearedAndNoOtherDevicesAlarms() throws Exception {
        Credential c = inventory.createCredential(new NewCredential("ups", "v2c", "ups", null, null, null, null, null));
        Device ups = inventory.createDevice(new NewDevice("ups-1", "127.0.0.1", port, "dc1", "ups", 60,
                List.of("system", "ups_mib"), c.id()));
        TrapAlarms traps = new TrapAlarms(alarms, Duration.ofHours(1));
        // a trap alarm of the UPS, and one of another device that must stay
        traps.handle(new DomainEvent(UUID.randomUUID(), TrapEvents.TYPE, Instant.now(), null, Map.of(TrapEvents.TRAP,
                TrapEvents.LINK_DOWN, TrapEvents.DEVICE_ID, ups.id(), TrapEvents.DEVICE, "ups-1", TrapEvents.SITE, "dc1",
                TrapEvents.SOURCE, "127.0.0.1:162", TrapEvents.IF_INDEX, 1)));
        String otherId = UUID.randomUUID().toString();
        traps.handle(new DomainEvent(UUID.randomUUID(), TrapEvents.TYPE, Instant.now(), null, Map.of(TrapEvents.TRAP,
                TrapEvents.LINK_DOWN, TrapEvents.DEVICE_ID, otherId, TrapEvents.DEVICE, "sw-9", TrapEvents.SITE, "dc1",
                TrapEvents.SOURCE, "127.0.0.2:162", TrapEvents.IF_INDEX, 1)));
        assertThat(poll(ups).up()).isTrue();
        awaitState("upsBatteryChargeLow", AlarmState.ACTIVE);

        rules.forgotten(ups);

        Alarm low = awaitState("upsBatteryChargeLow", AlarmState.CLEARED);
        Alarm link = awaitState("interfaceDown", AlarmState.CLEARED);
        assertThat(low.clearReason()).isEqualTo("device ups-1 was deleted");
        assertThat(link.clearedBy()).isEqualTo("monitoring");
        assertThat(alarms.alarms(new AlarmFilter(AlarmFilter.OPEN.states(), null, otherId, null), 50, null).items())
                .singleElement().satisfies(a -> assertThat(a.sourceName()).isEqualTo("sw-9"));
        assertThat(alarms.alarms(new AlarmFilter(AlarmFilter.OPEN.states(), null, ups.id(), null), 50, null).items())
                .isEmpty();
    }
}

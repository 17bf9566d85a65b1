package de.sid.verbund.monitoring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.WalkEnd;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceState;
import de.sid.verbund.monitoring.inventory.DeviceState.InterfaceState;
import de.sid.verbund.monitoring.inventory.DeviceState.SensorState;
import de.sid.verbund.monitoring.inventory.DeviceState.UpsState;
import de.sid.verbund.monitoring.inventory.DeviceWalk;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.profile.ProfileLoader;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.snmp.internal.Snmp4jClient;
import de.sid.verbund.monitoring.snmpsim.DataDirectory;
import de.sid.verbund.monitoring.snmpsim.ReplayAgent;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What monitoring staff see of a device ({@link DevicePolling#state}) and the walk of a subtree
 * ({@link DevicePolling#walk}), over real UDP against the replay agent serving recorded devices: a
 * switch with interfaces and sensors (Arista 7150S), two UPS (Eaton 5PX, Riello). For rates the
 * agent is restarted on the same port with a later recording of the device: counters moved,
 * sysUpTime 60 s on.
 */
class DeviceStateTest {
    static final Path SNMPREC = de.sid.verbund.testsupport.SharedData.data("snmprec");
    static final List<String> FILES = List.of("arista_eos_vrf.snmprec", "eaton-mgeups_5px.snmprec",
            "netmanplus_204.snmprec", "procurve_2520.snmprec");

    @TempDir
    Path dir;
    JdbcDatabase db;
    Inventory inventory;
    ReplayAgent agent;
    InetSocketAddress listen;
    Snmp4jClient snmp;
    ScheduledExecutorService scheduler;
    DevicePolling polling;

    @BeforeEach
    void setUp() throws IOException {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir.resolve("db")), "verbund", "", 4, 10_000);
        db.migrate("monitoring", Inventory.class.getClassLoader());
        inventory = new Inventory(db);
        Path data = Files.createDirectories(dir.resolve("t0"));
        for (String f : FILES) {
            Files.copy(SNMPREC.resolve(f), data.resolve(f));
        }
        agent = ReplayAgent.start(DataDirectory.load(data).tables(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        listen = agent.address();
        snmp = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2);
        scheduler = Executors.newScheduledThreadPool(2);
        polling = new DevicePolling(inventory, snmp, new ProfileLoader().loadDirectory(PollingTest.PROFILES), scheduler, 4,
                Duration.ofMillis(500), 1);
    }

    @AfterEach
    void tearDown() {
        polling.close();
        scheduler.shutdownNow();
        snmp.close();
        agent.close();
        db.close();
    }

    private Device device(String name, String community, int port) {
        Credential c = inventory.credentials().stream().filter(x -> x.name().equals(community)).findFirst()
                .orElseGet(() -> inventory.createCredential(new NewCredential(community, "v2c", community, null, null,
                        null, null, null)));
        return inventory.createDevice(new NewDevice(name, "127.0.0.1", port, "dc1", "switch", 60, List.of(), c.id()));
    }

    private DeviceState poll(Device d) throws Exception {
        assertThat(polling.pollNow(d).toCompletableFuture().get(30, TimeUnit.SECONDS).up()).isTrue();
        return polling.state(d.id()).orElseThrow();
    }

    /** Serves a later recording of {@code file} on the same port: each OID in {@code changes} gets a new TYPE|VALUE. */
    private void laterRecording(String file, Map<String, String> changes) throws IOException {
        Path data = Files.createDirectories(dir.resolve("t1"));
        for (String f : FILES) {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(SNMPREC.resolve(f), StandardCharsets.ISO_8859_1)) {
                String oid = line.substring(0, Math.max(0, line.indexOf('|')));
                out.add(f.equals(file) && changes.containsKey(oid) ? oid + "|" + changes.get(oid) : line);
            }
            Files.write(data.resolve(f), out, StandardCharsets.ISO_8859_1);
        }
        agent.close();
        agent = ReplayAgent.start(DataDirectory.load(data).tables(), listen, 1);
    }

    private static InterfaceState ifIndex(DeviceState s, long i) {
        return s.interfaces().stream().filter(x -> x.ifIndex() == i).findFirst().orElseThrow();
    }

    @Test
    void aSwitchShowsItsInterfacesAndAfterTheSecondPollTheirRates() throws Exception {
        Device sw = device("arista-1", "arista_eos_vrf", listen.getPort());

        DeviceState first = poll(sw);

        assertThat(first.status().up()).isTrue();
        assertThat(first.status().sysDescr()).startsWith("Arista Networks EOS version 4.20.12.1M");
        assertThat(first.status().uptimeSeconds()).isEqualTo(493838);
        assertThat(first.interfaces()).hasSize(29).extracting(InterfaceState::ifIndex).isSorted();
        InterfaceState e1 = ifIndex(first, 1);
        assertThat(e1).extracting(InterfaceState::ifName, InterfaceState::ifDescr, InterfaceState::ifAlias,
                InterfaceState::ifType, InterfaceState::physAddress, InterfaceState::adminStatus, InterfaceState::operStatus)
                .containsExactly("Ethernet1", "Ethernet1", "trunk to switchname2", "ethernetCsmacd", "00:1c:73:b3:bd:72",
                        "up", "up");
        // no ifSpeed in this recording: ifHighSpeed 1000 (Mbit/s)
        assertThat(e1.speedBitsPerSecond()).isEqualTo(1_000_000_000L);
        assertThat(e1.inOctetsPerSecond()).isNull();
        assertThat(e1.inUtilizationPercent()).isNull();
        assertThat(first.ups()).isNull();

        // 60 s later: 7,500,000 octets in, 750,000 out, 60 input errors, 6 output discards more on Ethernet1
        laterRecording("arista_eos_vrf.snmprec", Map.of(
                "1.3.6.1.2.1.1.3.0", "67|" + (49383892 + 6000),
                "1.3.6.1.2.1.31.1.1.1.6.1", "70|" + (6576944 + 7_500_000),
                "1.3.6.1.2.1.31.1.1.1.10.1", "70|" + (5488273 + 750_000),
                "1.3.6.1.2.1.2.2.1.14.1", "65|60",
                "1.3.6.1.2.1.2.2.1.19.1", "65|6"));
        DeviceState second = poll(sw);

        InterfaceState r = ifIndex(second, 1);
        assertThat(r.inOctetsPerSecond()).isCloseTo(125_000.0, within(1e-9));
        assertThat(r.outOctetsPerSecond()).isCloseTo(12_500.0, within(1e-9));
        assertThat(r.inUtilizationPercent()).isCloseTo(0.1, within(1e-9));
        assertThat(r.outUtilizationPercent()).isCloseTo(0.01, within(1e-9));
        assertThat(r.inErrorsPerSecond()).isCloseTo(1.0, within(1e-9));
        assertThat(r.outDiscardsPerSecond()).isCloseTo(0.1, within(1e-9));
        assertThat(r.outErrorsPerSecond()).isZero();
        assertThat(ifIndex(second, 2).operStatus()).isEqualTo("down");
        assertThat(ifIndex(second, 2).inOctetsPerSecond()).isZero();
    }

    @Test
    void sensorsHaveScaleAndPrecisionAppliedWithTheirUnitAndStatus() throws Exception {
        DeviceState s = poll(device("arista-1", "arista_eos_vrf", listen.getPort()));
        DeviceState hp = poll(device("procurve-1", "procurve_2520", listen.getPort()));

        // entPhySensorType celsius(8), scale units(9), precision 1, value 418
        SensorState cpu = s.sensors().stream().filter(x -> x.entPhysicalIndex() == 100006001).findFirst().orElseThrow();
        assertThat(cpu).extracting(SensorState::description, SensorState::type, SensorState::value, SensorState::unit,
                SensorState::status).containsExactly("Cpu temp sensor", "celsius", 41.8, "°C", "ok");
        assertThat(s.sensors()).extracting(SensorState::type).contains("voltsDC");
        assertThat(s.sensors()).filteredOn(x -> "voltsDC".equals(x.type())).allMatch(x -> "V".equals(x.unit()));
        assertThat(s.sensors()).hasSize(60);
        SensorState chassis = hp.sensors().stream().filter(x -> x.entPhysicalIndex() == 25).findFirst().orElseThrow();
        assertThat(chassis).extracting(SensorState::name, SensorState::value, SensorState::unit)
                .containsExactly("Chassis Temperature", 20.0, "°C");
        assertThat(hp.interfaces()).hasSize(44);
        assertThat(hp.ups()).isNull();
    }

    @Test
    void aUpsShowsBatteryLinesAndWhetherItRunsOnBattery() throws Exception {
        Device eaton = device("ups-eaton", "eaton-mgeups_5px", listen.getPort());
        Device riello = device("ups-riello", "netmanplus_204", listen.getPort());

        UpsState e = poll(eaton).ups();
        UpsState r = poll(riello).ups();

        assertThat(e).extracting(UpsState::manufacturer, UpsState::batteryStatus, UpsState::chargePercent,
                UpsState::runtimeSeconds, UpsState::secondsOnBattery, UpsState::batteryVoltageVolts, UpsState::outputSource,
                UpsState::onBattery, UpsState::loadPercent, UpsState::outputFrequencyHertz)
                .containsExactly("EATON", "batteryNormal", 100.0, 2580.0, 0.0, 81.0, "normal", false, 59.0, 50.0);
        assertThat(e.input()).singleElement().extracting(UpsState.Line::line, UpsState.Line::voltageVolts,
                UpsState.Line::frequencyHertz).containsExactly(1L, 229.0, 50.0);
        assertThat(e.output()).singleElement().extracting(UpsState.Line::voltageVolts, UpsState.Line::currentAmperes,
                UpsState.Line::powerWatts, UpsState.Line::loadPercent).containsExactly(229.0, 7.8, 1593.0, 59.0);
        assertThat(r).extracting(UpsState::manufacturer, UpsState::chargePercent, UpsState::runtimeSeconds,
                UpsState::batteryVoltageVolts, UpsState::batteryTemperatureCelsius, UpsState::loadPercent)
                .containsExactly("RPS SpA", 100.0, 8100.0, 122.5, 37.0, 8.0);
        assertThat(r.input()).hasSize(3);
        assertThat(r.output()).extracting(UpsState.Line::voltageVolts).containsExactly(231.0, 0.0, 0.0);

        // the mains fail: output from battery for 2 minutes, battery low
        laterRecording("eaton-mgeups_5px.snmprec", Map.of("1.3.6.1.2.1.33.1.4.1.0", "2|5",
                "1.3.6.1.2.1.33.1.2.2.0", "2|120", "1.3.6.1.2.1.33.1.2.1.0", "2|3", "1.3.6.1.2.1.33.1.2.4.0", "2|35"));
        UpsState onBattery = poll(eaton).ups();

        assertThat(onBattery).extracting(UpsState::outputSource, UpsState::onBattery, UpsState::secondsOnBattery,
                UpsState::batteryStatus, UpsState::chargePercent).containsExactly("battery", true, 120.0, "batteryLow", 35.0);
    }

    @Test
    void beforeItsFirstPollAndWhileItDoesNotAnswerADeviceHasOnlyItsStatus() throws Exception {
        Device sw = device("arista-1", "arista_eos_vrf", listen.getPort());
        Device dead = device("dead-1", "arista_eos_vrf", Ports.freeUdpPort());

        assertThat(polling.state(sw.id())).isEmpty();
        polling.pollNow(dead).toCompletableFuture().get(30, TimeUnit.SECONDS);
        DeviceState s = polling.state(dead.id()).orElseThrow();

        assertThat(s.status().up()).isFalse();
        assertThat(s.status().polled()).isTrue();
        assertThat(s.interfaces()).isEmpty();
        assertThat(s.sensors()).isEmpty();
        assertThat(s.ups()).isNull();
    }

    @Test
    void aWalkReturnsRowsRenderedSafelyAndStopsAtItsLimit() throws Exception {
        Device sw = device("procurve-1", "procurve_2520", listen.getPort());

        DeviceWalk descr = polling.walk(sw, Oid.parse("1.3.6.1.2.1.2.2.1.2"), 1000).toCompletableFuture().get(30,
                TimeUnit.SECONDS);
        DeviceWalk mac = polling.walk(sw, Oid.parse("1.3.6.1.2.1.2.2.1.6"), 5).toCompletableFuture().get(30,
                TimeUnit.SECONDS);
        DeviceWalk system = polling.walk(sw, Oid.parse("1.3.6.1.2.1.1"), 1000).toCompletableFuture().get(30,
                TimeUnit.SECONDS);

        assertThat(descr.rows()).hasSize(44);
        assertThat(descr.truncated()).isFalse();
        assertThat(descr.partial()).isFalse();
        assertThat(descr.end()).isIn(WalkEnd.END_OF_SUBTREE, WalkEnd.END_OF_MIB_VIEW);
        assertThat(descr.rows().get(0)).isEqualTo(new DeviceWalk.Row("1.3.6.1.2.1.2.2.1.2.1", "OctetString", "1", false));
        // the limit: 5 rows, and the walk says there are more
        assertThat(mac.rows()).hasSize(5).allSatisfy(r -> {
            assertThat(r.type()).isEqualTo("OctetString");
            assertThat(r.hex()).isTrue();
            assertThat(r.value()).matches("0x[0-9A-F]{12}");
        });
        assertThat(mac.truncated()).isTrue();
        assertThat(mac.partial()).isTrue();
        assertThat(mac.requests()).isLessThanOrEqualTo(2);
        assertThat(system.rows()).extracting(DeviceWalk.Row::type).contains("ObjectIdentifier", "TimeTicks", "OctetString");
        assertThat(system.rows()).filteredOn(r -> r.oid().equals("1.3.6.1.2.1.1.3.0")).singleElement()
                .extracting(DeviceWalk.Row::value).isEqualTo("1084104545");
    }

    @Test
    void aWalkOfADeviceThatDoesNotAnswerEndsWithATimeoutAndABadLimitIsRefused() throws Exception {
        Device dead = device("dead-1", "procurve_2520", Ports.freeUdpPort());

        DeviceWalk w = polling.walk(dead, Oid.parse("1.3.6.1.2.1.1"), 10).toCompletableFuture().get(30, TimeUnit.SECONDS);
        ExecutionException bad = catchThrowableOfType(() -> polling.walk(dead, Oid.parse("1.3.6.1.2.1.1"), 0)
                .toCompletableFuture().get(), ExecutionException.class);

        assertThat(w.end()).isEqualTo(WalkEnd.TIMEOUT);
        assertThat(w.partial()).isTrue();
        assertThat(w.rows()).isEmpty();
        assertThat(w.detail()).isNotBlank();
        assertThat(((ProblemException) bad.getCause()).type()).isEqualTo(ProblemType.BAD_REQUEST);
    }
}

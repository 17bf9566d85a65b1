package de.sid.verbund.monitoring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.testsupport.Snmpsimd;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceState;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.profile.ProfileLoader;
import de.sid.verbund.monitoring.smi.OctetStrings;
import de.sid.verbund.monitoring.snmp.internal.Snmp4jClient;
import de.sid.verbund.monitoring.snmpsim.DataDirectory;
import de.sid.verbund.monitoring.snmpsim.RecordTable;
import de.sid.verbund.monitoring.snmpsim.SnmprecProblem;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Every recording in {@code shared/data/snmprec} polled through Debian's {@code snmpsimd} by the
 * real poller (SNMP4J client, the profiles of {@code monitoring/profiles}, the inventory on H2),
 * and what the poller shows checked against the file, read with the replay agent's
 * {@code .snmprec} parser: the poll answered without a problem, one interface per ifIndex of the
 * ifTable, sysDescr as recorded, the UPS battery charge, and every ENTITY-SENSOR-MIB value with
 * entPhySensorScale and entPhySensorPrecision applied (RFC 3433, computed here independently of
 * the profile).
 *
 * <p>snmpsimd dies when a request reaches a line whose OID is not numeric (the anonymised
 * {@code 10.xx.xx.100} rows of {@code windows_svr_2019_1809}), so it serves a copy without the
 * lines the parser cannot serve either; every file is polled. Two snmpsimd processes share the
 * devices (snmpsimd is single-threaded Python).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class RecordedDevicesSnmpsimdTest {
    private static final Logger LOG = LoggerFactory.getLogger(RecordedDevicesSnmpsimdTest.class);
    private static final int SNMPSIMD_PROCESSES = 2;
    private static final OID IF_ENTRY = new OID("1.3.6.1.2.1.2.2.1");
    private static final OID SYS_DESCR = new OID("1.3.6.1.2.1.1.1.0");
    private static final OID UPS_CHARGE = new OID("1.3.6.1.2.1.33.1.2.4.0");
    private static final OID SENSOR_TYPE = new OID("1.3.6.1.2.1.99.1.1.1.1");
    private static final OID SENSOR_SCALE = new OID("1.3.6.1.2.1.99.1.1.1.2");
    private static final OID SENSOR_PRECISION = new OID("1.3.6.1.2.1.99.1.1.1.3");
    private static final OID SENSOR_VALUE = new OID("1.3.6.1.2.1.99.1.1.1.4");
    /**
     * RFC 3433 EntitySensorDataScale: yocto(1) 10^-24 … units(9) … tera(13) 10^12, exa(14) 10^18,
     * peta(15) 10^15, zetta(16) 10^21, yotta(17) 10^24 (the MIB lists exa before peta).
     */
    private static final Map<Integer, Integer> SCALE_EXPONENT = Map.ofEntries(Map.entry(1, -24), Map.entry(2, -21),
            Map.entry(3, -18), Map.entry(4, -15), Map.entry(5, -12), Map.entry(6, -9), Map.entry(7, -6), Map.entry(8, -3),
            Map.entry(9, 0), Map.entry(10, 3), Map.entry(11, 6), Map.entry(12, 9), Map.entry(13, 12), Map.entry(14, 18),
            Map.entry(15, 15), Map.entry(16, 21), Map.entry(17, 24));

    @TempDir
    static Path tmp;

    private static DataDirectory data;
    private static Snmpsimd snmpsimd;
    private static final List<Integer> ports = new ArrayList<>();
    private static JdbcDatabase db;
    private static Snmp4jClient snmp;
    private static ScheduledExecutorService scheduler;
    private static long startedMs;

    @BeforeAll
    static void start() throws Exception {
        long t0 = System.nanoTime();
        Path shared = de.sid.verbund.testsupport.SharedData.data("snmprec");
        Path ours = Files.createDirectories(tmp.resolve("recordings"));
        Path theirs = Files.createDirectories(tmp.resolve("snmpsimd"));
        try (Stream<Path> files = Files.list(shared)) {
            for (Path f : files.filter(p -> p.toString().endsWith(DataDirectory.EXTENSION)).toList()) {
                Files.copy(f, ours.resolve(f.getFileName()));
            }
        }
        data = DataDirectory.load(ours);
        Map<Path, Set<Integer>> unservable = data.problems().stream().collect(Collectors.groupingBy(
                p -> p.file().getFileName(), Collectors.mapping(SnmprecProblem::line, Collectors.toSet())));
        Snmpsimd.copyWithout(ours, theirs, unservable);
        LOG.info("{} recordings; lines snmpsimd cannot serve, left out of its copy: {}", data.tables().size(),
                data.problems());

        snmpsimd = Snmpsimd.start(theirs, tmp, SNMPSIMD_PROCESSES);
        ports.addAll(snmpsimd.ports());
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(tmp.resolve("db")), "verbund", "", 4, 10_000);
        db.migrate("monitoring", Inventory.class.getClassLoader());
        snmp = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2);
        scheduler = Executors.newScheduledThreadPool(2);
        startedMs = (System.nanoTime() - t0) / 1_000_000;
    }

    @AfterAll
    static void stop() throws Exception {
        if (snmpsimd != null) {
            snmpsimd.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (snmp != null) {
            snmp.close();
        }
        if (db != null) {
            db.close();
        }
    }

    /** What the file says the poller must show. */
    record Expected(int interfaces, String sysDescr, Integer upsCharge, Map<Long, Double> sensors) {
        static Expected of(RecordTable t) {
            Set<Long> ifIndexes = new TreeSet<>();
            Map<OID, Variable> byOid = new TreeMap<>();
            for (VariableBinding vb : t.bindings()) {
                byOid.put(vb.getOid(), vb.getVariable());
                OID o = vb.getOid();
                if (o.startsWith(IF_ENTRY) && o.size() == IF_ENTRY.size() + 2) {
                    ifIndexes.add(o.getUnsigned(IF_ENTRY.size() + 1));
                }
            }
            Variable descr = byOid.get(SYS_DESCR);
            Variable charge = byOid.get(UPS_CHARGE);
            Map<Long, Double> sensors = new TreeMap<>();
            byOid.forEach((o, v) -> {
                if (o.startsWith(SENSOR_VALUE) && o.size() == SENSOR_VALUE.size() + 1 && v instanceof Integer32 value) {
                    long index = o.getUnsigned(SENSOR_VALUE.size());
                    OID suffix = o.getSuffix(SENSOR_VALUE);
                    Variable scale = byOid.get(new OID(SENSOR_SCALE).append(suffix));
                    Variable precision = byOid.get(new OID(SENSOR_PRECISION).append(suffix));
                    if (scale instanceof Integer32 s && precision instanceof Integer32 p
                            && SCALE_EXPONENT.containsKey(s.getValue())
                            && byOid.containsKey(new OID(SENSOR_TYPE).append(suffix))) {
                        sensors.put(index, new java.math.BigDecimal(value.getValue())
                                .scaleByPowerOfTen(SCALE_EXPONENT.get(s.getValue()) - p.getValue()).doubleValue());
                    }
                }
            });
            return new Expected(ifIndexes.size(), descr instanceof OctetString s ? OctetStrings.displayString(s.getValue())
                    : null, charge instanceof Integer32 c ? c.getValue() : null, sensors);
        }
    }

    @Test
    void everyRecordingIsPolledWithoutAnErrorAndShowsWhatTheFileHolds() throws Exception {
        long t0 = System.nanoTime();
        Inventory inventory = new Inventory(db);
        DevicePolling polling = new DevicePolling(inventory, snmp, new ProfileLoader().loadDirectory(PollingTest.PROFILES),
                scheduler, 2 * SNMPSIMD_PROCESSES, Duration.ofSeconds(5), 1);
        Map<String, Device> devices = new LinkedHashMap<>();
        int i = 0;
        for (String community : data.tables().keySet()) {
            Credential c = inventory.createCredential(new NewCredential(community, "v2c", community, null, null, null, null,
                    null));
            int port = ports.get(i++ % SNMPSIMD_PROCESSES);
            devices.put(community, inventory.createDevice(new NewDevice(community, "127.0.0.1", port, "lab", "server", 60,
                    List.of(), c.id())));
        }
        awaitSnmpsimd(polling, devices.get("netmanplus_204"), ports);

        long polled = System.nanoTime();
        Map<String, CompletableFuture<PollSummary>> polls = new LinkedHashMap<>();
        devices.forEach((name, d) -> polls.put(name, polling.pollNow(d).toCompletableFuture()));
        long varbinds = 0;
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<PollSummary>> e : polls.entrySet()) {
            PollSummary s = e.getValue().get(240, TimeUnit.SECONDS);
            varbinds += s.varbinds();
            Device d = devices.get(e.getKey());
            DeviceState state = polling.state(d.id()).orElseThrow();
            Expected want = Expected.of(data.tables().get(e.getKey()));
            check(e.getKey(), s, state, want, failures);
            LOG.info("{}: {} ms, {} requests, {} varbinds, {} samples; {} interfaces, {} sensors, UPS charge {}", e.getKey(),
                    s.durationMs(), s.requests(), s.varbinds(), s.samples(), state.interfaces().size(),
                    state.sensors().size(), state.ups() == null ? "-" : state.ups().chargePercent());
        }
        long pollMs = (System.nanoTime() - polled) / 1_000_000;
        LOG.info("{} recordings polled through {} snmpsimd in {} ms ({} varbinds, {} varbinds/s); snmpsimd start and "
                + "first answer {} ms, whole test {} ms", devices.size(), SNMPSIMD_PROCESSES, pollMs, varbinds,
                pollMs == 0 ? 0 : varbinds * 1000 / pollMs, startedMs + (polled - t0) / 1_000_000,
                startedMs + (System.nanoTime() - t0) / 1_000_000);
        assertThat(failures).as("%d recordings differ from the poller's view:%n%s", failures.size(),
                String.join("\n", failures)).isEmpty();
        assertThat(devices).hasSize(25);
        for (int n = 0; n < SNMPSIMD_PROCESSES; n++) {
            assertThat(snmpsimd.isAlive(n)).as("snmpsimd still running").isTrue();
        }
    }

    private static void check(String name, PollSummary s, DeviceState state, Expected want, List<String> failures) {
        List<String> wrong = new ArrayList<>();
        if (!s.up() || s.problem() != null) {
            wrong.add("poll: up " + s.up() + ", problem " + s.problem());
        }
        if (state.interfaces().size() != want.interfaces()) {
            wrong.add("interfaces: " + state.interfaces().size() + ", file has " + want.interfaces() + " ifIndex rows");
        }
        if (!java.util.Objects.equals(state.status().sysDescr(), want.sysDescr())) {
            wrong.add("sysDescr '" + state.status().sysDescr() + "', file has '" + want.sysDescr() + "'");
        }
        Double charge = state.ups() == null ? null : state.ups().chargePercent();
        if (!java.util.Objects.equals(charge, want.upsCharge() == null ? null : want.upsCharge().doubleValue())) {
            wrong.add("UPS charge " + charge + ", file has " + want.upsCharge());
        }
        Map<Long, Double> sensors = new TreeMap<>();
        state.sensors().stream().filter(x -> x.value() != null).forEach(x -> sensors.put(x.entPhysicalIndex(), x.value()));
        if (!sensors.equals(want.sensors())) {
            wrong.add("sensor values " + sensors + ", file has " + want.sensors());
        }
        if (!wrong.isEmpty()) {
            failures.add(name + ": " + String.join("; ", wrong));
        }
    }

    /** snmpsimd indexes its data files before it answers: poll until each process answers, within 60 s. */
    private static void awaitSnmpsimd(DevicePolling polling, Device probe, List<Integer> ports) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int port : ports) {
            Device d = new Device(probe.id(), probe.name(), probe.address(), port, probe.site(), probe.kind(),
                    probe.pollIntervalS(), List.of("system"), probe.credentialId(), probe.createdAt());
            while (!polling.pollNow(d).toCompletableFuture().get(60, TimeUnit.SECONDS).up()) {
                for (int i = 0; i < SNMPSIMD_PROCESSES; i++) {
                    assertThat(snmpsimd.isAlive(i)).as("snmpsimd is running (log: %s)", snmpsimd.log(i)).isTrue();
                }
                assertThat(System.nanoTime()).as("snmpsimd answers within 60 s").isLessThan(deadline);
            }
        }
    }
}

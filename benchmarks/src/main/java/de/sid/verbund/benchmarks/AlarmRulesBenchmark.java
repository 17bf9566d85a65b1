package de.sid.verbund.benchmarks;

import de.sid.verbund.alarms.core.internal.Alarms;
import de.sid.verbund.alarms.core.internal.AlarmsConfig;
import de.sid.verbund.alarms.core.internal.ThresholdComponent;
import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the threshold rules cost the device poller per poll: the shipped rules
 * ({@code monitoring/alarm-rules.yaml}, run from the project directory) evaluated by the alarms
 * area's poll observer on the poll of a switch with {@code interfaces} interfaces (24 samples per
 * interface, as the IF-MIB profile gives: counters, rates, speed, status; plus
 * {@code verbund_device_up}), all below their thresholds, so no alarm is written and the figure
 * is the evaluation on the poller's thread alone. Divide by the samples per poll for the cost per
 * sample.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AlarmRulesBenchmark {
    private static final String[] PER_INTERFACE = {"ifHCInOctets", "ifHCOutOctets", "ifHCInUcastPkts", "ifHCOutUcastPkts",
        "ifHCInMulticastPkts", "ifHCOutMulticastPkts", "ifHCInBroadcastPkts", "ifHCOutBroadcastPkts", "ifInDiscards",
        "ifOutDiscards", "ifInErrors", "ifOutErrors", "ifMtu", "ifSpeed", "ifLastChange", "ifAdminStatus",
        "ifOperStatus", "verbund_if_in_errors_per_second", "verbund_if_out_errors_per_second",
        "verbund_if_in_unicast_packets_per_second", "verbund_if_out_unicast_packets_per_second"};

    @Param({"48", "500"})
    public int interfaces;

    private Path dir;
    private JdbcDatabase db;
    private ThresholdComponent rules;
    private Device device;
    private List<MetricSample> samples;
    private long poll;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("alarm-rules-bench");
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 10_000);
        Alarms alarms = new Alarms(db, (c, topic, event) -> { }, Clock.systemUTC());
        Path file = Path.of("monitoring/alarm-rules.yaml").toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("run from the project directory: no " + file);
        }
        rules = new ThresholdComponent(alarms, Configs.of(AlarmsConfig.class, "rules_file", file.toString()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!rules.isReady()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("rules not ready");
            }
            Thread.sleep(50);
        }
        device = new Device(UUID.randomUUID().toString(), "sw-bench", "127.0.0.1", 161, "dc1", DeviceKind.SWITCH, 60,
                List.of(), UUID.randomUUID().toString(), Instant.now());
        samples = new ArrayList<>();
        for (int i = 1; i <= interfaces; i++) {
            Map<String, String> labels = new LinkedHashMap<>();
            labels.put("ifIndex", Integer.toString(i));
            labels.put("ifAlias", "uplink to rack " + i);
            labels.put("ifDescr", "GigabitEthernet1/0/" + i);
            labels.put("ifName", "Gi1/0/" + i);
            labels.put("device", "sw-bench");
            labels.put("site", "dc1");
            for (String name : PER_INTERFACE) {
                samples.add(new MetricSample(name, MetricSample.Kind.GAUGE, "help", labels, i * 1000.0));
            }
            samples.add(new MetricSample("verbund_if_in_octets_per_second", MetricSample.Kind.GAUGE, "help", labels, 1.25e6));
            samples.add(new MetricSample("verbund_if_out_octets_per_second", MetricSample.Kind.GAUGE, "help", labels, 2.5e6));
            samples.add(new MetricSample("ifHighSpeed", MetricSample.Kind.GAUGE, "help", labels, 1000));
        }
        samples.add(new MetricSample("verbund_device_up", MetricSample.Kind.GAUGE, "help",
                Map.of("device", "sw-bench", "site", "dc1"), 1));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        rules.deactivate();
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** One poll's samples through the rules (all instances known after the first iterations). */
    @Benchmark
    public void pollOfOneSwitch() {
        poll++;
        Instant at = Instant.EPOCH.plusSeconds(60 * poll);
        rules.polled(device, new PollSummary(device.id(), device.name(), true, at, 100, 10, samples.size(), samples.size(),
                null), samples);
    }
}

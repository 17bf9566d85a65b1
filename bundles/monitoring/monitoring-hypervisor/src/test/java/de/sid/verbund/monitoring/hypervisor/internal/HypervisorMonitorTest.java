package de.sid.verbund.monitoring.hypervisor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.HostStatsSource.HostReading;
import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.compute.spi.HostStats;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.PollObserver;
import de.sid.verbund.testsupport.Configs;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitor reading real hosts: libvirt's test driver through the real libvirt provider. */
class HypervisorMonitorTest {
    LibvirtProvider provider;
    HypervisorConnection connection;
    final Host kvm1 = host("b6f0a6a2-1111-4c55-9d0e-1b8e6f0a7c11", "kvm-1", "test:///default");
    final Host kvm2 = host("b6f0a6a2-2222-4c55-9d0e-1b8e6f0a7c11", "kvm-2", "qemu+ssh://root@kvm-2.dc1/system");
    final List<Map.Entry<Device, List<MetricSample>>> observed = new CopyOnWriteArrayList<>();
    final List<PollObserver> observers = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        provider = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
        connection = provider.connect("test:///default");
        observers.add((d, summary, samples) -> observed.add(Map.entry(d, samples)));
    }

    @AfterEach
    void tearDown() {
        connection.close();
    }

    static Host host(String id, String name, String uri) {
        return new Host(id, name, uri, "dc1", 16, 65536, 1000, BigDecimal.valueOf(4), BigDecimal.ONE, 4096,
                HostState.ENABLED, Instant.parse("2026-01-01T00:00:00Z"));
    }

    /** kvm-1 read from libvirt, kvm-2 not connected. */
    private Supplier<List<HostReading>> readings() {
        return () -> List.of(new HostReading(kvm1, connection.stats(), null),
                new HostReading(kvm2, null, "host kvm-2 is not connected"));
    }

    private static double value(List<MetricSample> samples, String name, String... labelPairs) {
        return samples.stream().filter(m -> m.name().equals(name)).filter(m -> {
            for (int i = 0; i < labelPairs.length; i += 2) {
                if (!labelPairs[i + 1].equals(m.label(labelPairs[i]))) {
                    return false;
                }
            }
            return true;
        }).findFirst().orElseThrow(() -> new AssertionError("no " + name + " in " + samples)).value();
    }

    @Test
    void hostsArePolledLikeDevicesWithTheirLoadAndTheObserversAreTold() throws Exception {
        Supplier<List<HostReading>> source = readings();
        HypervisorMonitor monitor = new HypervisorMonitor(source::get, observers, Duration.ofSeconds(60));
        HostStats direct = connection.stats();

        monitor.poll();
        List<MetricSample> first = monitor.samples(kvm1.id());
        Thread.sleep(50);
        monitor.poll();
        List<MetricSample> second = monitor.samples(kvm1.id());

        assertThat(value(first, "verbund_hypervisor_up")).isEqualTo(1.0);
        assertThat(value(first, "verbund_hypervisor_cpus")).isEqualTo(direct.cpus());
        assertThat(value(first, "verbund_hypervisor_memory_bytes")).isEqualTo(direct.memoryBytes());
        assertThat(value(first, "verbund_hypervisor_memory_free_bytes")).isPositive();
        assertThat(value(first, "verbund_hypervisor_memory_used_ratio")).isBetween(0.0, 1.0);
        // test:///default has one running domain, "test", and no inactive one
        assertThat(value(first, "verbund_hypervisor_domains", "state", "running")).isEqualTo(1.0);
        assertThat(value(first, "verbund_hypervisor_domains", "state", "inactive")).isEqualTo(0.0);
        // a rate needs two readings
        assertThat(first).extracting(MetricSample::name).doesNotContain("verbund_hypervisor_guest_cpu_ratio");
        // the test driver's guest CPU time follows the wall clock: one busy guest on `cpus` CPUs
        assertThat(value(second, "verbund_hypervisor_guest_cpu_ratio")).isCloseTo(1.0 / direct.cpus(),
                within(0.5 / direct.cpus()));

        assertThat(monitor.samples(kvm2.id())).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("verbund_hypervisor_up");
            assertThat(m.value()).isZero();
        });
        assertThat(observed).hasSize(4);
        Map.Entry<Device, List<MetricSample>> kvm1Seen = observed.get(2);
        assertThat(kvm1Seen.getKey()).satisfies(d -> {
            assertThat(d.id()).isEqualTo(kvm1.id());
            assertThat(d.name()).isEqualTo("kvm-1");
            assertThat(d.kind()).isEqualTo(DeviceKind.SERVER);
            assertThat(d.site()).isEqualTo("dc1");
            assertThat(d.pollIntervalS()).isEqualTo(60);
        });
        assertThat(value(kvm1Seen.getValue(), "verbund_device_up", "device", "kvm-1")).isEqualTo(1.0);
        Map.Entry<Device, List<MetricSample>> kvm2Seen = observed.get(3);
        assertThat(kvm2Seen.getKey().address()).isEqualTo("kvm-2.dc1");
        assertThat(value(kvm2Seen.getValue(), "verbund_device_up", "device", "kvm-2")).isZero();
    }

    @Test
    void theExpositionLabelsHostsLikeTheComputeMetricsAndForgetsRemovedHosts() throws Exception {
        List<List<HostReading>> answers = new ArrayList<>();
        answers.add(readings().get());
        answers.add(List.of(new HostReading(kvm1, connection.stats(), null)));
        List<Device> forgotten = new CopyOnWriteArrayList<>();
        List<PollObserver> told = List.of(new PollObserver() {
            @Override
            public void polled(Device device, de.sid.verbund.monitoring.inventory.PollSummary summary,
                               List<MetricSample> samples) {
            }

            @Override
            public void forgotten(Device device) {
                forgotten.add(device);
            }
        });
        HypervisorMonitor monitor = new HypervisorMonitor(() -> answers.remove(0), told, Duration.ofSeconds(30));

        monitor.poll();
        String both = exposition(monitor);
        monitor.poll();
        String one = exposition(monitor);

        assertThat(both).contains("verbund_hypervisor_up{host=\"kvm-1\",site=\"dc1\"} 1.0",
                "verbund_hypervisor_up{host=\"kvm-2\",site=\"dc1\"} 0.0",
                "verbund_hypervisor_domains{host=\"kvm-1\",site=\"dc1\",state=\"running\"} 1.0",
                "# TYPE verbund_hypervisor_memory_bytes gauge").doesNotContain("device=");
        assertThat(one).contains("host=\"kvm-1\"").doesNotContain("kvm-2");
        assertThat(forgotten).extracting(Device::name).containsExactly("kvm-2");
    }

    private static String exposition(HypervisorMonitor monitor) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, monitor.collect());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void guestCpuCountsOnlyDomainsRunningAtBothReadingsSoStartsStopsAndRestartsMakeNoSpike() {
        Instant t0 = Instant.parse("2026-11-29T10:00:00Z");
        HostStats before = new HostStats(t0, 4, 1L << 34, 1L << 33, 3, 0,
                Map.of("a", 100_000_000_000L, "b", 50_000_000_000L, "c", 900_000_000_000L));
        // after 10 s: a used 10 s of CPU, b 5 s, c restarted (its counter began again), d is new
        HostStats after = new HostStats(t0.plusSeconds(10), 4, 1L << 34, 1L << 33, 3, 0,
                Map.of("a", 110_000_000_000L, "b", 55_000_000_000L, "c", 1_000_000_000L, "d", 400_000_000_000L));

        assertThat(HypervisorMonitor.guestCpuRatio(before, after)).isCloseTo(15.0 / 40.0, within(1e-9));
        assertThat(HypervisorMonitor.guestCpuRatio(null, after)).isNull();
        assertThat(HypervisorMonitor.guestCpuRatio(after, before)).isNull();
        HostStats busy = new HostStats(t0.plusSeconds(10), 4, 1L << 34, 1L << 33, 1, 0, Map.of("a", 200_000_000_000L));
        assertThat(HypervisorMonitor.guestCpuRatio(before, busy)).isEqualTo(1.0);
    }

    @Test
    void aFailingObserverHarmsNeitherOthersNorThePoll() {
        observers.add(0, (d, s, samples) -> {
            throw new IllegalStateException("observer broke");
        });
        HypervisorMonitor monitor = new HypervisorMonitor(readings()::get, observers, Duration.ofSeconds(60));

        monitor.poll();

        assertThat(observed).hasSize(2);
        assertThat(monitor.samples(kvm1.id())).isNotEmpty();
    }

    @Test
    void theHostOfALibvirtUriIsTheObserversAddress() {
        assertThat(HypervisorMonitor.hostPart("qemu+ssh://root@kvm-7/system")).isEqualTo("kvm-7");
        assertThat(HypervisorMonitor.hostPart("qemu+tcp://10.1.2.3:16509/system")).isEqualTo("10.1.2.3");
        assertThat(HypervisorMonitor.hostPart("test:///default")).isEmpty();
        assertThat(HypervisorMonitor.hostPart("not a uri")).isEmpty();
    }
}

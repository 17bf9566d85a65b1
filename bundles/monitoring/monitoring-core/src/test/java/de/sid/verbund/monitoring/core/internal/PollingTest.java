package de.sid.verbund.monitoring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.profile.Profile;
import de.sid.verbund.monitoring.profile.ProfileLoader;
import de.sid.verbund.monitoring.snmp.internal.Snmp4jClient;
import de.sid.verbund.monitoring.snmpsim.DataDirectory;
import de.sid.verbund.monitoring.snmpsim.ReplayAgent;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poller end to end over real UDP: the inventory on H2, the SNMP4J client, the replay agent
 * serving two recorded devices (community = file name), the profiles of {@code monitoring/profiles}.
 */
class PollingTest {
    static final Path SNMPREC = de.sid.verbund.testsupport.SharedData.data("snmprec");
    static final Path PROFILES = Path.of("../../../monitoring/profiles");

    @TempDir
    Path dir;
    JdbcDatabase db;
    Inventory inventory;
    ReplayAgent agent;
    Snmp4jClient snmp;
    ScheduledExecutorService scheduler;
    DevicePolling polling;
    Map<String, Profile> profiles;

    @BeforeEach
    void setUp() throws IOException {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir.resolve("db")), "verbund", "", 4, 10_000);
        db.migrate("monitoring", Inventory.class.getClassLoader());
        inventory = new Inventory(db);
        Path data = Files.createDirectories(dir.resolve("snmprec"));
        for (String f : List.of("procurve_2520.snmprec", "eaton-mgeups_5px.snmprec")) {
            Files.copy(SNMPREC.resolve(f), data.resolve(f));
        }
        agent = ReplayAgent.start(DataDirectory.load(data).tables(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        snmp = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2);
        scheduler = Executors.newScheduledThreadPool(2);
        profiles = new ProfileLoader().loadDirectory(PROFILES);
    }

    @AfterEach
    void tearDown() {
        if (polling != null) {
            polling.close();
        }
        scheduler.shutdownNow();
        snmp.close();
        agent.close();
        db.close();
    }

    private DevicePolling polling(int maxConcurrent) {
        polling = new DevicePolling(inventory, snmp, profiles, scheduler, maxConcurrent, Duration.ofMillis(300), 0);
        return polling;
    }

    private Device device(String name, String community, int port, int intervalS, List<String> profiles) {
        Credential c = inventory.credentials().stream().filter(x -> x.name().equals(community)).findFirst()
                .orElseGet(() -> inventory.createCredential(new NewCredential(community, "v2c", community, null, null,
                        null, null, null)));
        return inventory.createDevice(new NewDevice(name, "127.0.0.1", port, "dc1", "switch", intervalS, profiles, c.id()));
    }

    private static int unusedPort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private String exposition() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new PrometheusTextFormatWriter(false).write(out, polling.collect());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void pollNowReadsRecordedDevicesThroughTheirProfilesAndExposesThem() throws Exception {
        Device sw = device("sw-1", "procurve_2520", agent.address().getPort(), 60, List.of());
        Device ups = device("ups-1", "eaton-mgeups_5px", agent.address().getPort(), 60, List.of("system", "ups_mib"));
        DevicePolling p = polling(1);

        PollSummary first = p.pollNow(sw).toCompletableFuture().get(20, TimeUnit.SECONDS);
        PollSummary second = p.pollNow(sw).toCompletableFuture().get(20, TimeUnit.SECONDS);
        PollSummary u = p.pollNow(ups).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(first.up()).isTrue();
        assertThat(first.varbinds()).isPositive();
        // the first poll knows no sysObjectID yet: the profiles matching every device; the second has it
        assertThat(second.samples()).isGreaterThanOrEqualTo(first.samples()).isPositive();
        assertThat(p.samples(sw.id())).extracting(MetricSample::name).contains("ifHCInOctets", "ifOperStatus", "sysUpTime");
        assertThat(p.samples(sw.id())).allMatch(m -> "sw-1".equals(m.label("device")) && "dc1".equals(m.label("site")));
        assertThat(u.up()).isTrue();
        var status = p.status(sw.id()).orElseThrow();
        assertThat(status.up()).isTrue();
        assertThat(status.polls()).isEqualTo(2);
        assertThat(status.sysDescr()).startsWith("HP Stack, revision KA.15.03");
        assertThat(status.sysObjectId()).startsWith("1.3.6.1.4.1.11.");
        assertThat(status.uptimeSeconds()).isNotNull();
        assertThat(p.samples(ups.id())).extracting(MetricSample::name).contains("upsEstimatedChargeRemaining");
        assertThat(p.samples(ups.id())).extracting(MetricSample::name).doesNotContain("ifHCInOctets");

        String text = exposition();
        assertThat(text).contains("verbund_device_up{device=\"sw-1\",site=\"dc1\"} 1.0",
                "verbund_device_up{device=\"ups-1\",site=\"dc1\"} 1.0",
                "verbund_device_polls_total{device=\"sw-1\",site=\"dc1\"} 2.0",
                "# TYPE verbund_device_poll_duration_seconds gauge",
                "# TYPE ifHCInOctets untyped", "upsEstimatedChargeRemaining{device=\"ups-1\"")
                .doesNotContain("ifHCInOctets_total", "procurve_2520 ");
        // when the last poll started (Unix seconds) and the interval: an alert compares them with the time
        double lastPoll = Double.parseDouble(text.lines().filter(l -> l.startsWith(
                "verbund_device_last_poll_timestamp_seconds{device=\"sw-1\",site=\"dc1\"} ")).findFirst().orElseThrow()
                .replaceAll(".* ", ""));
        assertThat(lastPoll).isBetween(status.lastPollAt().getEpochSecond() - 1.0, status.lastPollAt().getEpochSecond() + 1.0);
        assertThat(text).contains("verbund_device_poll_interval_seconds{device=\"sw-1\",site=\"dc1\"} 60.0",
                "verbund_poller_queued_polls 0.0", "verbund_device_info{device=\"sw-1\",kind=\"switch\",site=\"dc1\"} 1\n");
    }

    @Test
    void aRepeatedSeriesIsExposedOnceAndDevicesStayApart() throws Exception {
        // two profiles with the same metrics map each twice: the exposition keeps each series once
        Profile system = profiles.get("system");
        profiles = new java.util.HashMap<>(profiles);
        profiles.put("system_copy", new Profile("system_copy", "", system.match(), system.walk(), system.get(), system.metrics()));
        Device twice = device("sw-2", "procurve_2520", agent.address().getPort(), 60, List.of("system", "system_copy", "if_mib"));
        Device other = device("ups-1", "eaton-mgeups_5px", agent.address().getPort(), 60, List.of("system", "if_mib"));
        DevicePolling p = polling(2);

        p.pollNow(twice).toCompletableFuture().get(20, TimeUnit.SECONDS);
        p.pollNow(other).toCompletableFuture().get(20, TimeUnit.SECONDS);
        String first = exposition();
        p.pollNow(twice).toCompletableFuture().get(20, TimeUnit.SECONDS);
        String second = exposition();

        assertThat(p.samples(twice.id())).filteredOn(m -> m.name().equals("sysUpTime")).hasSize(2);
        long interfaces = p.samples(twice.id()).stream().filter(m -> m.name().equals("ifHCInOctets")).count();
        assertThat(interfaces).isPositive();
        for (String text : List.of(first, second)) {
            List<String> lines = text.lines().toList();
            assertThat(lines).filteredOn(l -> l.startsWith("sysUpTime{")).hasSize(2)
                    .anyMatch(l -> l.contains("device=\"sw-2\"")).anyMatch(l -> l.contains("device=\"ups-1\""));
            assertThat(lines).filteredOn(l -> l.startsWith("sysDescr{") && l.contains("device=\"sw-2\"")).hasSize(1);
            assertThat(lines).filteredOn(l -> l.startsWith("ifHCInOctets{") && l.contains("device=\"sw-2\""))
                    .hasSize((int) interfaces).doesNotHaveDuplicates();
            assertThat(lines).filteredOn(l -> l.startsWith("ifOperStatus{") && l.contains("device=\"ups-1\"")).isNotEmpty();
        }
        // the same samples give the same exposition; a new poll's samples replace the old ones
        assertThat(exposition()).isEqualTo(second);
        assertThat(second.lines().filter(l -> l.startsWith("verbund_device_polls_total{device=\"sw-2\"")))
                .containsExactly("verbund_device_polls_total{device=\"sw-2\",site=\"dc1\"} 2.0");
    }

    @Test
    void observersAreToldOfEveryPollWithItsSamplesAndAFailingObserverHarmsNothing() throws Exception {
        Device sw = device("sw-1", "procurve_2520", agent.address().getPort(), 60, List.of());
        Device gone = device("gone-1", "procurve_2520", unusedPort(), 60, List.of());
        List<List<MetricSample>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<de.sid.verbund.monitoring.inventory.PollObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
        observers.add((d, summary, samples) -> {
            throw new IllegalStateException("observer broke");
        });
        observers.add((d, summary, samples) -> seen.add(samples));
        polling = new DevicePolling(inventory, snmp, profiles, scheduler, 2, Duration.ofMillis(300), 0, observers);

        PollSummary up = polling.pollNow(sw).toCompletableFuture().get(20, TimeUnit.SECONDS);
        PollSummary down = polling.pollNow(gone).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(up.up()).isTrue();
        assertThat(down.up()).isFalse();
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).extracting(MetricSample::name).contains("ifHCInOctets", "verbund_device_up");
        assertThat(seen.get(0)).filteredOn(m -> m.name().equals("verbund_device_up")).singleElement()
                .satisfies(m -> assertThat(m.value()).isEqualTo(1.0));
        assertThat(seen.get(1)).singleElement().satisfies(m -> {
            assertThat(m.name()).isEqualTo("verbund_device_up");
            assertThat(m.value()).isEqualTo(0.0);
            assertThat(m.label("device")).isEqualTo("gone-1");
        });
    }

    @Test
    void observersAreToldOnceWhenADeletedDeviceIsNoLongerPolled() {
        Device sw = device("sw-1", "procurve_2520", agent.address().getPort(), 60, List.of());
        Device stays = device("sw-2", "procurve_2520", agent.address().getPort() + 1, 60, List.of());
        List<Device> forgotten = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<de.sid.verbund.monitoring.inventory.PollObserver> observers = List.of(new de.sid.verbund.monitoring.inventory
                .PollObserver() {
            @Override
            public void polled(Device device, PollSummary summary, List<MetricSample> samples) {
            }

            @Override
            public void forgotten(Device device) {
                forgotten.add(device);
            }
        });
        polling = new DevicePolling(inventory, snmp, profiles, scheduler, 2, Duration.ofMillis(300), 0, observers);
        polling.sync();

        inventory.deleteDevice(sw.id());
        polling.sync();
        polling.sync();

        assertThat(forgotten).extracting(Device::id).containsExactly(sw.id());
        assertThat(polling.status(stays.id())).isPresent();
        assertThat(polling.status(sw.id())).isEmpty();
    }

    @Test
    void anUnreachableDeviceIsDownWithoutSamplesAndCountedAsAnError() throws Exception {
        Device dead = device("dead-1", "procurve_2520", unusedPort(), 60, List.of());
        Device wrongCommunity = device("wrong-1", "nobody-home", agent.address().getPort(), 60, List.of());
        DevicePolling p = polling(4);

        PollSummary d = p.pollNow(dead).toCompletableFuture().get(20, TimeUnit.SECONDS);
        PollSummary w = p.pollNow(wrongCommunity).toCompletableFuture().get(20, TimeUnit.SECONDS);

        assertThat(d.up()).isFalse();
        assertThat(d.problem()).isNotBlank();
        assertThat(w.up()).isFalse();
        assertThat(p.samples(dead.id())).isEmpty();
        assertThat(p.status(dead.id()).orElseThrow()).extracting("up", "errors", "sysDescr").containsExactly(false, 1L, null);
        assertThat(exposition()).contains("verbund_device_up{device=\"dead-1\",site=\"dc1\"} 0.0",
                "verbund_device_poll_errors_total{device=\"dead-1\",site=\"dc1\"} 1.0");
    }

    @Test
    void devicesArePolledOnTheirScheduleWithBoundedConcurrencyAndDroppedWhenDeleted() throws Exception {
        List<Device> devices = List.of(device("a", "procurve_2520", agent.address().getPort(), 10, List.of("system")),
                device("b", "eaton-mgeups_5px", agent.address().getPort(), 10, List.of("system")));
        DevicePolling p = polling(1);

        p.sync();
        await().atMost(Duration.ofSeconds(25)).until(() -> devices.stream().allMatch(x -> !p.samples(x.id()).isEmpty()));
        // polls asked for at once with room for one in flight: they wait their turn, none is lost
        List<CompletableFuture<PollSummary>> now = devices.stream()
                .map(x -> p.pollNow(x).toCompletableFuture()).toList();
        for (CompletableFuture<PollSummary> f : now) {
            try {
                assertThat(f.get(20, TimeUnit.SECONDS).up()).isTrue();
            } catch (java.util.concurrent.ExecutionException e) {
                // a scheduled poll of that device was in flight: refused as busy, not queued twice
                assertThat(e.getCause().getMessage()).contains("is being polled right now");
            }
        }

        inventory.deleteDevice(devices.get(0).id());
        p.sync();

        assertThat(p.samples(devices.get(0).id())).isEmpty();
        assertThat(exposition()).doesNotContain("device=\"a\"").contains("verbund_device_up{device=\"b\",site=\"dc1\"} 1.0");
    }

    @Test
    void aDeviceThePollerLearnsOfIsPolledAtOnceEvenWithALongInterval() throws Exception {
        Device slow = device("slow", "procurve_2520", agent.address().getPort(), 3600, List.of("system"));
        DevicePolling p = polling(1);

        p.sync();

        await().atMost(Duration.ofSeconds(DevicePolling.FIRST_POLL_WITHIN_MS / 1000 + 10))
                .until(() -> !p.samples(slow.id()).isEmpty());
        assertThat(p.status(slow.id()).orElseThrow().polls()).isEqualTo(1);
    }

    @Test
    void theComponentStartsInTheBackgroundAndPollsWhatTheInventoryHolds() throws Exception {
        Device sw = device("sw-1", "procurve_2520", agent.address().getPort(), 10, List.of());
        PollerComponent component = new PollerComponent(inventory, snmp, Configs.of(PollerConfig.class,
                "profiles_dir", PROFILES.toAbsolutePath().toString(), "sync_interval_s", 1, "timeout_ms", 500));
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                try {
                    return component.pollNow(sw).toCompletableFuture().get(10, TimeUnit.SECONDS).up();
                } catch (java.util.concurrent.ExecutionException e) {
                    return false; // starting, or its scheduled poll is in flight
                }
            });
            // through a registry as metrics-prometheus' /metrics does, next to another collector
            PrometheusRegistry registry = new PrometheusRegistry();
            registry.register(component);
            Gauge.builder().name("jvm_other").help("another area's metric").register(registry).set(1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            new PrometheusTextFormatWriter(false).write(out, registry.scrape());
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("verbund_device_up{device=\"sw-1\",site=\"dc1\"} 1.0",
                    "ifHCInOctets{", "jvm_other 1.0");
        } finally {
            component.deactivate();
        }
    }
}

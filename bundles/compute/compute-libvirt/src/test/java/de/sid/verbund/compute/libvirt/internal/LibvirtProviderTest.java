package de.sid.verbund.compute.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.spi.ComputeException;
import de.sid.verbund.compute.spi.ComputeException.Kind;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.DomainSpec;
import de.sid.verbund.compute.spi.DomainState;
import de.sid.verbund.compute.spi.HostCapacity;
import de.sid.verbund.compute.spi.HostStats;
import de.sid.verbund.compute.spi.Snapshot;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.w3c.dom.Element;

/**
 * The provider against libvirt's real in-process test driver (no daemon, no mocks). Each test
 * opens {@code test:///…/host16.xml}: every connection to a node file gets its own fresh host.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LibvirtProviderTest {
    private static final Path SHARED_DOMAINS = de.sid.verbund.testsupport.SharedData.data("libvirt/domains");
    private static LibvirtProvider provider;
    private static String hostUri;

    private LibvirtConnection host;

    @BeforeAll
    static void activate() throws Exception {
        provider = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
        Path node = Paths.get(LibvirtProviderTest.class.getResource("/testdriver/host16.xml").toURI());
        hostUri = "test://" + node.toAbsolutePath();
    }

    @AfterAll
    static void deactivate() {
        provider.deactivate();
        assertThat(provider.openConnections()).isZero();
        assertThat(LibvirtEventLoop.running()).isFalse();
    }

    @BeforeEach
    void connect() {
        host = (LibvirtConnection) provider.connect(hostUri);
    }

    @AfterEach
    void close() {
        host.close();
    }

    private static DomainSpec spec(String name, String uuid) {
        return new DomainSpec(uuid, name, 2, 2048, 20, "debian-12", "vms", "default");
    }

    private static String newUuid() {
        return UUID.randomUUID().toString();
    }

    private List<String> volumes() throws Exception {
        StoragePool pool = host.libvirt().storagePoolLookupByName("vms");
        return Arrays.asList(pool.listVolumes());
    }

    @Test
    void providerHandlesLibvirtUris() {
        assertThat(provider.type()).isEqualTo("libvirt");
        assertThat(Stream.of("qemu:///system", "qemu+ssh://root@kvm-1/system", "qemu+tcp://10.0.0.1/system",
                "test:///default")).allMatch(provider::supports);
        assertThat(Stream.of("vbox:///session", "http://x", "", null)).noneMatch(provider::supports);
        assertThatThrownBy(() -> provider.connect("esx://host")).isInstanceOfSatisfying(ComputeException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED));
    }

    @Test
    void capacityIsPhysicalCoresAndMib() {
        HostCapacity capacity = host.capacity();

        assertThat(capacity.cpuCores()).isEqualTo(16);
        assertThat(capacity.ramMib()).isEqualTo(65536);
        assertThat(capacity.hypervisor()).startsWith("TEST ");
        assertThat(host.isAlive()).isTrue();
    }

    @Test
    void statsCountDomainsAndReadEachRunningGuestsCpuTime() throws Exception {
        HostStats before = host.stats();
        String running = newUuid();
        String stopped = newUuid();
        host.define(spec("stats-run", running));
        host.define(spec("stats-off", stopped));
        host.start(running);

        HostStats stats = host.stats();

        assertThat(stats.cpus()).isEqualTo(32); // logical: 16 cores x 2 threads
        assertThat(stats.memoryBytes()).isEqualTo(65536L * 1024 * 1024);
        // host16.xml describes no NUMA cells: libvirt cannot tell free memory (test:///default can)
        assertThat(stats.freeMemoryBytes()).isNull();
        assertThat(provider.connect("test:///default").stats().freeMemoryBytes()).isPositive();
        assertThat(stats.runningDomains()).isEqualTo(before.runningDomains() + 1);
        assertThat(stats.inactiveDomains()).isEqualTo(before.inactiveDomains() + 1);
        assertThat(stats.domainCpuTimeNanos()).containsKey(running).doesNotContainKey(stopped)
                .hasSize(stats.runningDomains());
        assertThat(stats.domainCpuTimeNanos().get(running)).isPositive();
        assertThat(stats.readAt()).isAfterOrEqualTo(before.readAt());
        host.destroy(running);
        host.undefine(running, true);
        host.undefine(stopped, true);
    }

    @Test
    void defineCreatesDomainAndVolumeWithTheRequestedSizes() throws Exception {
        String uuid = newUuid();

        DomainInfo info = host.define(spec("web-1", uuid));

        assertThat(info).isEqualTo(new DomainInfo(uuid, "web-1", DomainState.SHUTOFF, 2, 2048));
        Element domain = LibvirtXml.parse(host.domainXml(uuid)).getDocumentElement();
        assertThat(domain.getAttribute("type")).isEqualTo("test");
        assertThat(text(domain, "memory")).isEqualTo("2097152");
        assertThat(text(domain, "vcpu")).isEqualTo("2");
        Element disk = first(domain, "disk");
        assertThat(disk.getAttribute("type")).isEqualTo("volume");
        assertThat(first(disk, "source").getAttribute("pool")).isEqualTo("vms");
        assertThat(first(disk, "source").getAttribute("volume")).isEqualTo("web-1.qcow2");
        assertThat(first(disk, "target").getAttribute("bus")).isEqualTo("virtio");
        Element nic = first(domain, "interface");
        assertThat(first(nic, "source").getAttribute("network")).isEqualTo("default");
        assertThat(first(nic, "model").getAttribute("type")).isEqualTo("virtio");

        StorageVol volume = host.libvirt().storagePoolLookupByName("vms").storageVolLookupByName("web-1.qcow2");
        assertThat(volume.getInfo().capacity).isEqualTo(20L << 30);
        Element volXml = LibvirtXml.parse(volume.getXMLDesc(0)).getDocumentElement();
        assertThat(first(volXml, "format").getAttribute("type")).isEqualTo("qcow2");
    }

    @Test
    void storagePoolReportsItsSizeAndAFullPoolIsNoSpaceLeavingNoDomain() {
        var pool = host.storagePool("vms").orElseThrow();
        assertThat(pool.capacityBytes()).isPositive();
        assertThat(pool.availableBytes()).isLessThanOrEqualTo(pool.capacityBytes());
        assertThat(pool.capacityGib()).isEqualTo(pool.capacityBytes() / (1024L * 1024 * 1024));
        assertThat(host.storagePool("no-such-pool")).isEmpty();

        String uuid = newUuid();
        long tooBig = pool.availableBytes() / (1024L * 1024 * 1024) + 1;
        ComputeException e = catchThrowableOfType(
                () -> host.define(new DomainSpec(uuid, "huge", 1, 512, (int) tooBig, null, "vms", "default")),
                ComputeException.class);
        assertThat(e.kind()).isEqualTo(ComputeException.Kind.NO_SPACE);
        assertThat(e.getMessage()).containsIgnoringCase("space");
        assertThat(host.domain(uuid)).isEmpty();
    }

    @Test
    void defineWithoutImageCreatesAnEmptyVolume() throws Exception {
        String uuid = newUuid();
        host.define(new DomainSpec(uuid, "blank", 1, 512, 5, null, "vms", "default"));

        StorageVol volume = host.libvirt().storagePoolLookupByName("vms").storageVolLookupByName("blank.qcow2");
        assertThat(volume.getInfo().capacity).isEqualTo(5L << 30);
    }

    @Test
    void defineTwiceWithTheSameUuidRedefinesOneDomainAndKeepsVolumeAndMac() throws Exception {
        String uuid = newUuid();
        host.define(spec("web-1", uuid));
        String mac = LibvirtXml.firstMac(host.domainXml(uuid)).orElseThrow();

        DomainInfo again = host.define(new DomainSpec(uuid, "web-1", 3, 3072, 20, "debian-12", "vms", "default"));

        assertThat(again).isEqualTo(new DomainInfo(uuid, "web-1", DomainState.SHUTOFF, 3, 3072));
        assertThat(host.domains()).extracting(DomainInfo::uuid).containsExactly(uuid);
        assertThat(volumes()).containsExactlyInAnyOrder("debian-12", "web-1.qcow2");
        assertThat(LibvirtXml.firstMac(host.domainXml(uuid))).contains(mac);
    }

    @Test
    void sameNameUnderAnotherUuidIsNameTakenAndCreatesNothing() throws Exception {
        String uuid = newUuid();
        host.define(spec("web-1", uuid));
        String other = newUuid();

        ComputeException e = catchThrowableOfType(() -> host.define(spec("web-1", other)), ComputeException.class);

        assertThat(e.kind()).isEqualTo(Kind.NAME_TAKEN);
        assertThat(e.getMessage()).contains(hostUri, "orphan domain web-1", uuid, other);
        assertThat(host.domains()).extracting(DomainInfo::uuid).containsExactly(uuid);
        assertThat(volumes()).containsExactlyInAnyOrder("debian-12", "web-1.qcow2");
    }

    @Test
    void failedDefinitionDeletesTheVolumeAgain() throws Exception {
        // libvirt refuses a domain name with '/', the test driver's storage accepts the volume name
        String uuid = newUuid();

        ComputeException e = catchThrowableOfType(() -> host.define(spec("bad/name", uuid)), ComputeException.class);

        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(e.getMessage()).contains(hostUri, "bad/name", uuid, "cannot contain '/'");
        assertThat(host.domains()).isEmpty();
        assertThat(volumes()).containsExactly("debian-12");
    }

    @Test
    void missingImageIsNotFoundAndCreatesNothing() throws Exception {
        DomainSpec spec = new DomainSpec(newUuid(), "web-2", 1, 512, 10, "centos-9", "vms", "default");

        assertThatThrownBy(() -> host.define(spec)).isInstanceOfSatisfying(ComputeException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
            assertThat(e.getMessage()).contains("centos-9", "web-2");
        });
        assertThat(volumes()).containsExactly("debian-12");
        assertThat(host.domains()).isEmpty();
    }

    @Test
    void lifecycleStates() {
        String uuid = newUuid();
        host.define(spec("web-1", uuid));

        host.start(uuid);
        assertThat(state(uuid)).isEqualTo(DomainState.RUNNING);
        host.start(uuid);
        assertThat(state(uuid)).isEqualTo(DomainState.RUNNING);

        host.reboot(uuid);
        assertThat(state(uuid)).isEqualTo(DomainState.RUNNING);

        assertThat(host.stop(uuid, Duration.ofSeconds(5))).isTrue();
        assertThat(state(uuid)).isEqualTo(DomainState.SHUTOFF);
        assertThat(host.stop(uuid, Duration.ofSeconds(5))).isTrue();

        assertThatThrownBy(() -> host.reboot(uuid)).isInstanceOfSatisfying(ComputeException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_STATE));

        host.start(uuid);
        host.destroy(uuid);
        assertThat(state(uuid)).isEqualTo(DomainState.SHUTOFF);
        host.destroy(uuid);
        assertThat(state(uuid)).isEqualTo(DomainState.SHUTOFF);
    }

    @Test
    void operationsOnAnUnknownDomainAreNotFound() {
        String uuid = newUuid();

        assertThat(host.domain(uuid)).isEmpty();
        assertThatThrownBy(() -> host.start(uuid)).isInstanceOfSatisfying(ComputeException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
            assertThat(e.getMessage()).contains(hostUri, uuid);
        });
        assertThatThrownBy(() -> host.snapshots(uuid)).isInstanceOfSatisfying(ComputeException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void resizeNeedsAShutOffDomain() {
        String uuid = newUuid();
        host.define(spec("web-1", uuid));
        host.start(uuid);

        assertThatThrownBy(() -> host.resize(uuid, 4, 4096)).isInstanceOfSatisfying(ComputeException.class, e -> {
            assertThat(e.kind()).isEqualTo(Kind.INVALID_STATE);
            assertThat(e.getMessage()).contains("web-1", uuid, "running");
        });
        assertThat(host.domain(uuid).orElseThrow().vcpu()).isEqualTo(2);

        host.destroy(uuid);
        host.resize(uuid, 4, 4096);

        assertThat(host.domain(uuid)).contains(new DomainInfo(uuid, "web-1", DomainState.SHUTOFF, 4, 4096));
        Element domain = LibvirtXml.parse(host.domainXml(uuid)).getDocumentElement();
        assertThat(text(domain, "currentMemory")).isEqualTo("4194304");
    }

    @Test
    void snapshotsCreateListRevertDelete() {
        String uuid = newUuid();
        host.define(spec("web-1", uuid));
        Instant before = Instant.now().minusSeconds(2);

        Snapshot s1 = host.createSnapshot(uuid, "before-update");
        host.start(uuid);
        Snapshot s2 = host.createSnapshot(uuid, "running");

        assertThat(s1.current()).isTrue();
        assertThat(s2.current()).isTrue();
        assertThat(host.snapshots(uuid)).extracting(Snapshot::name, Snapshot::current)
                .containsExactlyInAnyOrder(tuple("before-update", false),
                        tuple("running", true));
        assertThat(host.snapshots(uuid)).allSatisfy(s -> assertThat(s.createdAt()).isAfter(before));

        host.revertSnapshot(uuid, "before-update");
        assertThat(state(uuid)).isEqualTo(DomainState.SHUTOFF);
        assertThat(host.snapshots(uuid)).filteredOn(Snapshot::current).extracting(Snapshot::name)
                .containsExactly("before-update");

        host.deleteSnapshot(uuid, "running");
        assertThat(host.snapshots(uuid)).extracting(Snapshot::name).containsExactly("before-update");
        assertThatThrownBy(() -> host.revertSnapshot(uuid, "running")).isInstanceOfSatisfying(
                ComputeException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void undefineRemovesDomainSnapshotsAndVolume() throws Exception {
        String uuid = newUuid();
        host.define(spec("web-1", uuid));
        host.createSnapshot(uuid, "s1");
        String keep = newUuid();
        host.define(spec("web-2", keep));

        host.undefine(uuid, true);
        host.undefine(keep, false);

        assertThat(host.domains()).isEmpty();
        assertThat(volumes()).containsExactlyInAnyOrder("debian-12", "web-2.qcow2");
    }

    @Test
    void undefineOfARunningDomainIsInvalidState() {
        String uuid = newUuid();
        host.define(spec("web-1", uuid));
        host.start(uuid);

        assertThatThrownBy(() -> host.undefine(uuid, true)).isInstanceOfSatisfying(ComputeException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.INVALID_STATE));
        assertThat(host.domain(uuid)).isPresent();
    }

    @Test
    void lifecycleEventsReachTheListener() {
        List<String> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
        host.onDomainChange(changes::add);
        String uuid = newUuid();

        host.define(spec("web-1", uuid));
        host.start(uuid);
        host.destroy(uuid);

        // defined, started, stopped
        await().atMost(Duration.ofSeconds(5)).untilAsserted(
                () -> assertThat(changes).filteredOn(uuid::equals).hasSizeGreaterThanOrEqualTo(3));
    }

    @Test
    void listingSurvivesDomainsVanishingMeanwhile() throws Exception {
        List<String> uuids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            String uuid = newUuid();
            host.define(new DomainSpec(uuid, "vm-" + i, 1, 256, 1, null, "vms", "default"));
            if (i % 2 == 0) {
                host.start(uuid);
            }
            uuids.add(uuid);
        }
        Set<Integer> sizes = ConcurrentHashMap.newKeySet();
        CountDownLatch listing = new CountDownLatch(1);

        CompletableFuture<Void> remover = CompletableFuture.runAsync(() -> {
            awaitQuietly(listing);
            for (String uuid : uuids) {
                host.destroy(uuid);
                host.undefine(uuid, true);
            }
        });
        do {
            sizes.add(host.domains().size());
            listing.countDown();
        } while (!remover.isDone());
        remover.get(10, TimeUnit.SECONDS);

        assertThat(host.domains()).isEmpty();
        assertThat(sizes).contains(40).hasSizeGreaterThan(1).allMatch(n -> n <= 40);
    }

    /** What libvirt 9.0's test driver does with the shared real-world domain XML files. */
    static Stream<Arguments> sharedDomainFiles() {
        return Stream.of(
                // file, expected kind (null: defined), text the message names
                Arguments.of("cpu-topology1.x86_64-latest.xml", null, "QEMUGuest1"),
                Arguments.of("disk-cache.x86_64-latest.xml", Kind.UNSUPPORTED, "'model' in element 'disk': 'usb-storage'"),
                Arguments.of("firmware-manual-efi.x86_64-latest.xml", Kind.UNSUPPORTED, "loader attribute 'readonly'"),
                Arguments.of("graphics-spice.xml", null, "QEMUGuest1"),
                Arguments.of("graphics-vnc.xml", null, "QEMUGuest1"),
                Arguments.of("hostdev-pci-address.x86_64-latest.xml", null, "QEMUGuest2"),
                Arguments.of("hugepages-numa-default-2M.xml", null, "SomeDummyHugepagesGuest"),
                Arguments.of("hyperv.x86_64-latest.xml", Kind.UNSUPPORTED, "emsr_bitmap"),
                Arguments.of("net-bandwidth.x86_64-latest.xml", null, "f14-60"),
                Arguments.of("q35-virt-manager-basic.x86_64-latest.xml", Kind.UNSUPPORTED, "watchdog model 'itco'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sharedDomainFiles")
    void defineXmlOfSharedDomainFiles(String file, Kind expected, String named) throws Exception {
        String xml = Files.readString(SHARED_DOMAINS.resolve(file));

        if (expected == null) {
            DomainInfo info = host.defineXml(xml);
            assertThat(info.name()).isEqualTo(named);
            assertThat(info.state()).isEqualTo(DomainState.SHUTOFF);
            assertThat(host.domain(info.uuid())).contains(info);
        } else {
            assertThatThrownBy(() -> host.defineXml(xml)).isInstanceOfSatisfying(ComputeException.class, e -> {
                assertThat(e.kind()).isEqualTo(expected);
                assertThat(e.getMessage()).contains(hostUri, named);
            });
            assertThat(host.domains()).isEmpty();
        }
    }

    @Test
    void sharedDomainFilesCoveredByTheTable() throws Exception {
        try (Stream<Path> files = Files.list(SHARED_DOMAINS)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(sharedDomainFiles().map(a -> (String) a.get()[0]).toList());
        }
    }

    @Test
    void defineXmlUnderATakenNameIsNameTaken() throws Exception {
        String uuid = newUuid();
        host.define(spec("QEMUGuest1", uuid));

        assertThatThrownBy(() -> host.defineXml(Files.readString(SHARED_DOMAINS.resolve("graphics-vnc.xml"))))
                .isInstanceOfSatisfying(ComputeException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.NAME_TAKEN);
                    assertThat(e.getMessage()).contains("QEMUGuest1", uuid);
                });
    }

    @Test
    void unreachableHostFailsFastWithConnection() {
        long start = System.nanoTime();

        ComputeException e = catchThrowableOfType(() -> provider.connect("qemu+tcp://127.0.0.1:1/system"),
                ComputeException.class);

        assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(e.getMessage()).contains("qemu+tcp://127.0.0.1:1/system", "127.0.0.1");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void closedConnectionIsDeadAndFailsWithConnection() {
        LibvirtConnection other = (LibvirtConnection) provider.connect(hostUri);
        other.close();

        assertThat(other.isAlive()).isFalse();
        assertThatThrownBy(other::domains).isInstanceOfSatisfying(ComputeException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.CONNECTION));
    }

    @Test
    void defaultTestHostIsSharedByAllConnectionsOfTheJvm() throws Exception {
        // a fact about the test driver the tests rely on: test:///default is one host per process,
        // while every connection to a node file (hostUri) starts from that file
        String uuid = newUuid();
        try (var a = provider.connect("test:///default"); var b = provider.connect("test:///default")) {
            a.define(new DomainSpec(uuid, "shared-" + uuid, 1, 128, 1, null, "default-pool", "default"));
            assertThat(b.domain(uuid)).isPresent();
            b.undefine(uuid, true);
        }
        try (var fresh = provider.connect(hostUri)) {
            host.define(spec("only-here", uuid));
            assertThat(fresh.domain(uuid)).isEmpty();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private DomainState state(String uuid) {
        return host.domain(uuid).orElseThrow().state();
    }

    private static Element first(Element parent, String tag) {
        return (Element) parent.getElementsByTagName(tag).item(0);
    }

    private static String text(Element parent, String tag) {
        return first(parent, tag).getTextContent().strip();
    }

}

package de.sid.verbund.compute.core.internal;

import static de.sid.verbund.compute.core.internal.ComputeFixture.DEFAULT_URI;
import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitEventsOfVm;
import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitHost;
import static de.sid.verbund.compute.core.internal.ComputeFixture.eventsOfVm;
import static de.sid.verbund.compute.core.internal.ComputeFixture.testDriverUri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.DomainSpec;
import de.sid.verbund.compute.spi.DomainState;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compute service end to end without mocks: embedded H2, a real embedded Artemis broker as
 * the event bus, and the real libvirt provider on libvirt's in-process test driver.
 *
 * <p>Hosts are node files in {@code testdriver/}: every connection to a node file is a fresh
 * hypervisor of its own, so a separate connection of the test would not see the service's
 * domains. The test therefore hands the service the real provider through a
 * {@link TestDriverProvider}, which keeps a reference to each connection it opens: "behind
 * Verbund's back" changes go through the very libvirt connection the service holds. Only the
 * reconnect test uses {@code test:///default}, which is one hypervisor per JVM and so survives the
 * service's reconnect ({@link ComputeFixture#withDefaultHost()} keeps a connection of its own open
 * so that it stays alive).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ComputeServiceImplTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ComputeFixture fixture = ComputeFixture.withDefaultHost();

    @TempDir
    Path dir;
    private final String kvm8Uri = testDriverUri("kvm8.xml");
    private final String kvm4Uri = testDriverUri("kvm4.xml");
    /** The fixture's own client of {@value ComputeFixture#DEFAULT_URI}, kept open for the whole class. */
    private HypervisorConnection defaultHost;
    private ComputeServiceImpl compute;
    /** The real provider; keeps the real connections the service was handed, by URI, in order. */
    private TestDriverProvider provider;
    private List<DomainEvent> events;
    private List<DomainEvent> hostEvents;
    private final String tenant = Ids.newId();
    private final String otherTenant = Ids.newId();

    @BeforeEach
    void setUp() {
        defaultHost = fixture.defaultHost();
        events = fixture.events("compute-test", this::ofTheTenants);
        hostEvents = fixture.events("compute-test-hosts", e -> !ofTheTenants(e) && e.type().startsWith("host."));
        provider = new TestDriverProvider(fixture.libvirt());
        compute = fixture.service(fixture.database(dir), provider,
                Configs.of(ComputeConfig.class, "keepalive_check_s", 1L, "stop_timeout_s", 5));
    }

    private boolean ofTheTenants(DomainEvent e) {
        return tenant.equals(e.tenantId()) || otherTenant.equals(e.tenantId());
    }

    // --- hosts -----------------------------------------------------------------------------------

    @Test
    void registeredHostConnectsInTheBackgroundAndReportsCoresAndRamOfItsNode() {
        Host registered = compute.registerHost(new NewHost("kvm-1", kvm8Uri, "ber-1", null, null, null));

        assertThat(registered.state()).isEqualTo(HostState.DOWN);
        assertThat(registered.cpuCores()).isZero();
        Host host = awaitEnabled(registered.id());
        assertThat(host.cpuCores()).isEqualTo(8);
        assertThat(host.ramMib()).isEqualTo(16384);
        assertThat(host.vcpuCapacity()).isEqualTo(32);
        assertThat(host.ramCapacityMib()).isEqualTo(16384 - 2048);
        assertThat(compute.isConnected(host.id())).isTrue();

        ProblemException taken = catchThrowableOfType(
                () -> compute.registerHost(new NewHost("kvm-1", kvm4Uri, "ber-1", null, null, null)), ProblemException.class);
        assertThat(taken.type()).isEqualTo(ProblemType.CONFLICT);
        ProblemException invalid = catchThrowableOfType(() -> compute.registerHost(
                new NewHost("KVM_1", "kvm-1", "", java.math.BigDecimal.ZERO, null, -1L)), ProblemException.class);
        assertThat(invalid.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(invalid.errors()).hasSize(5);
    }

    @Test
    void aTestDriverUriMustNameANodeFileSoNoOtherFileIsReadOrQuoted() throws Exception {
        java.nio.file.Path notANode = dir.resolve("domain.xml");
        java.nio.file.Files.writeString(notANode, "<domain type='test'><name>secret-line</name></domain>");
        for (String uri : List.of("test:///etc/shadow", "test:///etc/passwd", "test://" + notANode, "test:///no/such/node.xml",
                "test://relative.xml")) {
            ProblemException refused = catchThrowableOfType(() -> compute.registerHost(new NewHost("evil", uri, "ber-1",
                    null, null, null)), ProblemException.class);
            assertThat(refused.type()).as(uri).isEqualTo(ProblemType.BAD_REQUEST);
            assertThat(refused.getMessage()).as(uri).contains("test-driver node file").doesNotContain("secret-line")
                    .doesNotContain("root:");
        }
        assertThat(compute.hosts()).isEmpty();
        // nor does the provider hand such a URI to libvirt (a host stored before this check)
        assertThatThrownBy(() -> fixture.libvirt().connect("test:///etc/shadow"))
                .isInstanceOf(de.sid.verbund.compute.spi.ComputeException.class).hasMessageContaining("test-driver node file");
        // node files and the default hypervisor are fine
        assertThat(enabledHost("kvm-1", kvm8Uri).uri()).isEqualTo(kvm8Uri);
    }

    @Test
    void hostRegistrationRefusesWhatIsNotALibvirtUriAndARealHypervisorTwice() {
        ProblemException http = catchThrowableOfType(() -> compute.registerHost(new NewHost("web", "http://example.com",
                "ber-1", null, null, null)), ProblemException.class);
        assertThat(http.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(http.getMessage()).contains("uri must be a libvirt URI");
        ProblemException reserve = catchThrowableOfType(() -> compute.registerHost(new NewHost("big", "qemu+ssh://kvm-9/system",
                "ber-1", null, null, 99_999_999_999L)), ProblemException.class);
        assertThat(reserve.getMessage()).contains("ramReserveMib must be 0..16777216");
        compute.registerHost(new NewHost("kvm-9", "qemu+ssh://kvm-9/system", "ber-1", null, null, null));
        ProblemException twice = catchThrowableOfType(() -> compute.registerHost(new NewHost("kvm-9b",
                "qemu+ssh://kvm-9/system", "ber-1", null, null, null)), ProblemException.class);
        assertThat(twice.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(twice.getMessage()).contains("host kvm-9 has that URI already");
    }

    @Test
    void hostWithoutProviderStaysDown() {
        Host h = compute.registerHost(new NewHost("vbox-1", "vbox:///session", "ber-1", null, null, null));

        await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> compute.host(h.id()).orElseThrow().state(),
                s -> s == HostState.DOWN);
        assertThat(compute.isConnected(h.id())).isFalse();
    }

    // --- VM lifecycle ----------------------------------------------------------------------------

    @Test
    void createdVmRunsOnTheHostAndIsAnnouncedAsCreatedThenRunning() throws Exception {
        Host host = enabledHost("kvm-1", kvm8Uri);

        Vm vm = compute.createVm(request("web-1", tenant, 2, 2048));

        assertThat(vm.state()).isEqualTo(VmState.RUNNING);
        assertThat(vm.hostId()).isEqualTo(host.id());
        assertThat(vm.tenantId()).isEqualTo(tenant);
        assertThat(compute.vm(vm.id())).contains(vm);
        DomainInfo domain = connection(kvm8Uri).domain(vm.id()).orElseThrow();
        assertThat(domain).isEqualTo(new DomainInfo(vm.id(), "web-1-" + vm.id().substring(0, 8), DomainState.RUNNING, 2,
                2048));
        assertThat(volumes(kvm8Uri)).containsExactlyInAnyOrder("debian-12", domain.name() + ".qcow2");
        // the service reports what the host holds (the REST host representation shows it)
        HostLoad held = compute.hostLoads().stream().filter(l -> l.host().id().equals(host.id())).findFirst().orElseThrow();
        assertThat(new long[] {held.vcpu(), held.ramMib(), held.diskGib()}).containsExactly(2, 2048, 10);

        awaitEvents(vm.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"));
        for (DomainEvent e : eventsOf(vm.id())) {
            assertThat(e.tenantId()).isEqualTo(tenant);
            assertThat(e.payload()).containsEntry("vmId", vm.id()).containsEntry("name", "web-1")
                    .containsEntry("hostId", host.id()).containsEntry("offeringId", null);
            assertThat(number(e, "vcpu")).isEqualTo(2);
            assertThat(number(e, "ramMib")).isEqualTo(2048);
            assertThat(number(e, "diskGib")).isEqualTo(10);
        }
    }

    @Test
    void aStoppedVmIsResizedWhenItFitsAndRefusedWhenRunningOrTooBig() throws Exception {
        Host host = enabledHost("kvm-1", kvm8Uri);
        Vm vm = compute.createVm(request("grow", tenant, 1, 1024));
        HypervisorConnection c = connection(kvm8Uri);
        ProblemException running = catchThrowableOfType(() -> compute.resize(vm.id(), 2, 2048), ProblemException.class);
        assertThat(running.type()).isEqualTo(ProblemType.CONFLICT);
        compute.stop(vm.id());

        Vm resized = compute.resize(vm.id(), 4, 4096);
        assertThat(resized.vcpu()).isEqualTo(4);
        assertThat(resized.ramMib()).isEqualTo(4096);
        DomainInfo d = c.domain(vm.id()).orElseThrow();
        assertThat(d.vcpu()).isEqualTo(4);
        assertThat(d.ramMib()).isEqualTo(4096);
        awaitEvents(vm.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"),
                tuple("vm.state-changed", "STOPPED"), tuple("vm.resized", "STOPPED"));
        assertThat(number(eventsOf(vm.id()).get(3), "ramMib")).isEqualTo(4096);

        // the host has 16384 - 2048 MiB to give: growing past it is refused and changes nothing
        ProblemException tooBig = catchThrowableOfType(() -> compute.resize(vm.id(), 4, 15_000), ProblemException.class);
        assertThat(tooBig.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(tooBig.getMessage()).contains(host.name());
        assertThat(compute.vm(vm.id()).orElseThrow().ramMib()).isEqualTo(4096);
        assertThat(c.domain(vm.id()).orElseThrow().ramMib()).isEqualTo(4096);
        assertAllocationMatchesVms();
    }

    @Test
    void unmanagedDomainsAreListedAndCanBeAdoptedIfTheyFit() {
        Host host = enabledHost("kvm-1", kvm8Uri);
        Vm managed = compute.createVm(request("managed", tenant, 1, 512));
        String legacy = UUID.randomUUID().toString();
        connection(kvm8Uri).define(new de.sid.verbund.compute.spi.DomainSpec(legacy, "Legacy_DB", 2, 2048, 1, null,
                "default-pool", "default"));

        assertThat(compute.unmanagedDomains(host.id())).extracting(DomainInfo::uuid).contains(legacy)
                .doesNotContain(managed.id());
        ProblemException badName = catchThrowableOfType(() -> compute.adoptDomain(host.id(), legacy, tenant, "Bad Name"),
                ProblemException.class);
        assertThat(badName.type()).isEqualTo(ProblemType.BAD_REQUEST);

        Vm adopted = compute.adoptDomain(host.id(), legacy, tenant, null);
        assertThat(adopted.id()).isEqualTo(legacy);
        assertThat(adopted.name()).isEqualTo("legacy-db");
        assertThat(adopted.state()).isEqualTo(VmState.STOPPED);
        assertThat(adopted.vcpu()).isEqualTo(2);
        assertThat(load(host.id()).ramMib()).isEqualTo(512 + 2048);
        awaitEvents(legacy, tuple("vm.created", "STOPPED"));
        assertThat(compute.unmanagedDomains(host.id())).extracting(DomainInfo::uuid).doesNotContain(legacy);
        assertThat(compute.start(legacy).state()).isEqualTo(VmState.RUNNING);

        ProblemException again = catchThrowableOfType(() -> compute.adoptDomain(host.id(), legacy, tenant, null),
                ProblemException.class);
        assertThat(again.type()).isEqualTo(ProblemType.CONFLICT);
        ProblemException missing = catchThrowableOfType(
                () -> compute.adoptDomain(host.id(), UUID.randomUUID().toString(), tenant, "x"), ProblemException.class);
        assertThat(missing.type()).isEqualTo(ProblemType.NOT_FOUND);
        String huge = UUID.randomUUID().toString();
        connection(kvm8Uri).define(new de.sid.verbund.compute.spi.DomainSpec(huge, "huge", 2, 15_000, 1, null,
                "default-pool", "default"));
        ProblemException tooBig = catchThrowableOfType(() -> compute.adoptDomain(host.id(), huge, tenant, null),
                ProblemException.class);
        assertThat(tooBig.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(tooBig.getMessage()).contains("does not fit");
        assertAllocationMatchesVms();
    }

    @Test
    void snapshotsAreTakenListedRevertedAndDeleted() {
        enabledHost("kvm-1", kvm8Uri);
        Vm vm = compute.createVm(request("snap", tenant, 1, 512));
        compute.createSnapshot(vm.id(), "before-upgrade");
        assertThat(compute.snapshots(vm.id())).extracting(de.sid.verbund.compute.spi.Snapshot::name)
                .containsExactly("before-upgrade");
        ProblemException badName = catchThrowableOfType(() -> compute.createSnapshot(vm.id(), "Bad Name"), ProblemException.class);
        assertThat(badName.type()).isEqualTo(ProblemType.BAD_REQUEST);
        compute.stop(vm.id());
        assertThat(compute.revertSnapshot(vm.id(), "before-upgrade").state()).isEqualTo(VmState.RUNNING);
        compute.deleteSnapshot(vm.id(), "before-upgrade");
        assertThat(compute.snapshots(vm.id())).isEmpty();
        ProblemException missing = catchThrowableOfType(() -> compute.deleteSnapshot(vm.id(), "nope"), ProblemException.class);
        assertThat(missing.type()).isEqualTo(ProblemType.NOT_FOUND);
    }

    @Test
    void stopStartRebootDeleteDriveTheDomainAndPublishEvents() throws Exception {
        enabledHost("kvm-1", kvm8Uri);
        Vm vm = compute.createVm(request("web-1", tenant, 1, 512));
        HypervisorConnection c = connection(kvm8Uri);
        awaitEvents(vm.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"));

        assertThat(compute.stop(vm.id()).state()).isEqualTo(VmState.STOPPED);
        assertThat(c.domain(vm.id()).orElseThrow().state()).isEqualTo(DomainState.SHUTOFF);
        assertConflict(() -> compute.reboot(vm.id()), "is STOPPED, not RUNNING");
        assertThat(compute.stop(vm.id()).state()).isEqualTo(VmState.STOPPED);

        assertThat(compute.start(vm.id()).state()).isEqualTo(VmState.RUNNING);
        assertThat(c.domain(vm.id()).orElseThrow().state()).isEqualTo(DomainState.RUNNING);
        assertThat(compute.reboot(vm.id()).state()).isEqualTo(VmState.RUNNING);
        assertThat(c.domain(vm.id()).orElseThrow().state()).isEqualTo(DomainState.RUNNING);
        awaitEvents(vm.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"),
                tuple("vm.state-changed", "STOPPED"), tuple("vm.state-changed", "RUNNING"));

        String domainName = c.domain(vm.id()).orElseThrow().name();
        Vm deleted = compute.delete(vm.id());

        assertThat(deleted.state()).isEqualTo(VmState.DELETED);
        assertThat(c.domain(vm.id())).isEmpty();
        assertThat(c.domains()).extracting(DomainInfo::name).doesNotContain(domainName);
        assertThat(volumes(kvm8Uri)).containsExactly("debian-12");
        // the power-off before the undefine may be noticed (resync of the domain's event) before the delete is stored
        List<String> lifecycle = List.of("vm.created STOPPED", "vm.state-changed RUNNING", "vm.state-changed STOPPED",
                "vm.state-changed RUNNING");
        List<String> deletedOnly = new ArrayList<>(lifecycle);
        deletedOnly.add("vm.deleted DELETED");
        List<String> stoppedThenDeleted = new ArrayList<>(lifecycle);
        stoppedThenDeleted.addAll(List.of("vm.state-changed STOPPED", "vm.deleted DELETED"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf(vm.id()).stream()
                .map(e -> e.type() + " " + e.payload().get("state")).toList()).isIn(deletedOnly, stoppedThenDeleted));
        assertThat(load(deleted.hostId()).ramMib()).isZero();
        assertAllocationMatchesVms();

        assertConflict(() -> compute.start(vm.id()), "is DELETED");
        assertConflict(() -> compute.stop(vm.id()), "is DELETED");
        assertConflict(() -> compute.reboot(vm.id()), "is DELETED");
        assertConflict(() -> compute.delete(vm.id()), "is DELETED");
        assertThat(catchThrowableOfType(() -> compute.start(Ids.newId()), ProblemException.class).type())
                .isEqualTo(ProblemType.NOT_FOUND);
        assertThat(catchThrowableOfType(() -> compute.start("web-1"), ProblemException.class).type())
                .isEqualTo(ProblemType.BAD_REQUEST);
    }

    @Test
    void domainNameTakenOnTheHostIsConflictAndTheFailedVmReleasesItsCapacity() {
        // 6144 MiB allocatable: the VM takes it all, so a retry only fits when the failed one let go
        Host host = enabledHost("kvm-1", kvm4Uri);
        String orphan = Ids.newId();
        // the domain name contains the VM's random id, so the orphan is defined through the service's own
        // connection at the moment the name is known: right before the service's define
        provider.hook((uri, c, method, args) -> {
            if (method.equals("define")) {
                DomainSpec spec = (DomainSpec) args[0];
                c.define(new DomainSpec(orphan, spec.name(), 1, 256, 1, null, spec.storagePool(), spec.network()));
            }
        });

        ProblemException e = catchThrowableOfType(() -> compute.createVm(request("web-1", tenant, 2, 6144)),
                ProblemException.class);

        provider.hook(null);
        assertThat(e.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(e.getMessage()).contains("host kvm-1", "orphan domain web-1-", orphan);
        assertThat(e.getCause()).isInstanceOf(de.sid.verbund.compute.spi.ComputeException.class);
        Page<Vm> failed = compute.vms(new VmFilter(tenant, null, VmState.FAILED), 10, null);
        assertThat(failed.items()).singleElement().satisfies(vm -> {
            assertThat(vm.name()).isEqualTo("web-1");
            assertThat(connection(kvm4Uri).domain(vm.id())).isEmpty();
        });
        // the orphan is untouched, and nothing else was created for the failed VM
        assertThat(connection(kvm4Uri).domains()).extracting(DomainInfo::uuid).containsExactly(orphan);
        assertThat(load(host.id()).ramMib()).isZero();
        assertThat(compute.vms(new VmFilter(tenant, null, null), 10, null).items()).extracting(Vm::state)
                .containsExactly(VmState.FAILED);

        Vm retry = compute.createVm(request("web-1", tenant, 2, 6144));

        assertThat(retry.state()).isEqualTo(VmState.RUNNING);
        assertThat(load(host.id()).ramMib()).isEqualTo(6144);
        awaitEvents(retry.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"));
        assertThat(eventsOf(failed.items().get(0).id())).isEmpty();
    }

    // --- refusals --------------------------------------------------------------------------------

    @Test
    void diskIsPlacedByStoragePoolCapacityAndAPoolFilledOutsideVerbundIsConflictNotError() {
        Host host = enabledHost("kvm-1", kvm8Uri);
        long pool = host.diskGib();
        assertThat(pool).as("storage pool capacity read from libvirt").isPositive();

        // placement counts what Verbund's VMs hold in the pool
        Vm big = compute.createVm(new VmRequest("big", tenant, null, 1, 512, (int) pool - 20, null, null, null, null));
        assertThat(load(host.id()).diskGib()).isEqualTo(pool - 20);
        ProblemException full = catchThrowableOfType(() -> compute.createVm(new VmRequest("more", tenant, null, 1, 512, 21,
                null, null, null, null)), ProblemException.class);
        assertThat(full.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(full.getMessage()).contains("no capacity").contains("kvm-1: disk " + (pool - 20) + "/" + pool
                + " GiB allocated in the storage pool, needs 21 (free 20)");

        // a volume created behind Verbund's back takes the rest: libvirt's "no space" is a conflict, and nothing is left
        connection(kvm8Uri).define(new DomainSpec(UUID.randomUUID().toString(), "foreign", 1, 256, 15, null,
                "default-pool", "default"));
        ProblemException noSpace = catchThrowableOfType(() -> compute.createVm(new VmRequest("late", tenant, null, 1, 512,
                10, null, null, null, null)), ProblemException.class);
        assertThat(noSpace.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(noSpace.getMessage()).containsIgnoringCase("space");
        assertThat(compute.vms(new VmFilter(tenant, null, VmState.FAILED), 10, null).items()).extracting(Vm::name)
                .containsExactly("late");
        assertThat(load(host.id()).diskGib()).isEqualTo(pool - 20);
        assertThat(connection(kvm8Uri).domains()).extracting(DomainInfo::name).noneMatch(n -> n.startsWith("late"));
        // the refusal taught placement what the foreign volume takes: the next request is refused up front
        assertThat(compute.host(host.id()).orElseThrow().diskGib()).isEqualTo(pool - 15);
        ProblemException known = catchThrowableOfType(() -> compute.createVm(new VmRequest("later", tenant, null, 1, 512,
                10, null, null, null, null)), ProblemException.class);
        assertThat(known.getMessage()).contains("no capacity").contains("kvm-1: disk " + (pool - 20) + "/" + (pool - 15));
        assertThat(compute.vms(new VmFilter(tenant, null, VmState.FAILED), 10, null).items()).extracting(Vm::name)
                .containsExactly("late");

        // deleting gives the disk back
        compute.delete(big.id());
        assertThat(load(host.id()).diskGib()).isZero();
        assertAllocationMatchesVms();
    }

    @Test
    void aCreateAbandonedMidWayIsCleanedUpByTheResync() {
        Host host = enabledHost("kvm-1", kvm8Uri);
        // a node reserved capacity and defined the domain, then died before storing the result
        Vm stale = new Vm(Ids.newId(), "stale", tenant, null, host.id(), VmState.PROVISIONING, 2, 1024, 10, null,
                java.time.Instant.now().minus(ComputeServiceImpl.PROVISIONING_TIMEOUT).minusSeconds(60)
                        .truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(compute.store().reserve(stale, l -> true, null)).isTrue();
        // one that is still being created is left alone
        Vm fresh = new Vm(Ids.newId(), "fresh", tenant, null, host.id(), VmState.PROVISIONING, 1, 512, 1, null,
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(compute.store().reserve(fresh, l -> true, null)).isTrue();
        assertThat(load(host.id()).ramMib()).isEqualTo(1536);
        // its domain was defined (the lifecycle event of this define may already start the clean-up)
        connection(kvm8Uri).define(new DomainSpec(stale.id(), "stale-x", 2, 1024, 10, null, "default-pool", "default"));

        compute.resync(host.id());

        assertThat(compute.vm(stale.id()).orElseThrow().state()).isEqualTo(VmState.FAILED);
        assertThat(connection(kvm8Uri).domain(stale.id())).isEmpty();
        assertThat(compute.vm(fresh.id()).orElseThrow().state()).isEqualTo(VmState.PROVISIONING);
        assertThat(load(host.id()).ramMib()).isEqualTo(512);
        assertThat(eventsOf(stale.id())).isEmpty();
        assertAllocationMatchesVms();
    }

    @Test
    void dryRunHonoursTheAuthoritysAntiAffinityGroupAndNeedsTheAuthorityForIt() {
        Host a = enabledHost("kvm-a", kvm8Uri);
        Host b = enabledHost("kvm-b", kvm4Uri);
        Vm member = compute.createVm(new VmRequest("db-1", tenant, null, 1, 512, 10, null, "db", null, null));
        de.sid.verbund.compute.PlacementRequest pr = new de.sid.verbund.compute.PlacementRequest(1, 512, 10, "db", null, null);
        var d = compute.dryRun(pr, tenant);
        assertThat(d.hostId()).isNotEqualTo(member.hostId());
        assertThat(d.explain()).contains("already holds a VM of anti-affinity group db");
        // another authority's group of that name is its own
        assertThat(compute.dryRun(pr, otherTenant).verdicts()).allMatch(v -> v.fits());
        assertThat(catchThrowableOfType(() -> compute.dryRun(pr, null), ProblemException.class).type())
                .isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(List.of(a.id(), b.id())).contains(d.hostId());
    }

    @Test
    void aFailedVmCanBeDeletedAndAStaleSnapshotOrDomainIsNotAServerError() {
        enabledHost("kvm-1", kvm8Uri);
        ProblemException bad = catchThrowableOfType(() -> compute.createVm(new VmRequest("no-image", tenant, null, 1, 512, 10,
                "no-such-image", null, null, null)), ProblemException.class);
        assertThat(bad.type()).isEqualTo(ProblemType.BAD_REQUEST);
        Vm failed = compute.vms(new VmFilter(tenant, null, VmState.FAILED), 10, null).items().get(0);
        assertThat(compute.delete(failed.id()).state()).isEqualTo(VmState.DELETED);
        assertThat(compute.vm(failed.id()).orElseThrow().state()).isEqualTo(VmState.DELETED);
        assertThat(eventsOf(failed.id())).isEmpty();

        Vm vm = compute.createVm(request("web-1", tenant, 1, 512));
        compute.createSnapshot(vm.id(), "s1");
        assertThat(catchThrowableOfType(() -> compute.createSnapshot(vm.id(), "s1"), ProblemException.class).type())
                .isEqualTo(ProblemType.CONFLICT);
        assertThat(catchThrowableOfType(() -> compute.revertSnapshot(vm.id(), "nope"), ProblemException.class).type())
                .isEqualTo(ProblemType.NOT_FOUND);
        assertThat(catchThrowableOfType(() -> compute.deleteSnapshot(vm.id(), "nope"), ProblemException.class).type())
                .isEqualTo(ProblemType.NOT_FOUND);
        ProblemException longOffering = catchThrowableOfType(() -> compute.createVm(new VmRequest("x", tenant, "x".repeat(5000),
                1, 512, 10, null, null, null, null)), ProblemException.class);
        assertThat(longOffering.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(longOffering.getMessage()).contains("offeringId must be an offering code");
    }

    @Test
    void requestThatFitsNowhereIsConflictWithEveryHostsReason() {
        ProblemException none = catchThrowableOfType(() -> compute.createVm(request("web-1", tenant, 1, 512)),
                ProblemException.class);
        assertThat(none.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(none.getMessage()).contains("no hosts are registered");

        enabledHost("kvm-8", kvm8Uri);
        enabledHost("kvm-4", kvm4Uri);

        ProblemException e = catchThrowableOfType(() -> compute.createVm(request("big", tenant, 40, 20_000)),
                ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(e.getMessage()).contains("no capacity for 40 vCPU, 20000 MiB",
                "kvm-4: RAM 0/6144 MiB allocated after overcommit and reserve, needs 20000 (free 6144)",
                "vCPU 0/16 allocated after overcommit 4.0, needs 40 (free 16)",
                "kvm-8: RAM 0/14336 MiB allocated after overcommit and reserve, needs 20000 (free 14336)",
                "vCPU 0/32 allocated after overcommit 4.0, needs 40 (free 32)");
        assertThat(compute.vms(new VmFilter(null, null, null), 10, null).items()).isEmpty();
        assertThat(connection(kvm8Uri).domains()).isEmpty();
        assertThat(connection(kvm4Uri).domains()).isEmpty();
    }

    @Test
    void invalidRequestIsBadRequestListingEveryError() {
        enabledHost("kvm-1", kvm8Uri);

        ProblemException e = catchThrowableOfType(() -> compute.createVm(new VmRequest("Web_1", "tenant-a", null, 0, 100,
                0, "debian 12", "Group!", null, null)), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(e.errors()).containsExactlyInAnyOrder(
                "name must be 1-63 characters of a-z, 0-9 and '-', not starting or ending with '-'",
                "tenantId must be a UUID",
                "vcpu must be 1..64",
                "ramMib must be 256..1048576",
                "diskGib must be 1..16384",
                "image must be a volume name of letters, digits, '.', '_', '-'",
                "antiAffinityGroup must be 1-63 characters of a-z, 0-9 and '-'");
        assertThat(e.getMessage()).startsWith("invalid VM: ");

        ProblemException tenantOnly = catchThrowableOfType(() -> compute.createVm(request("web-1", "tenant-a", 1, 512)),
                ProblemException.class);
        assertThat(tenantOnly.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(tenantOnly.errors()).containsExactly("tenantId must be a UUID");
        ProblemException missing = catchThrowableOfType(() -> compute.createVm(request("-web", null, 65, 2_000_000)),
                ProblemException.class);
        assertThat(missing.errors()).hasSize(4).contains("tenantId is required");

        assertThat(compute.vms(new VmFilter(null, null, null), 10, null).items()).isEmpty();
        assertThat(connection(kvm8Uri).domains()).isEmpty();
    }

    @Test
    void vmNameIsUniquePerTenantAmongLiveVms() {
        enabledHost("kvm-1", kvm8Uri);
        Vm first = compute.createVm(request("web-1", tenant, 1, 512));

        ProblemException e = catchThrowableOfType(() -> compute.createVm(request("web-1", tenant, 1, 512)),
                ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(e.getMessage()).contains("'web-1'");
        assertThat(compute.createVm(request("web-1", otherTenant, 1, 512)).state()).isEqualTo(VmState.RUNNING);
        compute.delete(first.id());
        assertThat(compute.createVm(request("web-1", tenant, 1, 512)).state()).isEqualTo(VmState.RUNNING);
        assertThat(compute.vms(new VmFilter(tenant, null, null), 10, null).items()).hasSize(1);
        assertThat(connection(kvm8Uri).domains()).hasSize(2);
    }

    // --- reconciliation --------------------------------------------------------------------------

    @Test
    void domainStoppedBehindVerbundsBackIsStoppedAfterResync() {
        Host host = enabledHost("kvm-1", kvm8Uri);
        Vm vm = compute.createVm(request("web-1", tenant, 1, 512));
        awaitEvents(vm.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"));

        connection(kvm8Uri).destroy(vm.id());
        compute.resyncVm(host.id(), vm.id());

        assertThat(compute.vm(vm.id()).orElseThrow().state()).isEqualTo(VmState.STOPPED);
        awaitEvents(vm.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"),
                tuple("vm.state-changed", "STOPPED"));
        // stopped still holds its capacity, and it can be started again
        assertThat(load(host.id()).ramMib()).isEqualTo(512);
        assertThat(compute.start(vm.id()).state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void domainChangeOnTheHostReachesVerbundWithoutAnExplicitResync() {
        enabledHost("kvm-1", kvm8Uri);
        Vm vm = compute.createVm(request("web-1", tenant, 1, 512));

        connection(kvm8Uri).destroy(vm.id());

        await().atMost(WAIT).until(() -> compute.vm(vm.id()).orElseThrow().state(), s -> s == VmState.STOPPED);
        awaitEvents(vm.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"),
                tuple("vm.state-changed", "STOPPED"));
    }

    @Test
    void aHostThatListsNoneOfItsVmsMakesThemUnknownNotDeleted() {
        provider.actAsRealHypervisor(); // a test-driver host would get its VMs defined again (next test)
        Host host = enabledHost("kvm-1", kvm8Uri);
        Vm a = compute.createVm(request("web-1", tenant, 1, 512));
        Vm b = compute.createVm(request("web-2", tenant, 1, 512));
        awaitEvents(b.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"));
        int before = events.size();
        // the connection dies; the reconnect reaches a hypervisor that has none of the domains (every
        // connection to a test-driver node file is a fresh one; here it stands for a real host behind a
        // wrong URI)
        connection(kvm8Uri).close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(provider.handedOut(kvm8Uri)).hasSize(2));
        awaitEnabled(host.id());
        await().atMost(WAIT).untilAsserted(() -> assertThat(List.of(compute.vm(a.id()).orElseThrow().state(),
                compute.vm(b.id()).orElseThrow().state())).containsOnly(VmState.UNKNOWN));
        compute.resync(host.id());
        assertThat(compute.vm(a.id()).orElseThrow().state()).isEqualTo(VmState.UNKNOWN);
        assertThat(events.subList(before, events.size())).extracting(DomainEvent::type).doesNotContain("vm.deleted");
        // an operator deletes what is gone; its capacity is released then
        assertThat(compute.delete(a.id()).state()).isEqualTo(VmState.DELETED);
        assertThat(compute.delete(b.id()).state()).isEqualTo(VmState.DELETED);
        assertThat(load(host.id()).ramMib()).isZero();
    }

    @Test
    void aTestDriverHostThatForgotItsDomainsGetsThemDefinedAgain() {
        Host host = enabledHost("kvm-1", kvm8Uri);
        Vm a = compute.createVm(request("web-1", tenant, 1, 512));
        Vm b = compute.createVm(request("web-2", tenant, 1, 512));
        awaitEvents(b.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"));
        int before = events.size();
        // the connection dies (the VMs are UNKNOWN meanwhile); the reconnect reaches a new, empty
        // test-driver hypervisor, where the VMs are defined again: shut off, since while UNKNOWN
        // nobody knows whether they ran
        connection(kvm8Uri).close();
        await().atMost(WAIT).untilAsserted(() -> assertThat(provider.handedOut(kvm8Uri)).hasSize(2));
        awaitEnabled(host.id());
        await().atMost(WAIT).untilAsserted(() -> assertThat(List.of(compute.vm(a.id()).orElseThrow().state(),
                compute.vm(b.id()).orElseThrow().state())).containsOnly(VmState.STOPPED));
        assertThat(connection(kvm8Uri).domains()).extracting(DomainInfo::uuid).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(compute.start(a.id()).state()).isEqualTo(VmState.RUNNING);
        assertThat(events.subList(before, events.size())).extracting(DomainEvent::type).doesNotContain("vm.deleted");
        assertThat(load(host.id()).ramMib()).isEqualTo(1024);
    }

    @Test
    void domainUndefinedBehindVerbundsBackIsDeletedAfterResync() {
        Host host = enabledHost("kvm-1", kvm8Uri);
        Vm vm = compute.createVm(request("web-1", tenant, 1, 512));
        Vm keep = compute.createVm(request("web-2", tenant, 1, 512));
        awaitEvents(vm.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"));

        HypervisorConnection c = connection(kvm8Uri);
        c.destroy(vm.id());
        c.undefine(vm.id(), true);
        compute.resync(host.id());

        assertThat(compute.vm(vm.id()).orElseThrow().state()).isEqualTo(VmState.DELETED);
        assertThat(compute.vm(keep.id()).orElseThrow().state()).isEqualTo(VmState.RUNNING);
        await().atMost(WAIT).untilAsserted(() -> assertThat(eventsOf(vm.id())).extracting(DomainEvent::type)
                .endsWith("vm.deleted").containsOnlyOnce("vm.deleted"));
        assertThat(load(host.id()).ramMib()).isEqualTo(512);
        assertConflict(() -> compute.start(vm.id()), "is DELETED");
    }

    @Test
    void lostHostConnectionMakesHostDownAndVmsUnknownUntilItReconnectsAndResyncs() {
        Host host = enabledHost("default", DEFAULT_URI, 0L);
        Vm running = compute.createVm(new VmRequest("web-1", tenant, null, 1, 256, 1, null, null, null, null));
        Vm stopped = compute.createVm(new VmRequest("web-2", tenant, null, 1, 256, 1, null, null, null, null));
        compute.stop(stopped.id());
        awaitEvents(stopped.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"),
                tuple("vm.state-changed", "STOPPED"));
        int before = events.size();

        // the service's libvirt connection dies; the keepalive check (1 s) notices and drops it
        connection(DEFAULT_URI).close();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
            assertThat(compute.host(host.id()).orElseThrow().state()).isEqualTo(HostState.DOWN);
            assertThat(compute.vms(new VmFilter(tenant, null, null), 10, null).items()).extracting(Vm::state)
                    .containsOnly(VmState.UNKNOWN);
        });
        // meanwhile the running domain is powered off on the host (a separate client of the same hypervisor)
        defaultHost.destroy(running.id());

        Host back = awaitEnabled(host.id());
        assertThat(back.cpuCores()).isEqualTo(host.cpuCores());
        assertThat(provider.handedOut(DEFAULT_URI)).hasSizeGreaterThanOrEqualTo(2);
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(compute.vm(running.id()).orElseThrow().state()).isEqualTo(VmState.STOPPED);
            assertThat(compute.vm(stopped.id()).orElseThrow().state()).isEqualTo(VmState.STOPPED);
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(events.subList(before, events.size()))
                .extracting(e -> e.payload().get("vmId"), DomainEvent::type, e -> e.payload().get("state"))
                .contains(tuple(running.id(), "vm.state-changed", "STOPPED"),
                        tuple(stopped.id(), "vm.state-changed", "STOPPED")));
        // the outage was announced once, and the return too
        await().atMost(WAIT).untilAsserted(() -> assertThat(hostEvents)
                .filteredOn(e -> host.id().equals(e.payload().get("hostId")))
                .extracting(DomainEvent::type).containsExactly("host.down", "host.up"));
        // and the host is usable again through the new connection
        assertThat(compute.start(running.id()).state()).isEqualTo(VmState.RUNNING);
        assertThat(defaultHost.domain(running.id()).orElseThrow().state()).isEqualTo(DomainState.RUNNING);
    }

    // --- listing ---------------------------------------------------------------------------------

    @Test
    void vmsArePagedByCursorAndFilteredByTenantHostAndState() {
        Host a = enabledHost("kvm-a", kvm8Uri);
        Host b = enabledHost("kvm-b", kvm8Uri);
        List<Vm> created = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            // 1 GiB disks: the test driver gives every pool 100 GiB, whatever the node file says
            created.add(compute.createVm(new VmRequest("vm-" + i, i % 3 == 0 ? otherTenant : tenant, null, 1, 256, 1,
                    null, null, null, null)));
        }
        for (Vm vm : created.subList(0, 5)) {
            compute.stop(vm.id());
        }
        compute.delete(created.get(29).id());

        List<Vm> all = walk(new VmFilter(null, null, null), 10);
        assertThat(all).hasSize(29).extracting(Vm::id).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(created.subList(0, 29).stream().map(Vm::id).toList());
        assertThat(all).isSortedAccordingTo((x, y) -> y.createdAt().compareTo(x.createdAt()) != 0
                ? y.createdAt().compareTo(x.createdAt()) : y.id().compareTo(x.id()));
        Page<Vm> first = compute.vms(new VmFilter(null, null, null), 10, null);
        assertThat(first.items()).hasSize(10);
        Page<Vm> third = compute.vms(new VmFilter(null, null, null), 10,
                compute.vms(new VmFilter(null, null, null), 10, first.nextCursor()).nextCursor());
        assertThat(third.items()).hasSize(9);
        assertThat(third.nextCursor()).isNull();

        assertThat(walk(new VmFilter(tenant, null, null), 10)).hasSize(19).allMatch(vm -> vm.tenantId().equals(tenant));
        assertThat(walk(new VmFilter(otherTenant, null, null), 4)).hasSize(10)
                .allMatch(vm -> vm.tenantId().equals(otherTenant));
        List<Vm> onA = walk(new VmFilter(null, a.id(), null), 10);
        List<Vm> onB = walk(new VmFilter(null, b.id(), null), 10);
        assertThat(onA).isNotEmpty().allMatch(vm -> vm.hostId().equals(a.id()));
        assertThat(onB).isNotEmpty().allMatch(vm -> vm.hostId().equals(b.id()));
        assertThat(onA.size() + onB.size()).isEqualTo(29);
        assertThat(walk(new VmFilter(null, null, VmState.STOPPED), 2)).extracting(Vm::id)
                .containsExactlyInAnyOrderElementsOf(created.subList(0, 5).stream().map(Vm::id).toList());
        assertThat(walk(new VmFilter(null, null, VmState.RUNNING), 10)).hasSize(24);
        assertThat(walk(new VmFilter(null, null, VmState.DELETED), 10)).extracting(Vm::id)
                .containsExactly(created.get(29).id());
        assertThat(walk(new VmFilter(otherTenant, a.id(), VmState.STOPPED), 10))
                .allMatch(vm -> vm.tenantId().equals(otherTenant) && vm.hostId().equals(a.id())
                        && vm.state() == VmState.STOPPED);

        assertThat(catchThrowableOfType(() -> compute.vms(new VmFilter(null, null, null), 10, "garbage"),
                ProblemException.class).type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(catchThrowableOfType(() -> compute.vms(new VmFilter("x", null, null), 10, null),
                ProblemException.class).type()).isEqualTo(ProblemType.BAD_REQUEST);
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** @return the connection the service currently holds to that URI (the real one) */
    private HypervisorConnection connection(String uri) {
        return provider.latest(uri);
    }

    private List<String> volumes(String uri) throws Exception {
        return ComputeFixture.volumes(connection(uri));
    }

    private Host enabledHost(String name, String uri) {
        return enabledHost(name, uri, null);
    }

    private Host enabledHost(String name, String uri, Long reserve) {
        return awaitEnabled(compute.registerHost(new NewHost(name, uri, "ber-1", null, null, reserve)).id());
    }

    private Host awaitEnabled(String hostId) {
        return awaitHost(compute, hostId, HostState.ENABLED, WAIT);
    }

    private static VmRequest request(String name, String tenantId, int vcpu, long ramMib) {
        return new VmRequest(name, tenantId, null, vcpu, ramMib, 10, "debian-12", null, null, null);
    }

    /** The totals kept on the host rows are what the VMs holding capacity add up to. */
    private void assertAllocationMatchesVms() {
        Map<String, long[]> sums = compute.store().allocationFromVms();
        for (HostLoad l : compute.store().loads()) {
            long[] s = sums.getOrDefault(l.host().id(), new long[3]);
            assertThat(new long[] {l.vcpu(), l.ramMib(), l.diskGib()}).as(l.host().name()).containsExactly(s);
        }
    }

    private HostLoad load(String hostId) {
        return compute.store().loads().stream().filter(l -> l.host().id().equals(hostId)).findFirst().orElseThrow();
    }

    private List<Vm> walk(VmFilter filter, int limit) {
        List<Vm> all = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        do {
            Page<Vm> page = compute.vms(filter, limit, cursor);
            assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
            all.addAll(page.items());
            cursor = page.nextCursor();
            assertThat(cursor == null || cursors.add(cursor)).as("cursor repeats").isTrue();
        } while (cursor != null);
        assertThat(all).extracting(Vm::id).doesNotHaveDuplicates();
        return all;
    }

    private List<DomainEvent> eventsOf(String vmId) {
        return eventsOfVm(events, vmId);
    }

    private void awaitEvents(String vmId, org.assertj.core.groups.Tuple... expected) {
        awaitEventsOfVm(events, vmId, WAIT, expected);
    }

    private static long number(DomainEvent e, String key) {
        return ((Number) e.payload().get(key)).longValue();
    }

    private static void assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String text) {
        ProblemException e = catchThrowableOfType(call, ProblemException.class);
        assertThat(e).as("expected CONFLICT").isNotNull();
        assertThat(e.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(e.getMessage()).contains(text);
    }
}

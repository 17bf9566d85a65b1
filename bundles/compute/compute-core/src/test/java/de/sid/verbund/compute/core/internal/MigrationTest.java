package de.sid.verbund.compute.core.internal;

import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitEventsOfVm;
import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitHost;
import static de.sid.verbund.compute.core.internal.ComputeFixture.eventsOfVm;
import static de.sid.verbund.compute.core.internal.ComputeFixture.testDriverCopy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.Evacuation;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.spi.ComputeException;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.DomainSpec;
import de.sid.verbund.compute.spi.DomainState;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold migration and host evacuation end to end without mocks: embedded H2, a real embedded
 * Artemis broker, and the real libvirt provider on libvirt's in-process test driver.
 *
 * <p>As in {@link ComputeServiceImplTest}: every connection to a test-driver node file is a
 * hypervisor of its own, so the test looks at hosts through the very connections the service was
 * handed (a {@link TestDriverProvider} keeps them). Each host here gets its own copy of a node
 * file, so every host has its own URI. The provider can run a hook before a call on those
 * connections, to change things on a host at a chosen moment of a migration or to make a call fail.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MigrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ComputeFixture fixture = new ComputeFixture();

    @TempDir
    Path dir;
    private ComputeServiceImpl compute;
    /** The real provider; keeps the real connections the service was handed, runs the hook before each call. */
    private TestDriverProvider provider;
    private List<DomainEvent> events;
    private final String tenant = Ids.newId();

    @BeforeEach
    void setUp() {
        events = fixture.events("migration-test", e -> tenant.equals(e.tenantId()));
        provider = new TestDriverProvider(fixture.libvirt());
        compute = fixture.service(fixture.database(dir), provider,
                Configs.of(ComputeConfig.class, "keepalive_check_s", 1L, "stop_timeout_s", 5));
    }

    @AfterEach
    void tearDown() {
        // the service is closed after this, without a hook
        provider.hook(null);
    }

    // --- migrate ---------------------------------------------------------------------------------

    @Test
    void stoppedVmMovesToTheTargetWithItsUuidNameAndCapacity() throws Exception {
        Host kvm1 = host("kvm-1", "kvm8.xml");
        Host kvm2 = host("kvm-2", "kvm4.xml");
        Vm vm = stopped(compute.createVm(request("web-1", 2, 2048, null)));
        assertThat(vm.hostId()).isEqualTo(kvm1.id());
        DomainInfo before = connection(kvm1).domain(vm.id()).orElseThrow();
        String mac = macOf(connection(kvm1).domainXml(vm.id()));

        Vm moved = compute.migrate(vm.id(), kvm2.id());

        assertThat(moved.hostId()).isEqualTo(kvm2.id());
        assertThat(moved.state()).isEqualTo(VmState.STOPPED);
        assertThat(compute.vm(vm.id())).contains(moved);
        assertThat(connection(kvm1).domain(vm.id())).isEmpty();
        assertThat(volumes(kvm1)).containsExactly("debian-12");
        assertThat(connection(kvm2).domain(vm.id())).contains(before);
        assertThat(macOf(connection(kvm2).domainXml(vm.id()))).isEqualTo(mac);
        assertThat(volumes(kvm2)).containsExactlyInAnyOrder("debian-12", before.name() + ".qcow2");
        assertThat(load(kvm1)).extracting(HostLoad::vcpu, HostLoad::ramMib).containsExactly(0L, 0L);
        assertThat(load(kvm2)).extracting(HostLoad::vcpu, HostLoad::ramMib).containsExactly(2L, 2048L);
        // the reservation that held the room on kvm-2 is gone: one VM, on its new host
        assertThat(compute.vms(new VmFilter(tenant, null, null), 10, null).items()).containsExactly(moved);
        assertThat(compute.unmanagedDomains(kvm1.id())).isEmpty();
        assertThat(compute.unmanagedDomains(kvm2.id())).isEmpty();
        awaitEvents(vm.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"),
                tuple("vm.state-changed", "STOPPED"), tuple("vm.migrated", "STOPPED"));
        DomainEvent migrated = eventsOf(vm.id()).get(3);
        assertThat(migrated.tenantId()).isEqualTo(tenant);
        assertThat(migrated.payload()).containsEntry("vmId", vm.id()).containsEntry("name", "web-1")
                .containsEntry("hostId", kvm2.id()).containsEntry("fromHostId", kvm1.id());
        assertThat(((Number) migrated.payload().get("ramMib")).longValue()).isEqualTo(2048);

        // the undefine on kvm-1 reaches Verbund as a domain event and a resync: the VM is elsewhere, so it stays
        compute.resyncAll();
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> compute.vm(vm.id()).orElseThrow(),
                v -> v.state() == VmState.STOPPED && v.hostId().equals(kvm2.id()));
        assertThat(eventsOf(vm.id())).hasSize(4);
        assertThat(compute.start(vm.id()).state()).isEqualTo(VmState.RUNNING);
        assertThat(connection(kvm2).domain(vm.id()).orElseThrow().state()).isEqualTo(DomainState.RUNNING);
    }

    @Test
    void placementChoosesAnotherHostNeverTheVmsOwn() {
        Host kvm1 = host("kvm-1", "kvm8.xml");
        Host kvm2 = host("kvm-2", "kvm4.xml");
        Host kvm3 = host("kvm-3", "kvm4.xml");
        compute.setMaintenance(kvm3.id(), true);
        // kvm-1 has by far the most room, yet it is the VM's own host
        Vm vm = stopped(compute.createVm(request("web-1", 1, 1024, null)));
        assertThat(vm.hostId()).isEqualTo(kvm1.id());

        Vm moved = compute.migrate(vm.id(), null);

        assertThat(moved.hostId()).isEqualTo(kvm2.id());
        assertThat(connection(kvm2).domain(vm.id())).isPresent();
        assertThat(connection(kvm1).domain(vm.id())).isEmpty();
        assertThat(connection(kvm3).domain(vm.id())).isEmpty();
    }

    @Test
    void runningVmIsRefusedAndNothingChanges() {
        Host kvm1 = host("kvm-1", "kvm8.xml");
        Host kvm2 = host("kvm-2", "kvm4.xml");
        Vm vm = compute.createVm(request("web-1", 1, 1024, null));

        assertConflict(() -> compute.migrate(vm.id(), kvm2.id()), "VM web-1 is RUNNING", "STOPPED");

        assertThat(compute.vm(vm.id()).orElseThrow().hostId()).isEqualTo(kvm1.id());
        assertThat(connection(kvm1).domain(vm.id()).orElseThrow().state()).isEqualTo(DomainState.RUNNING);
        assertThat(connection(kvm2).domains()).isEmpty();
        assertThat(load(kvm2).ramMib()).isZero();
    }

    @Test
    void targetWithoutRoomIsConflictWithTheReasonAndNothingChanges() throws Exception {
        // kvm-2 first, filled to its 6144 MiB; then kvm-1, where web-1 lands
        Host kvm2 = host("kvm-2", "kvm4.xml");
        compute.createVm(request("filler", 1, 6144, null));
        Host kvm1 = host("kvm-1", "kvm8.xml");
        Vm vm = stopped(compute.createVm(request("web-1", 2, 2048, null)));
        assertThat(vm.hostId()).isEqualTo(kvm1.id());

        assertConflict(() -> compute.migrate(vm.id(), kvm2.id()), "VM web-1 (2 vCPU, 2048 MiB) does not fit host kvm-2",
                "RAM 6144/6144 MiB allocated", "needs 2048");
        assertConflict(() -> compute.migrate(vm.id(), null), "no other host has room for VM web-1", "kvm-2: RAM 6144/6144");

        assertThat(compute.vm(vm.id()).orElseThrow().hostId()).isEqualTo(kvm1.id());
        assertThat(connection(kvm1).domain(vm.id())).isPresent();
        assertThat(connection(kvm2).domain(vm.id())).isEmpty();
        assertThat(volumes(kvm2)).hasSize(2);
        assertThat(load(kvm1).ramMib()).isEqualTo(2048);
        assertThat(load(kvm2).ramMib()).isEqualTo(6144);
        assertThat(compute.vms(new VmFilter(tenant, null, null), 10, null).items()).hasSize(2);
        assertThat(eventsOf(vm.id())).extracting(DomainEvent::type).doesNotContain("vm.migrated");
    }

    @Test
    void invalidTargetsAreRefused() {
        Host kvm1 = host("kvm-1", "kvm8.xml");
        Host kvm2 = host("kvm-2", "kvm4.xml");
        Host down = compute.registerHost(new NewHost("vbox-1", "vbox:///session", "ber-1", null, null, null));
        Vm vm = stopped(compute.createVm(request("web-1", 1, 1024, "web")));

        assertConflict(() -> compute.migrate(vm.id(), kvm1.id()), "VM web-1 is already on host kvm-1");
        assertProblem(() -> compute.migrate(vm.id(), down.id()), ProblemType.UNAVAILABLE, "host vbox-1 is DOWN");
        assertProblem(() -> compute.migrate(vm.id(), Ids.newId()), ProblemType.NOT_FOUND, "no host");
        assertProblem(() -> compute.migrate(Ids.newId(), kvm2.id()), ProblemType.NOT_FOUND, "no VM");
        compute.setMaintenance(kvm2.id(), true);
        assertConflict(() -> compute.migrate(vm.id(), kvm2.id()), "host kvm-2 is in MAINTENANCE");
        compute.setMaintenance(kvm2.id(), false);
        // anti-affinity: kvm-2 holds another VM of the group
        compute.createVm(new VmRequest("web-2", tenant, null, 1, 512, 10, "debian-12", "web", null, null));
        assertConflict(() -> compute.migrate(vm.id(), kvm2.id()), "does not fit host kvm-2",
                "already holds a VM of anti-affinity group web");
        compute.createSnapshot(vm.id(), "before-move");
        assertConflict(() -> compute.migrate(vm.id(), null), "has 1 snapshot(s) (before-move)", "delete them first");

        assertThat(compute.vm(vm.id()).orElseThrow().hostId()).isEqualTo(kvm1.id());
        assertThat(connection(kvm2).domain(vm.id())).isEmpty();
        assertThat(load(kvm2).ramMib()).isEqualTo(512);
    }

    @Test
    void failedDefinitionOnTheTargetChangesNothingOnTheSource() throws Exception {
        Host kvm1 = host("kvm-1", "kvm8.xml");
        Host kvm2 = host("kvm-2", "kvm4.xml");
        Vm vm = stopped(compute.createVm(request("web-1", 2, 2048, null)));
        String domainName = connection(kvm1).domain(vm.id()).orElseThrow().name();
        // an orphan on kvm-2 holds the domain's name
        String orphan = Ids.newId();
        connection(kvm2).define(new DomainSpec(orphan, domainName, 1, 256, 1, null, "default-pool", "default"));

        ProblemException e = assertConflict(() -> compute.migrate(vm.id(), kvm2.id()), "host kvm-2", "the name is taken by domain "
                + domainName, orphan);

        assertThat(e.getCause()).isInstanceOf(ComputeException.class);
        assertThat(compute.vm(vm.id()).orElseThrow()).satisfies(v -> {
            assertThat(v.hostId()).isEqualTo(kvm1.id());
            assertThat(v.state()).isEqualTo(VmState.STOPPED);
        });
        assertThat(connection(kvm1).domain(vm.id()).orElseThrow().state()).isEqualTo(DomainState.SHUTOFF);
        assertThat(volumes(kvm1)).containsExactlyInAnyOrder("debian-12", domainName + ".qcow2");
        assertThat(connection(kvm2).domains()).extracting(DomainInfo::uuid).containsExactly(orphan);
        assertThat(volumes(kvm2)).containsExactlyInAnyOrder("debian-12", domainName + ".qcow2");
        // the reservation was released
        assertThat(load(kvm2).ramMib()).isEqualTo(0);
        assertThat(compute.vms(new VmFilter(tenant, null, null), 10, null).items()).extracting(Vm::id)
                .containsExactly(vm.id());
        assertThat(eventsOf(vm.id())).extracting(DomainEvent::type).doesNotContain("vm.migrated");
        // and the VM still works where it is
        assertThat(compute.start(vm.id()).state()).isEqualTo(VmState.RUNNING);
    }

    @Test
    void whileMigratingTheReservationHoldsTheRoomAndTheVmRefusesOtherOperations() {
        Host kvm1 = host("kvm-1", "kvm8.xml");
        Host kvm2 = host("kvm-2", "kvm4.xml");
        Vm vm = stopped(compute.createVm(request("web-1", 2, 2048, null)));
        AtomicReference<List<Vm>> listed = new AtomicReference<>();
        AtomicReference<ProblemException> startRefused = new AtomicReference<>();
        AtomicReference<Long> targetLoad = new AtomicReference<>();
        provider.hook((uri, real, method, args) -> {
            if (method.equals("importDomain")) {
                listed.set(compute.vms(new VmFilter(tenant, null, null), 10, null).items());
                targetLoad.set(load(kvm2).ramMib());
                startRefused.set(catchThrowableOfType(() -> compute.start(vm.id()), ProblemException.class));
            }
        });

        compute.migrate(vm.id(), kvm2.id());

        assertThat(targetLoad.get()).isEqualTo(2048);
        assertThat(listed.get()).extracting(Vm::name, Vm::state, Vm::hostId).containsExactlyInAnyOrder(
                tuple("web-1", VmState.STOPPED, kvm1.id()), tuple("web-1", VmState.PROVISIONING, kvm2.id()));
        Vm reservation = listed.get().stream().filter(v -> v.state() == VmState.PROVISIONING).findFirst().orElseThrow();
        assertThat(startRefused.get().type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(startRefused.get().getMessage()).contains("VM web-1 is being migrated to host kvm-2");
        assertThat(compute.vm(reservation.id())).isEmpty();
        assertThat(compute.vms(new VmFilter(tenant, null, null), 10, null).items()).extracting(Vm::id)
                .containsExactly(vm.id());
        assertThat(compute.stop(vm.id()).state()).isEqualTo(VmState.STOPPED);
    }

    @Test
    void domainStartedOnTheSourceDuringTheMigrationStopsItBeforeTheMove() {
        Host kvm1 = host("kvm-1", "kvm8.xml");
        Host kvm2 = host("kvm-2", "kvm4.xml");
        Vm vm = stopped(compute.createVm(request("web-1", 1, 1024, null)));
        HypervisorConnection source = connection(kvm1);
        // started behind Verbund's back (virsh) while the domain is being defined on kvm-2
        provider.hook((uri, real, method, args) -> {
            if (method.equals("importDomain")) {
                source.start(vm.id());
            }
        });

        assertConflict(() -> compute.migrate(vm.id(), kvm2.id()), "VM web-1 was not migrated",
                "its domain was started on host kvm-1 meanwhile");

        provider.hook(null);
        assertThat(compute.vm(vm.id()).orElseThrow().hostId()).isEqualTo(kvm1.id());
        assertThat(source.domain(vm.id()).orElseThrow().state()).isEqualTo(DomainState.RUNNING);
        assertThat(connection(kvm2).domains()).isEmpty();
        assertThat(load(kvm2).ramMib()).isZero();
        assertThat(eventsOf(vm.id())).extracting(DomainEvent::type).doesNotContain("vm.migrated");
    }

    @Test
    void failedCleanUpOnTheSourceLeavesTheVmOnTheTargetAndAnUnmanagedDomainBehind() {
        Host kvm1 = host("kvm-1", "kvm8.xml");
        Host kvm2 = host("kvm-2", "kvm4.xml");
        Vm vm = stopped(compute.createVm(request("web-1", 1, 1024, null)));
        String kvm1Uri = kvm1.uri();
        provider.hook((uri, real, method, args) -> {
            if (uri.equals(kvm1Uri) && method.equals("undefine")) {
                throw new ComputeException(ComputeException.Kind.FAILED, "host " + uri + ": storage is read-only", null);
            }
        });

        Vm moved = compute.migrate(vm.id(), kvm2.id());

        provider.hook(null);
        assertThat(moved.hostId()).isEqualTo(kvm2.id());
        assertThat(compute.vm(vm.id()).orElseThrow().hostId()).isEqualTo(kvm2.id());
        assertThat(connection(kvm2).domain(vm.id())).isPresent();
        assertThat(compute.unmanagedDomains(kvm1.id())).extracting(DomainInfo::uuid).containsExactly(vm.id());
        assertThat(compute.unmanagedDomains(kvm2.id())).isEmpty();
        assertThat(load(kvm1).ramMib()).isZero();
        assertConflict(() -> compute.adoptDomain(kvm1.id(), vm.id(), tenant, null), "already managed as VM web-1");
        awaitEvents(vm.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"),
                tuple("vm.state-changed", "STOPPED"), tuple("vm.migrated", "STOPPED"));
    }

    // --- evacuate --------------------------------------------------------------------------------

    @Test
    void evacuationMovesStoppedVmsAndListsTheOthers() {
        Host kvm1 = host("kvm-1", "kvm8.xml");
        Vm a = stopped(compute.createVm(request("a", 1, 2048, null)));
        Vm b = stopped(compute.createVm(request("b", 1, 2048, null)));
        Vm big = stopped(compute.createVm(request("big", 1, 8192, null)));
        Vm running = compute.createVm(request("running", 1, 1024, null));
        Host kvm2 = host("kvm-2", "kvm4.xml");

        assertConflict(() -> compute.evacuate(kvm1.id()), "host kvm-1 is ENABLED", "maintenance first");
        compute.setMaintenance(kvm1.id(), true);

        Evacuation result = compute.evacuate(kvm1.id());

        assertThat(result.hostId()).isEqualTo(kvm1.id());
        assertThat(result.hostName()).isEqualTo("kvm-1");
        assertThat(result.migrated()).containsExactly(new Evacuation.Migrated(a.id(), "a", kvm2.id(), "kvm-2"),
                new Evacuation.Migrated(b.id(), "b", kvm2.id(), "kvm-2"));
        assertThat(result.notMoved()).singleElement().satisfies(n -> {
            assertThat(n.vmId()).isEqualTo(big.id());
            assertThat(n.reason()).contains("no other host has room for VM big (1 vCPU, 8192 MiB)",
                    "kvm-2: RAM 4096/6144 MiB allocated");
        });
        assertThat(result.needsDecision()).containsExactly(new Evacuation.NeedsDecision(running.id(), "running",
                VmState.RUNNING));
        assertThat(connection(kvm2).domains()).extracting(DomainInfo::uuid).containsExactlyInAnyOrder(a.id(), b.id());
        assertThat(connection(kvm1).domains()).extracting(DomainInfo::uuid)
                .containsExactlyInAnyOrder(big.id(), running.id());
        assertThat(load(kvm1).ramMib()).isEqualTo(8192 + 1024);
        assertThat(load(kvm2).ramMib()).isEqualTo(4096);
        awaitEvents(a.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"),
                tuple("vm.state-changed", "STOPPED"), tuple("vm.migrated", "STOPPED"));
        awaitEvents(b.id(), tuple("vm.created", "STOPPED"), tuple("vm.state-changed", "RUNNING"),
                tuple("vm.state-changed", "STOPPED"), tuple("vm.migrated", "STOPPED"));

        // the host stays in maintenance; evacuating again has nothing more to move
        Evacuation again = compute.evacuate(kvm1.id());
        assertThat(again.migrated()).isEmpty();
        assertThat(again.notMoved()).extracting(Evacuation.NotMoved::vmId).containsExactly(big.id());
        assertThat(compute.host(kvm1.id()).orElseThrow().state()).isEqualTo(HostState.MAINTENANCE);
    }

    @Test
    void evacuationOfAnUnknownOrUnreachableHostIsRefused() {
        Host down = compute.registerHost(new NewHost("vbox-1", "vbox:///session", "ber-1", null, null, null));
        compute.setMaintenance(down.id(), true);

        assertProblem(() -> compute.evacuate(down.id()), ProblemType.UNAVAILABLE, "host vbox-1 is DOWN");
        assertProblem(() -> compute.evacuate(Ids.newId()), ProblemType.NOT_FOUND, "no host");
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** Registers a host on its own copy of a test-driver node file (its own URI) and waits until it is ENABLED. */
    private Host host(String name, String nodeFile) {
        String uri = testDriverCopy(dir, nodeFile, name + "-" + nodeFile);
        Host h = compute.registerHost(new NewHost(name, uri, "ber-1", null, null, null));
        return awaitHost(compute, h.id(), HostState.ENABLED, WAIT);
    }

    private Vm stopped(Vm vm) {
        return compute.stop(vm.id());
    }

    private VmRequest request(String name, int vcpu, long ramMib, String group) {
        return new VmRequest(name, tenant, null, vcpu, ramMib, 10, "debian-12", group, null, null);
    }

    /** @return the connection the service currently holds to the host (the real one) */
    private HypervisorConnection connection(Host host) {
        return provider.latest(host.uri());
    }

    private List<String> volumes(Host host) throws Exception {
        return ComputeFixture.volumes(connection(host));
    }

    private static String macOf(String domainXml) {
        int at = domainXml.indexOf("<mac address=");
        assertThat(at).as("MAC address in " + domainXml).isPositive();
        return domainXml.substring(at, domainXml.indexOf("/>", at));
    }

    private HostLoad load(Host host) {
        return compute.store().loads().stream().filter(l -> l.host().id().equals(host.id())).findFirst().orElseThrow();
    }

    private List<DomainEvent> eventsOf(String vmId) {
        return eventsOfVm(events, vmId);
    }

    private void awaitEvents(String vmId, org.assertj.core.groups.Tuple... expected) {
        awaitEventsOfVm(events, vmId, WAIT, expected);
    }

    private static ProblemException assertConflict(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            String... texts) {
        return assertProblem(call, ProblemType.CONFLICT, texts);
    }

    private static ProblemException assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call,
            ProblemType type, String... texts) {
        ProblemException e = catchThrowableOfType(call, ProblemException.class);
        assertThat(e).as("expected " + type).isNotNull();
        assertThat(e.type()).as(e.getMessage()).isEqualTo(type);
        assertThat(e.getMessage()).contains(texts);
        return e;
    }
}

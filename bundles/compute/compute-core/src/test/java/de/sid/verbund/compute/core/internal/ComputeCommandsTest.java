package de.sid.verbund.compute.core.internal;

import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitHost;
import static de.sid.verbund.compute.core.internal.ComputeFixture.testDriverUri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Ids;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.messaging.outbox.internal.OutboxRelay;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue's commands on queue {@code compute.commands} against the real compute service
 * (libvirt test driver), the real broker and the outbox: VMs made once however often a command
 * comes, refusals answered with a reason that names no host.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ComputeCommandsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ComputeFixture fixture = new ComputeFixture();

    @TempDir
    Path dir;
    private ComputeServiceImpl compute;
    private Database db;
    private OutboxRelay outbox;
    private ComputeCommands commands;
    private List<DomainEvent> replies;
    private final String tenant = Ids.newId();
    private Subscription consumer;

    @BeforeEach
    void setUp() {
        db = fixture.database(dir);
        outbox = fixture.outbox(db);
        compute = fixture.service(db, new TestDriverProvider(fixture.libvirt()), Configs.of(ComputeConfig.class));
        String host = compute.registerHost(new NewHost("kvm-1", testDriverUri("kvm8.xml"), "ber-1", null, null, null)).id();
        awaitHost(compute, host, HostState.ENABLED, WAIT);
        replies = fixture.events("commands-test", e -> tenant.equals(e.tenantId()) && !e.type().startsWith("vm.c")
                && !e.type().startsWith("vm.state") && !e.type().equals("vm.deleted"));
        commands = new ComputeCommands(db, outbox, compute);
    }

    @AfterEach
    void tearDown() {
        if (consumer != null) {
            consumer.close();
        }
    }

    private DomainEvent provision(String orderId, int vcpu, String... names) {
        return DomainEvent.of("vm.provision", tenant, Map.of("orderId", orderId, "names", List.of(names), "offeringId", "vm-s",
                "vcpu", vcpu, "ramMib", 1024, "diskGib", 10, "image", "debian-12"));
    }

    private List<Vm> liveVms() {
        return compute.vms(new VmFilter(tenant, null, null), 100, null).items().stream()
                .filter(v -> v.state() != VmState.DELETED && v.state() != VmState.FAILED).toList();
    }

    @Test
    void aProvisionCommandFromTheQueueMakesOneVmPerNameAndAnswersWithTheirIds() {
        consumer = fixture.bus().consume(ComputeCommands.QUEUE, commands::handle);
        String order = Ids.newId();
        db.inTransaction(c -> {
            outbox.send(c, ComputeCommands.QUEUE, provision(order, 1, "web-1", "web-2"));
            return null;
        });

        await().atMost(WAIT).untilAsserted(() -> assertThat(replies).hasSize(1));
        DomainEvent reply = replies.get(0);
        assertThat(reply.type()).isEqualTo("vm.provisioned");
        assertThat(reply.payload()).containsEntry("orderId", order);
        List<Vm> vms = liveVms();
        assertThat(vms).extracting(Vm::name).containsExactlyInAnyOrder("web-1", "web-2");
        assertThat(vms).allSatisfy(v -> {
            assertThat(v.state()).isEqualTo(VmState.RUNNING);
            assertThat(v.offeringId()).isEqualTo("vm-s");
        });
        assertThat(reply.payload().get("vmIds")).isEqualTo(vms.stream()
                .sorted(java.util.Comparator.comparing(Vm::name)).map(Vm::id).toList());
    }

    @Test
    void aRedeliveredCommandMakesNoSecondVmAndNoSecondAnswer() {
        DomainEvent command = provision(Ids.newId(), 1, "db-1");
        commands.handle(command);
        commands.handle(command);

        await().atMost(WAIT).untilAsserted(() -> assertThat(replies).hasSize(1));
        assertThat(liveVms()).hasSize(1);
        assertThat(ComputeCommands.isDone(db, command.eventId())).isTrue();
    }

    @Test
    void aCommandCutOffBeforeItsAnswerWasStoredPicksUpTheVmsItMadeWhenItComesAgain() {
        DomainEvent command = provision(Ids.newId(), 1, "app-1", "app-2");
        Outbox broken = (connection, topic, event) -> {
            throw new SQLException("database went away");
        };
        assertThatThrownBy(() -> new ComputeCommands(db, broken, compute).handle(command)).hasMessageContaining("went away");
        List<Vm> first = liveVms();
        assertThat(first).hasSize(2);

        commands.handle(command);

        await().atMost(WAIT).untilAsserted(() -> assertThat(replies).hasSize(1));
        assertThat(replies.get(0).type()).isEqualTo("vm.provisioned");
        assertThat(liveVms()).extracting(Vm::id).containsExactlyInAnyOrderElementsOf(first.stream().map(Vm::id).toList());
    }

    /**
     * The node that took the command first reserved the VM (PROVISIONING) and died before it made the
     * domain; the broker hands the command to this node. Seen in ClusterInFlightIT: the half-made VM
     * was taken as made, the order fulfilled with a VM that never ran and was never announced.
     */
    @Test
    void aCommandWhoseNodeDiedMidCreateGivesTheHalfMadeVmUpAndMakesItAgain() {
        DomainEvent command = provision(Ids.newId(), 1, "half-1");
        db.inTransaction(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO compute_command (event_id, type, state, "
                    + "received_at) VALUES (?, 'vm.provision', 'STARTED', CURRENT_TIMESTAMP)")) {
                ps.setString(1, command.eventId().toString());
                ps.executeUpdate();
            }
            return null;
        });
        String hostId = compute.store().hosts().get(0).id();
        Vm stale = new Vm(Ids.newId(), "half-1", tenant, "vm-s", hostId, VmState.PROVISIONING, 1, 1024, 10, null,
                java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        assertThat(compute.store().reserve(stale, load -> true, null)).isTrue();

        commands.handle(command);

        await().atMost(WAIT).untilAsserted(() -> assertThat(replies).hasSize(1));
        assertThat(replies.get(0).type()).isEqualTo("vm.provisioned");
        List<Vm> live = liveVms();
        assertThat(live).singleElement().satisfies(v -> {
            assertThat(v.name()).isEqualTo("half-1");
            assertThat(v.id()).isNotEqualTo(stale.id());
            assertThat(v.state()).isEqualTo(VmState.RUNNING);
        });
        assertThat(replies.get(0).payload().get("vmIds")).isEqualTo(List.of(live.get(0).id()));
        assertThat(compute.vm(stale.id()).orElseThrow().state()).isEqualTo(VmState.DELETED);
        assertThat(ComputeCommands.isDone(db, command.eventId())).isTrue();
    }

    @Test
    void aCommandThatFitsNowhereIsAnsweredAsFailedWithoutHostNamesAndLeavesNoVm() {
        // kvm8 takes 32 vCPU after overcommit: the second VM of 20 does not fit, the first is removed again
        DomainEvent command = provision(Ids.newId(), 20, "big-1", "big-2");
        commands.handle(command);

        await().atMost(WAIT).untilAsserted(() -> assertThat(replies).hasSize(1));
        DomainEvent reply = replies.get(0);
        assertThat(reply.type()).isEqualTo("vm.provision-failed");
        assertThat((String) reply.payload().get("reason")).isEqualTo("VM big-2: no capacity for 20 vCPU, 1024 MiB, 10 GiB: no host of the platform has room for it now");
        assertThat(liveVms()).isEmpty();
    }

    @Test
    void decommissionDeletesTheTenantsVmsAndRefusesAnotherTenantsAsUnknown() {
        Vm own = compute.createVm(new VmRequest("old-1", tenant, "vm-s", 1, 1024, 10, null, null, null, null));
        Vm foreign = compute.createVm(new VmRequest("theirs", Ids.newId(), "vm-s", 1, 1024, 10, null, null, null, null));
        String order = Ids.newId();

        commands.handle(DomainEvent.of("vm.decommission", tenant, Map.of("orderId", order, "vmIds", List.of(own.id()))));
        commands.handle(DomainEvent.of("vm.decommission", tenant, Map.of("orderId", order, "vmIds", List.of(foreign.id()))));

        await().atMost(WAIT).untilAsserted(() -> assertThat(replies).hasSize(2));
        assertThat(replies.get(0).type()).isEqualTo("vm.decommissioned");
        assertThat(compute.vm(own.id()).orElseThrow().state()).isEqualTo(VmState.DELETED);
        assertThat(replies.get(1).type()).isEqualTo("vm.decommission-failed");
        assertThat(replies.get(1).payload()).containsEntry("reason", "no VM " + foreign.id());
        assertThat(compute.vm(foreign.id()).orElseThrow().state()).isEqualTo(VmState.RUNNING);
    }
}

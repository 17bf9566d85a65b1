package de.sid.verbund.compute.command.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Evacuation;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.DomainState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The migration and unmanaged-domain commands: host names resolved to ids, results printed, errors thrown. */
class MigrationCommandsTest {
    private final Host kvm1 = host("kvm-1");
    private final Host kvm2 = host("kvm-2");
    private final Vm vm = new Vm(UUID.randomUUID().toString(), "web-1", UUID.randomUUID().toString(), null, kvm1.id(),
            VmState.STOPPED, 2, 2048, 10, null, Instant.now());
    private final List<String> calls = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeEach
    void captureOutput() {
        stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(stdout);
    }

    @Test
    void onANodeWithoutQuorumTheCommandIsRefusedBeforeAnythingIsDone() {
        VmMigrateCommand c = new VmMigrateCommand();
        c.compute = compute();
        c.cluster = new de.sid.verbund.testsupport.FakeCluster(List.of(
                new de.sid.verbund.cluster.ClusterMember("node-1", "127.0.0.1:5701", true))).minClusterSize(2);
        c.id = vm.id();
        c.target = "kvm-2";

        de.sid.verbund.core.ProblemException e = org.assertj.core.api.Assertions.catchThrowableOfType(c::execute,
                de.sid.verbund.core.ProblemException.class);

        assertThat(e.type()).isEqualTo(de.sid.verbund.core.ProblemType.NO_QUORUM);
        assertThat(e).hasMessageContaining("sees 1 of the 2 cluster members required")
                .hasMessageContaining("verbund:vm-migrate is refused");
        assertThat(calls).isEmpty();
    }

    @Test
    void vmMigrateResolvesTheTargetHostByName() {
        VmMigrateCommand c = new VmMigrateCommand();
        c.compute = compute();
        c.id = vm.id();
        c.target = "kvm-2";

        c.execute();

        assertThat(calls).containsExactly("migrate " + vm.id() + " " + kvm2.id());
        assertThat(output()).contains("VM web-1 migrated from host kvm-1 to host kvm-2; it is STOPPED");

        c.target = null;
        c.execute();
        assertThat(calls).endsWith("migrate " + vm.id() + " null");

        c.target = "kvm-9";
        assertThatThrownBy(c::execute).isInstanceOf(IllegalArgumentException.class).hasMessage("no host named kvm-9");
    }

    @Test
    void hostEvacuatePrintsEveryVmsOutcome() {
        HostEvacuateCommand c = new HostEvacuateCommand();
        c.compute = compute();
        c.name = "kvm-1";

        c.execute();

        assertThat(calls).containsExactly("evacuate " + kvm1.id());
        assertThat(output()).contains("web-1", "migrated", "to kvm-2", "big", "not moved", "no other host has room",
                "db-1", "needs a decision", "RUNNING", "host kvm-1: 1 migrated, 1 not moved, 1 need a decision");
    }

    @Test
    void hostUnmanagedListsAndHostAdoptAdoptsADomain() {
        String uuid = UUID.randomUUID().toString();
        HostUnmanagedCommand list = new HostUnmanagedCommand();
        list.compute = compute();
        list.name = "kvm-2";
        list.execute();
        assertThat(output()).contains("legacy-db", "SHUTOFF");

        HostAdoptCommand adopt = new HostAdoptCommand();
        adopt.compute = compute();
        adopt.name = "kvm-2";
        adopt.uuid = uuid;
        adopt.tenant = vm.tenantId();
        adopt.execute();

        assertThat(calls).containsExactly("unmanaged " + kvm2.id(), "adopt " + kvm2.id() + " " + uuid + " " + vm.tenantId()
                + " null");
        assertThat(output()).contains("adopted domain " + uuid + " on host kvm-2 as VM legacy-db (STOPPED, 2 vCPU, 4096 MiB)");
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Host host(String name) {
        return new Host(UUID.randomUUID().toString(), name, "test:///default", "ber-1", 8, 16384, 100, BigDecimal.valueOf(4),
                BigDecimal.ONE, 2048, HostState.ENABLED, Instant.now());
    }

    private ComputeService compute() {
        return (ComputeService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ComputeService.class},
                (p, m, args) -> switch (m.getName()) {
                    case "hosts" -> List.of(kvm1, kvm2);
                    case "vm" -> Optional.of(vm);
                    case "migrate" -> {
                        calls.add("migrate " + args[0] + " " + args[1]);
                        yield new Vm(vm.id(), vm.name(), vm.tenantId(), null, kvm2.id(), VmState.STOPPED, 2, 2048, 10, null,
                                vm.createdAt());
                    }
                    case "evacuate" -> {
                        calls.add("evacuate " + args[0]);
                        yield new Evacuation(kvm1.id(), "kvm-1", List.of(new Evacuation.Migrated(vm.id(), "web-1", kvm2.id(),
                                "kvm-2")), List.of(new Evacuation.NotMoved(UUID.randomUUID().toString(), "big",
                                "no other host has room for VM big")), List.of(new Evacuation.NeedsDecision(
                                UUID.randomUUID().toString(), "db-1", VmState.RUNNING)));
                    }
                    case "unmanagedDomains" -> {
                        calls.add("unmanaged " + args[0]);
                        yield List.of(new DomainInfo(UUID.randomUUID().toString(), "legacy-db", DomainState.SHUTOFF, 2, 4096));
                    }
                    case "adoptDomain" -> {
                        calls.add("adopt " + args[0] + " " + args[1] + " " + args[2] + " " + args[3]);
                        yield new Vm((String) args[1], "legacy-db", (String) args[2], null, (String) args[0],
                                VmState.STOPPED, 2, 4096, 0, null, Instant.now());
                    }
                    default -> throw new UnsupportedOperationException(m.getName() + Arrays.toString(args));
                });
    }
}

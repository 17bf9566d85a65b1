package de.sid.verbund.compute.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Evacuation;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.security.Caller;
import de.sid.verbund.testsupport.FakeAccess;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Who may migrate VMs and evacuate hosts over REST: SID operators ({@code compute:write:platform})
 * only; authority users, even for their own authority's VMs, and read-only staff are refused (403)
 * before the service is asked. The permissions given to the callers are those the roles get in
 * security-shiro's {@code RolePermissions}; the check is Shiro's wildcard rule.
 */
class MigrationResourcesTest {
    private final String authorityA = UUID.randomUUID().toString();
    private final String authorityB = UUID.randomUUID().toString();
    private final String hostId = UUID.randomUUID().toString();
    private final String targetId = UUID.randomUUID().toString();
    private final Vm vmOfA = new Vm(UUID.randomUUID().toString(), "web-1", authorityA, null, hostId, VmState.STOPPED, 2,
            2048, 10, null, Instant.parse("2026-11-29T08:00:00Z"));
    /** Calls that reached the service, as "method arg, arg". */
    private final List<String> calls = new ArrayList<>();

    @Test
    void operatorMigratesToTheNamedHostOrLetsPlacementChoose() {
        VmsResource vms = new VmsResource(compute(), access(operator()));

        Vm moved = vms.migrate(vmOfA.id(), new VmsResource.Migrate(targetId));
        vms.migrate(vmOfA.id(), null);
        vms.migrate(vmOfA.id(), new VmsResource.Migrate(null));

        assertThat(moved.hostId()).isEqualTo(targetId);
        assertThat(calls).containsExactly("migrate " + vmOfA.id() + ", " + targetId, "migrate " + vmOfA.id() + ", null",
                "migrate " + vmOfA.id() + ", null");
    }

    @Test
    void authorityUsersAreRefusedMigrationEvenOfTheirOwnVms() {
        FakeAccess ownUser = access(authorityUser(authorityA));
        FakeAccess otherUser = access(authorityUser(authorityB));

        ProblemException own = catchThrowableOfType(() -> new VmsResource(compute(), ownUser).migrate(vmOfA.id(),
                new VmsResource.Migrate(targetId)), ProblemException.class);
        ProblemException other = catchThrowableOfType(() -> new VmsResource(compute(), otherUser).migrate(vmOfA.id(),
                new VmsResource.Migrate(targetId)), ProblemException.class);

        assertThat(own.type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(other.type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(ownUser.refused).containsExactly("compute:write:platform VM " + vmOfA.id());
        assertThat(otherUser.refused).containsExactly("compute:write:platform VM " + vmOfA.id());
        assertThat(calls).isEmpty();
        // what they may do with their own VM is unchanged: the owner starts it, the other authority does not see it
        assertThat(new VmsResource(compute(), ownUser).start(vmOfA.id())).isEqualTo(vmOfA);
        assertThat(catchThrowableOfType(() -> new VmsResource(compute(), otherUser).start(vmOfA.id()),
                ProblemException.class).type()).isEqualTo(ProblemType.NOT_FOUND);
    }

    @Test
    void readOnlyStaffIsRefusedMigrationAndEvacuation() {
        FakeAccess monitoring = access(new Caller(UUID.randomUUID().toString(), "monitor", null, Set.of("monitoring")),
                "monitoring:*:*", "alarms:*:*", "compute:read:*", "cluster:read:*");

        assertThat(catchThrowableOfType(() -> new VmsResource(compute(), monitoring).migrate(vmOfA.id(), null),
                ProblemException.class).type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(catchThrowableOfType(() -> new HostsResource(compute(), monitoring).evacuate(hostId),
                ProblemException.class).type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(calls).isEmpty();
    }

    @Test
    void operatorEvacuatesAndGetsEveryVmsOutcomeAsJson() throws Exception {
        HostsResource hosts = new HostsResource(compute(), access(operator()));

        Evacuation result = hosts.evacuate(hostId);

        assertThat(calls).containsExactly("evacuate " + hostId);
        JsonNode json = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(result));
        assertThat(json.path("hostName").asText()).isEqualTo("kvm-1");
        assertThat(json.path("migrated").get(0).path("targetHostName").asText()).isEqualTo("kvm-2");
        assertThat(json.path("notMoved").get(0).path("reason").asText()).startsWith("no other host has room");
        assertThat(json.path("needsDecision").get(0).path("state").asText()).isEqualTo("RUNNING");
    }

    @Test
    void authorityAdminsAreRefusedEvacuation() {
        FakeAccess admin = access(new Caller(UUID.randomUUID().toString(), "a-admin", authorityA,
                Set.of("authority-admin")), "compute:read:" + authorityA, "compute:write:" + authorityA, "catalog:*:" + authorityA,
                "tenancy:*:" + authorityA, "security:*:" + authorityA, "billing:read:" + authorityA);

        ProblemException e = catchThrowableOfType(() -> new HostsResource(compute(), admin).evacuate(hostId),
                ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(admin.refused).containsExactly("compute:write:platform host " + hostId);
        assertThat(calls).isEmpty();
    }

    // --- fakes -----------------------------------------------------------------------------------

    private FakeAccess access(Caller caller) {
        return caller.hasRole("sid-operator")
                ? access(caller, "compute:*:*", "catalog:*:*", "monitoring:*:*", "alarms:*:*", "tenancy:read:*",
                        "security:read:*", "audit:read:*", "cluster:*:*")
                : access(caller, "compute:read:" + caller.authorityId(), "compute:write:" + caller.authorityId(), "catalog:read:" + caller.authorityId(),
                        "catalog:order:" + caller.authorityId(), "billing:read:" + caller.authorityId(),
                        "tenancy:read:" + caller.authorityId(), "security:read:" + caller.authorityId());
    }

    private static FakeAccess access(Caller caller, String... permissions) {
        return new FakeAccess(caller, List.of(permissions));
    }

    private static Caller operator() {
        return new Caller(UUID.randomUUID().toString(), "operator", null, Set.of("sid-operator"));
    }

    private static Caller authorityUser(String authority) {
        return new Caller(UUID.randomUUID().toString(), "user-" + authority.substring(0, 8), authority,
                Set.of("authority-user"));
    }

    /** The service answering the calls these tests make, recording them. */
    private ComputeService compute() {
        return (ComputeService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ComputeService.class},
                (p, m, args) -> switch (m.getName()) {
                    case "vm" -> Optional.of(vmOfA).filter(v -> v.id().equals(args[0]));
                    case "start" -> {
                        calls.add("start " + args[0]);
                        yield vmOfA;
                    }
                    case "migrate" -> {
                        calls.add("migrate " + args[0] + ", " + args[1]);
                        yield new Vm(vmOfA.id(), vmOfA.name(), vmOfA.tenantId(), null, args[1] == null ? "chosen"
                                : (String) args[1], VmState.STOPPED, 2, 2048, 10, null, vmOfA.createdAt());
                    }
                    case "evacuate" -> {
                        calls.add("evacuate " + args[0]);
                        yield new Evacuation(hostId, "kvm-1",
                                List.of(new Evacuation.Migrated(vmOfA.id(), "web-1", targetId, "kvm-2")),
                                List.of(new Evacuation.NotMoved(UUID.randomUUID().toString(), "big",
                                        "no other host has room for VM big (1 vCPU, 8192 MiB): kvm-2: RAM …")),
                                List.of(new Evacuation.NeedsDecision(UUID.randomUUID().toString(), "db-1", VmState.RUNNING)));
                    }
                    default -> throw new UnsupportedOperationException(m.getName() + Arrays.toString(args));
                });
    }
}

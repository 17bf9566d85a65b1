package de.sid.verbund.compute.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.security.Caller;
import de.sid.verbund.testsupport.FakeAccess;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Authority users do not learn host names, URIs or per-host capacity from errors; SID staff do. */
class InfrastructureRedactionTest {
    private static final String NO_CAPACITY = "no capacity for 1 vCPU, 512 MiB, 1 GiB: demo-large: RAM 0/262144 MiB "
            + "allocated …; demo-small: in MAINTENANCE";
    private static final String HYPERVISOR = "host demo-large: host test:///tmp/review/var/node5/etc/hosts/demo-large.xml: "
            + "define domain x: no image volume nope in storage pool default-pool";

    private final String authority = UUID.randomUUID().toString();

    @Test
    void authorityUsersGetTheGistWithoutHostsAndStaffGetEverything() {
        var user = new FakeAccess(new Caller(UUID.randomUUID().toString(), "bob", authority,
                Set.of("authority-user")), List.of("compute:read:" + authority, "compute:write:" + authority));
        var operator = new FakeAccess(new Caller(UUID.randomUUID().toString(), "op", null,
                Set.of("sid-operator")), List.of("compute:*:*"));

        ProblemException capacity = call(user, new ProblemException(ProblemType.CONFLICT, NO_CAPACITY));
        assertThat(capacity.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(capacity.getMessage()).isEqualTo("no capacity for 1 vCPU, 512 MiB, 1 GiB: no host of the platform has "
                + "room for it now");
        ProblemException hypervisor = call(user, new ProblemException(ProblemType.BAD_REQUEST, HYPERVISOR));
        assertThat(hypervisor.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(hypervisor.getMessage()).startsWith("the hypervisor refused the operation (reference ")
                .doesNotContain("demo-large").doesNotContain("test:///");
        // a problem about the VM itself is passed on as it is
        assertThat(call(user, ProblemException.conflict("VM web-1 is STOPPED")).getMessage()).isEqualTo("VM web-1 is STOPPED");

        assertThat(call(operator, new ProblemException(ProblemType.CONFLICT, NO_CAPACITY)).getMessage()).isEqualTo(NO_CAPACITY);
        assertThat(call(operator, new ProblemException(ProblemType.BAD_REQUEST, HYPERVISOR)).getMessage()).isEqualTo(HYPERVISOR);
    }

    private static ProblemException call(FakeAccess access, ProblemException thrown) {
        ComputeService failing = (ComputeService) Proxy.newProxyInstance(ComputeService.class.getClassLoader(),
                new Class<?>[] {ComputeService.class}, (p, m, args) -> {
                    throw thrown;
                });
        return catchThrowableOfType(() -> InfrastructureRedaction.wrap(failing, access).hosts(), ProblemException.class);
    }
}

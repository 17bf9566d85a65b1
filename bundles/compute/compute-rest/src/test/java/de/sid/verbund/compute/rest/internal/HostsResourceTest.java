package de.sid.verbund.compute.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.security.Caller;
import de.sid.verbund.testsupport.FakeAccess;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/hosts} shows what is allocated on each host and its capacity after overcommit
 * and reserve (the figures placement checks), so the console need not add up VM sizes; authority
 * users are refused before the service is asked.
 */
class HostsResourceTest {
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /** 16 cores at 4 vCPUs per core; 65536 MiB less 4096 reserved at 1.5; a 500 GiB pool. */
    private final Host kvm1 = new Host(UUID.randomUUID().toString(), "kvm-1", "test:///default", "ber-1", 16, 65_536, 500,
            new BigDecimal("4.0"), new BigDecimal("1.5"), 4096, HostState.ENABLED, Instant.parse("2026-11-01T08:00:00Z"));
    private final Host kvm2 = new Host(UUID.randomUUID().toString(), "kvm-2", "test:///default", "ber-1", 8, 16_384, 0,
            new BigDecimal("1.0"), new BigDecimal("1.0"), 0, HostState.MAINTENANCE, Instant.parse("2026-11-01T08:00:00Z"));
    private int serviceCalls;

    @Test
    void hostsCarryTheirAllocationAndCapacityAfterOvercommitAndReserve() throws Exception {
        HostsResource hosts = new HostsResource(compute(), operator());

        JsonNode list = JSON.readTree(JSON.writeValueAsString(hosts.list()));

        assertThat(list).hasSize(2);
        JsonNode first = list.get(0);
        assertThat(first.path("name").asText()).isEqualTo("kvm-1");
        assertThat(first.path("cpuCores").asInt()).isEqualTo(16);
        assertThat(first.path("ramReserveMib").asLong()).isEqualTo(4096);
        assertThat(first.path("state").asText()).isEqualTo("ENABLED");
        assertThat(first.path("allocated").path("vcpu").asLong()).isEqualTo(6);
        assertThat(first.path("allocated").path("ramMib").asLong()).isEqualTo(12_288);
        assertThat(first.path("allocated").path("diskGib").asLong()).isEqualTo(120);
        assertThat(first.path("capacity").path("vcpu").asLong()).isEqualTo(64);
        assertThat(first.path("capacity").path("ramMib").asLong()).isEqualTo(92_160);
        assertThat(first.path("capacity").path("diskGib").asLong()).isEqualTo(500);
        JsonNode second = list.get(1);
        assertThat(second.path("allocated").path("vcpu").asLong()).isZero();
        assertThat(second.path("capacity").path("vcpu").asLong()).isEqualTo(8);
        assertThat(second.path("capacity").path("ramMib").asLong()).isEqualTo(16_384);

        JsonNode one = JSON.readTree(JSON.writeValueAsString(hosts.get(kvm1.id())));
        assertThat(one.path("allocated").path("ramMib").asLong()).isEqualTo(12_288);
        assertThat(one.path("capacity").path("ramMib").asLong()).isEqualTo(92_160);
    }

    @Test
    void authorityUsersAreRefusedTheHosts() {
        String authority = UUID.randomUUID().toString();
        FakeAccess user = new FakeAccess(new Caller(UUID.randomUUID().toString(), "a-admin", authority,
                Set.of("authority-admin")), List.of("compute:read:" + authority, "compute:write:" + authority,
                "catalog:*:" + authority, "billing:read:" + authority, "tenancy:read:" + authority));

        ProblemException e = catchThrowableOfType(() -> new HostsResource(compute(), user).list(), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(user.refused).containsExactly("compute:read:platform hosts");
        assertThat(serviceCalls).isZero();
    }

    private static FakeAccess operator() {
        return new FakeAccess(new Caller(UUID.randomUUID().toString(), "operator", null, Set.of("sid-operator")),
                List.of("compute:*:*", "catalog:*:*", "tenancy:read:*"));
    }

    private ComputeService compute() {
        List<HostLoad> loads = List.of(new HostLoad(kvm1, 6, 12_288, 120, Set.of()), new HostLoad(kvm2, 0, 0, 0, Set.of()));
        return (ComputeService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ComputeService.class},
                (p, m, args) -> {
                    serviceCalls++;
                    return switch (m.getName()) {
                        case "hostLoads" -> loads;
                        case "host" -> loads.stream().map(HostLoad::host).filter(h -> h.id().equals(args[0])).findFirst()
                                .or(Optional::empty);
                        default -> throw new UnsupportedOperationException(m.getName() + Arrays.toString(args));
                    };
                });
    }
}

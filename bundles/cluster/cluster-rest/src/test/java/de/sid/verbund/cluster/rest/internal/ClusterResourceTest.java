package de.sid.verbund.cluster.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import de.sid.verbund.cluster.ClusterMember;
import de.sid.verbund.cluster.ClusterStatus;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.testsupport.FakeAccess;
import de.sid.verbund.testsupport.FakeCluster;
import de.sid.verbund.testsupport.FakeInventory;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ClusterResourceTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
    private final Host kvm1 = host("kvm-1");
    private final Host kvm2 = host("kvm-2");
    private final Device sw = device("sw-1");
    private final Device ups = device("ups-1");
    private final FakeCluster cluster = new FakeCluster(List.of(
            new ClusterMember("node-1", "127.0.0.1:5701", true, NOW.minusSeconds(3600)),
            new ClusterMember("node-2", "127.0.0.1:5702", false, NOW.minusSeconds(60)),
            new ClusterMember("node-3", "127.0.0.1:5703", false)))
            .minClusterSize(2)
            .own("host:" + kvm1.id(), "node-2").own("host:" + kvm2.id(), "node-3")
            .own("device:" + sw.id(), "node-1").own("device:" + ups.id(), null);

    @Test
    void staffSeeMembersUptimeQuorumAndWhoOwnsWhichHostsAndDevices() throws Exception {
        ClusterResource r = resource(FakeAccess.sidOperator());

        ClusterStatus s = r.get();

        assertThat(s.clusterName()).isEqualTo("verbund");
        assertThat(s.localMemberId()).isEqualTo("node-1");
        assertThat(s.minClusterSize()).isEqualTo(2);
        assertThat(s.quorum()).isTrue();
        assertThat(s.members()).extracting(ClusterStatus.Member::id).containsExactly("node-1", "node-2", "node-3");
        ClusterStatus.Member n1 = s.members().get(0);
        assertThat(n1.local()).isTrue();
        assertThat(n1.uptimeS()).isEqualTo(3600L);
        assertThat(n1.devices()).containsExactly(new ClusterStatus.Owned(sw.id(), "sw-1"));
        assertThat(n1.hosts()).isEmpty();
        assertThat(s.members().get(1).hosts()).containsExactly(new ClusterStatus.Owned(kvm1.id(), "kvm-1"));
        assertThat(s.members().get(1).uptimeS()).isEqualTo(60L);
        assertThat(s.members().get(2).hosts()).containsExactly(new ClusterStatus.Owned(kvm2.id(), "kvm-2"));
        assertThat(s.members().get(2).startedAt()).isNull();
        assertThat(s.members().get(2).uptimeS()).isNull();
        assertThat(s.unowned().devices()).containsExactly(new ClusterStatus.Owned(ups.id(), "ups-1"));

        // monitoring staff may read it too; the JSON has the documented shape
        JsonNode json = new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .valueToTree(resource(FakeAccess.monitoring()).get());
        assertThat(json.path("quorum").asBoolean()).isTrue();
        assertThat(json.path("members").get(0).path("startedAt").asText()).isEqualTo("2026-11-29T09:00:00Z");
        assertThat(json.path("members").get(1).path("hosts").get(0).path("name").asText()).isEqualTo("kvm-1");
        assertThat(json.path("unowned").path("devices").get(0).path("id").asText()).isEqualTo(ups.id());
    }

    @Test
    void minoritySideSaysSo() {
        cluster.members(List.of(new ClusterMember("node-1", "127.0.0.1:5701", true)));
        ClusterStatus s = resource(FakeAccess.sidOperator()).get();
        assertThat(s.quorum()).isFalse();
        assertThat(s.members()).hasSize(1);
        // the hosts of the members it no longer sees have no known owner here
        assertThat(s.unowned().hosts()).extracting(ClusterStatus.Owned::name).containsExactly("kvm-1", "kvm-2");
    }

    @Test
    void authorityUsersAndBillingClerksAreRefused() {
        for (FakeAccess who : List.of(FakeAccess.authorityAdmin(UUID.randomUUID().toString()),
                FakeAccess.authorityUser(UUID.randomUUID().toString()), FakeAccess.billingClerk())) {
            ProblemException e = catchThrowableOfType(() -> resource(who).get(), ProblemException.class);
            assertThat(e.type()).isEqualTo(ProblemType.FORBIDDEN);
            assertThat(who.refused).containsExactly("cluster:read:platform cluster");
        }
    }

    private ClusterResource resource(FakeAccess access) {
        ClusterResource r = new ClusterResource(cluster, access, Clock.fixed(NOW, ZoneOffset.UTC));
        r.compute = (ComputeService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {ComputeService.class}, (proxy, method, args) -> {
                    if (method.getName().equals("hosts")) {
                        return List.of(kvm2, kvm1);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        FakeInventory inventory = new FakeInventory();
        inventory.devices.put(ups.id(), ups);
        inventory.devices.put(sw.id(), sw);
        r.devices = inventory;
        return r;
    }

    private static Host host(String name) {
        return new Host(UUID.randomUUID().toString(), name, "test:///default", "ber-1", 8, 32768, 100,
                BigDecimal.ONE, BigDecimal.ONE, 0, HostState.ENABLED, NOW);
    }

    private static Device device(String name) {
        return new Device(UUID.randomUUID().toString(), name, "127.0.0.1", 161, "ber-1", DeviceKind.SWITCH, 60,
                List.of(), null, NOW);
    }
}

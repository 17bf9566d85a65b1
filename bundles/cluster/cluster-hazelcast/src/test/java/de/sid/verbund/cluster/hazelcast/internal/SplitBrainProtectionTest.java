package de.sid.verbund.cluster.hazelcast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.map.IMap;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.testsupport.Ports;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Split-brain protection with real Hazelcast members on loopback: a member that is left below
 * {@code min.cluster.size} refuses changes and runs no cluster-wide job; reads stay possible.
 */
class SplitBrainProtectionTest {
    private static final Duration FORMATION = Duration.ofSeconds(30);

    private final LoopbackMembers cluster = new LoopbackMembers("quorum", "min_cluster_size", 2);
    private final String clusterName = cluster.clusterName;
    private final List<HazelcastClusterComponent> running = cluster.running;

    @AfterEach
    void stopAll() {
        cluster.close();
    }

    @Test
    void memberLeftAloneBelowTheMinimumRefusesChangesAndSingletonsUntilTheOtherComesBack() {
        List<Integer> ports = List.of(Ports.freeTcpPort(), Ports.freeTcpPort());
        HazelcastClusterComponent a = member("qa", ports.get(0), ports);
        HazelcastClusterComponent b = member("qb", ports.get(1), ports);

        // while starting, a member with a minimum above 1 has no quorum
        assertThat(a.hasQuorum()).isFalse();

        await().atMost(FORMATION).until(() -> a.members().size() == 2 && b.members().size() == 2);
        await().atMost(FORMATION).until(() -> a.ownerOf("singleton:billing.monthly-run") != null
                && b.ownerOf("singleton:billing.monthly-run") != null);
        assertThat(List.of(a, b)).allSatisfy(m -> {
            assertThat(m.hasQuorum()).isTrue();
            assertThat(m.minClusterSize()).isEqualTo(2);
            m.requireQuorum("POST /api/vms"); // does not throw
            assertThat(m.check().status()).isEqualTo(HealthStatus.UP);
            assertThat(m.check().details()).containsEntry("quorum", true);
        });
        // exactly one of the two runs a cluster-wide job's tick
        await().atMost(FORMATION).untilAsserted(() -> assertThat(
                List.of(a, b).stream().filter(m -> m.runsSingleton("billing.monthly-run")).count()).isEqualTo(1));
        IMap<String, String> mapOfA = Hazelcast.getHazelcastInstanceByName("qa").getMap("verbund.test");
        mapOfA.put("k", "v");

        b.deactivate();
        running.remove(b);

        await().atMost(FORMATION).until(() -> a.members().size() == 1);
        assertThat(a.hasQuorum()).isFalse();
        assertThat(a.runsSingleton("billing.monthly-run")).isFalse();
        assertThat(a.isLocalOwner("singleton:billing.monthly-run")).isTrue(); // owns it, still must not run it
        assertThat(a.check().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(a.check().details()).containsEntry("quorum", false);
        assertThatThrownBy(() -> a.requireQuorum("POST /api/vms"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.NO_QUORUM);
                    assertThat(e.type().status()).isEqualTo(503);
                    assertThat(e.errors()).containsExactly("membersSeen=1", "membersRequired=2");
                })
                .hasMessageContaining("sees 1 of the 2 cluster members required")
                .hasMessageContaining("POST /api/vms is refused");
        // Hazelcast's own protection of our maps applies the same rule
        await().atMost(FORMATION).untilAsserted(() -> assertThatThrownBy(() -> mapOfA.put("k", "w"))
                .isInstanceOf(SplitBrainProtectionException.class));

        HazelcastClusterComponent back = member("qb2", ports.get(1), ports);
        await().atMost(FORMATION).until(() -> a.members().size() == 2 && back.members().size() == 2);
        assertThat(a.hasQuorum()).isTrue();
        a.requireQuorum("POST /api/vms");
        await().atMost(FORMATION).untilAsserted(() -> assertThat(
                List.of(a, back).stream().filter(m -> m.runsSingleton("billing.monthly-run")).count()).isEqualTo(1));
        assertThat(mapOfA.get("k")).isEqualTo("v");
    }

    @Test
    void minimumOfOneIsNoProtection() {
        int port = Ports.freeTcpPort();
        HazelcastClusterComponent solo = member("solo", port, List.of(port), "min_cluster_size", 1);
        assertThat(solo.hasQuorum()).isTrue(); // even while starting: nothing to protect against
        await().atMost(FORMATION).until(() -> solo.check().status() == HealthStatus.UP);
        assertThat(solo.runsSingleton("audit.retention")).isTrue();
    }

    private HazelcastClusterComponent member(String id, int port, List<Integer> clusterPorts, Object... extra) {
        return cluster.start(id, port, clusterPorts, extra);
    }
}

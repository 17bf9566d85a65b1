package de.sid.verbund.cluster.hazelcast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.Hazelcast;
import de.sid.verbund.cluster.ClusterMember;
import de.sid.verbund.cluster.ListenerRegistration;
import de.sid.verbund.core.health.Health;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real Hazelcast members on loopback, each test in a cluster of its own name on free ports. */
class HazelcastClusterComponentTest {
    private static final Duration FORMATION = Duration.ofSeconds(30);
    private static final List<String> KEYS = IntStream.range(0, 1000).mapToObj(i -> "device:" + i).toList();

    private final LoopbackMembers cluster = new LoopbackMembers("test");
    private final String clusterName = cluster.clusterName;
    private final List<HazelcastClusterComponent> running = cluster.running;

    @AfterEach
    void stopAll() {
        cluster.close();
        assertThat(running).allSatisfy(c -> assertThat(c.check().status()).isEqualTo(HealthStatus.DOWN));
    }

    @Test
    void singleMemberIsDownWhileStartingThenOwnsEveryKey() {
        int port = Ports.freeTcpPort();
        HazelcastClusterComponent solo = member("solo", port, List.of(port), "min_cluster_size", 1);

        // the constructor returns before the member has joined (or failed to find others)
        assertThat(solo.check().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(solo.check().details()).containsEntry("state", "starting");
        assertThat(solo.isLocalOwner("device:1")).isFalse();
        assertThat(solo.ownerOf("device:1")).isNull();
        assertThat(solo.members()).isEmpty();

        await().atMost(FORMATION).until(() -> solo.check().status() == HealthStatus.UP);
        assertThat(KEYS).allMatch(solo::isLocalOwner);
        assertThat(KEYS).allMatch(k -> "solo".equals(solo.ownerOf(k)));
        assertThat(solo.members()).singleElement().satisfies(m -> {
            assertThat(new ClusterMember(m.id(), m.address(), m.local()))
                    .isEqualTo(new ClusterMember("solo", "127.0.0.1:" + port, true));
            assertThat(m.startedAt()).isNotNull().isBeforeOrEqualTo(java.time.Instant.now());
        });
        assertThat(solo.clusterName()).isEqualTo(clusterName);
        assertThat(solo.localMemberId()).isEqualTo("solo");
        assertThat(solo.check().details())
                .containsEntry("state", "running")
                .containsEntry("clusterName", clusterName)
                .containsEntry("memberCount", 1)
                .containsEntry("localAddress", "127.0.0.1:" + port);
    }

    @Test
    void singleMemberBelowMinimumSizeIsDegraded() {
        int port = Ports.freeTcpPort();
        HazelcastClusterComponent solo = member("alone", port, List.of(port), "min_cluster_size", 2);

        await().atMost(FORMATION).until(() -> solo.check().status() != HealthStatus.DOWN);
        Health h = solo.check();
        assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(h.details()).containsEntry("memberCount", 1).containsEntry("minClusterSize", 2);
        assertThat(solo.isLocalOwner("device:1")).isTrue(); // degraded, but still working
    }

    @Test
    void threeMembersShareTheKeysAndSurvivorsTakeOverWhenOneLeaves() {
        List<Integer> ports = List.of(Ports.freeTcpPort(), Ports.freeTcpPort(), Ports.freeTcpPort());
        List<HazelcastClusterComponent> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(member("m" + i, ports.get(i), ports, "min_cluster_size", 3));
        }
        HazelcastClusterComponent m0 = members.get(0);
        HazelcastClusterComponent m1 = members.get(1);
        HazelcastClusterComponent m2 = members.get(2);
        // registered while the members are still starting: told once they run and own their keys
        Map<String, AtomicReference<Set<String>>> seenAtStart = listenersRecordingOwnedKeys(members);

        await().atMost(FORMATION).untilAsserted(() -> assertThat(members)
                .allSatisfy(m -> assertThat(m.check().status()).isEqualTo(HealthStatus.UP)));
        for (HazelcastClusterComponent m : members) {
            List<ClusterMember> view = m.members();
            assertThat(view).extracting(ClusterMember::id).containsExactlyInAnyOrder("m0", "m1", "m2");
            assertThat(view).filteredOn(ClusterMember::local).extracting(ClusterMember::id)
                    .containsExactly(m.localMemberId());
            assertThat(view).extracting(ClusterMember::address).containsExactlyInAnyOrderElementsOf(
                    ports.stream().map(p -> "127.0.0.1:" + p).toList());
        }
        await().atMost(FORMATION).untilAsserted(() -> assertEachKeyOwnedByExactlyOne(members));
        await().atMost(FORMATION).untilAsserted(() -> assertListenersSawAllKeysOnce(seenAtStart));
        Map<String, Long> keysPerOwner = KEYS.stream().collect(Collectors.groupingBy(m0::ownerOf, Collectors.counting()));
        assertThat(keysPerOwner).containsOnlyKeys("m0", "m1", "m2");
        assertThat(keysPerOwner.values()).allMatch(n -> n > 100, "each member owns a fair share: " + keysPerOwner);

        m0.addOwnershipListener(() -> {
            throw new IllegalStateException("a broken listener must not stop the others");
        });
        List<HazelcastClusterComponent> survivors = List.of(m0, m1);
        Map<String, AtomicReference<Set<String>>> seen = listenersRecordingOwnedKeys(survivors);
        AtomicInteger removedCalls = new AtomicInteger();
        ListenerRegistration removed = m1.addOwnershipListener(removedCalls::incrementAndGet);
        removed.close();

        m2.deactivate();
        running.remove(m2);

        // a graceful leaver hands its partitions over first, then leaves: both are seen in time;
        // what each survivor's listener saw at its last call covers every key, each once
        // (the views of the two survivors settle on one owner per key: a partition still moving can
        // have no owner in one member's view for a moment under load)
        await().atMost(FORMATION).untilAsserted(() -> {
            assertListenersSawAllKeysOnce(seen);
            assertThat(survivors).allSatisfy(m -> assertThat(m.members()).hasSize(2));
            assertEachKeyOwnedByExactlyOne(survivors);
            assertThat(KEYS.stream().map(m0::ownerOf).collect(Collectors.toSet())).containsExactlyInAnyOrder("m0", "m1");
        });
        assertThat(removedCalls).hasValue(0);
        assertThat(m2.isLocalOwner("device:1")).isFalse();
        assertThat(m2.check().details()).containsEntry("state", "stopped");
        assertThat(survivors).allSatisfy(m -> {
            Health h = m.check();
            assertThat(h.status()).isEqualTo(HealthStatus.DEGRADED);
            assertThat(h.details()).containsEntry("memberCount", 2);
        });
    }

    @Test
    void crashedMemberIsReplacedBySurvivors() {
        List<Integer> ports = List.of(Ports.freeTcpPort(), Ports.freeTcpPort(), Ports.freeTcpPort());
        List<HazelcastClusterComponent> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(member("c" + i, ports.get(i), ports, "min_cluster_size", 1));
        }
        await().atMost(FORMATION).untilAsserted(() -> {
            assertThat(members).allSatisfy(m -> assertThat(m.members()).hasSize(3));
            assertEachKeyOwnedByExactlyOne(members);
        });
        List<HazelcastClusterComponent> survivors = members.subList(0, 2);
        Map<String, AtomicReference<Set<String>>> seen = listenersRecordingOwnedKeys(survivors);

        // no goodbye: what a killed process looks like to the others
        Hazelcast.getHazelcastInstanceByName("c2").getLifecycleService().terminate();

        // after the crash Hazelcast first promotes backups, then may rebalance partitions among the
        // survivors: while a partition moves, the two members' local views can differ for a moment,
        // so "exactly one owner" is the state the cluster settles in, not one it holds at every instant
        await().atMost(FORMATION).untilAsserted(() -> {
            assertListenersSawAllKeysOnce(seen);
            assertThat(survivors).allSatisfy(m -> assertThat(m.members()).hasSize(2));
            assertEachKeyOwnedByExactlyOne(survivors);
        });
        assertThat(members.get(2).check().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(members.get(2).isLocalOwner("device:1")).isFalse();
    }

    @Test
    void invalidConfigurationReportsDownWithTheReason() {
        HazelcastClusterComponent broken = new HazelcastClusterComponent(Configs.of(ClusterConfig.class,
                "cluster_name", clusterName, "member_id", "broken", "members", " , "));
        running.add(broken);

        Health h = broken.check();
        assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(h.details()).containsEntry("state", "failed");
        assertThat((String) h.details().get("error")).contains("de.sid.verbund.cluster", "members");
        assertThat(broken.isLocalOwner("device:1")).isFalse();
    }

    /**
     * A listener per member that, like real work owners, re-checks its keys when called and
     * remembers the keys it owned at its last call (nothing before the first call).
     */
    private static Map<String, AtomicReference<Set<String>>> listenersRecordingOwnedKeys(
            List<HazelcastClusterComponent> members) {
        Map<String, AtomicReference<Set<String>>> seen = new HashMap<>();
        for (HazelcastClusterComponent m : members) {
            AtomicReference<Set<String>> owned = new AtomicReference<>(Set.of());
            m.addOwnershipListener(() -> owned.set(KEYS.stream().filter(m::isLocalOwner).collect(Collectors.toSet())));
            seen.put(m.localMemberId(), owned);
        }
        return seen;
    }

    private static void assertListenersSawAllKeysOnce(Map<String, AtomicReference<Set<String>>> seen) {
        List<String> all = seen.values().stream().flatMap(r -> r.get().stream()).toList();
        assertThat(all).as("keys owned as seen by the listeners").hasSize(KEYS.size())
                .containsExactlyInAnyOrderElementsOf(KEYS);
        assertThat(seen.values()).as("every survivor took part").allSatisfy(r -> assertThat(r.get()).isNotEmpty());
    }

    private static void assertEachKeyOwnedByExactlyOne(List<HazelcastClusterComponent> members) {
        Set<String> ids = members.stream().map(HazelcastClusterComponent::localMemberId).collect(Collectors.toSet());
        for (String key : KEYS) {
            List<String> localOwners = members.stream().filter(m -> m.isLocalOwner(key))
                    .map(HazelcastClusterComponent::localMemberId).toList();
            assertThat(localOwners).as("members owning %s", key).hasSize(1);
            assertThat(members).as("every member's view of %s's owner", key)
                    .allSatisfy(m -> assertThat(m.ownerOf(key)).isEqualTo(localOwners.get(0)));
            assertThat(ids).contains(localOwners.get(0));
        }
    }

    private HazelcastClusterComponent member(String id, int port, List<Integer> clusterPorts, Object... extra) {
        return cluster.start(id, port, clusterPorts, extra);
    }
}

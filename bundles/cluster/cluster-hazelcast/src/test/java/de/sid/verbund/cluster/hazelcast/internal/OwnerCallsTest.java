package de.sid.verbund.cluster.hazelcast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.cluster.ListenerRegistration;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.Ports;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code callOnOwner} between two real Hazelcast members on loopback in this JVM: the call reaches
 * the key's owner (or the local handler directly), the owner's problem comes back unchanged, and a
 * silent or departed owner gives the caller a 503.
 */
class OwnerCallsTest {
    private static final Duration FORMATION = Duration.ofSeconds(30);
    private static final Duration CALL = Duration.ofSeconds(20);

    private final String clusterName = "calls-" + UUID.randomUUID();
    private final List<HazelcastClusterComponent> running = new ArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private HazelcastClusterComponent m0;
    private HazelcastClusterComponent m1;
    /** A key m1 owns, and one m0 owns. */
    private String keyOfM1;
    private String keyOfM0;

    @BeforeEach
    void twoMembers() {
        List<Integer> ports = List.of(Ports.freeTcpPort(), Ports.freeTcpPort());
        m0 = member("m0", ports.get(0), ports);
        m1 = member("m1", ports.get(1), ports);
        await().atMost(FORMATION).until(() -> m0.members().size() == 2 && m1.members().size() == 2
                && m0.check().status() == HealthStatus.UP && m1.check().status() == HealthStatus.UP);
        List<String> keys = IntStream.range(0, 200).mapToObj(i -> "host:" + i).toList();
        await().atMost(FORMATION).until(() -> keys.stream().allMatch(k -> m0.ownerOf(k) != null
                && m0.ownerOf(k).equals(m1.ownerOf(k))) && keys.stream().filter(m1::isLocalOwner).count() > 60
                && keys.stream().filter(m0::isLocalOwner).count() > 60); // partitions balanced: migrations done
        keyOfM1 = keys.stream().filter(m1::isLocalOwner).findFirst().orElseThrow();
        keyOfM0 = keys.stream().filter(m0::isLocalOwner).findFirst().orElseThrow();
        for (HazelcastClusterComponent m : List.of(m0, m1)) {
            String id = m.localMemberId();
            m.registerHandler("echo", (key, payload) -> "{\"member\":\"" + id + "\",\"key\":\"" + key + "\",\"payload\":"
                    + payload + ",\"thread\":\"" + Thread.currentThread().getName() + "\"}");
            m.registerHandler("refuse", (key, payload) -> {
                throw new ProblemException(ProblemType.CONFLICT, "host kvm-3: RAM 61440/65536 MiB, needs 8192 (" + id + ")",
                        List.of("ramMib=61440", "needs=8192"), null);
            });
            m.registerHandler("break", (key, payload) -> {
                throw new IllegalStateException("handler bug on " + id);
            });
        }
    }

    @AfterEach
    void stop() {
        release.countDown();
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).deactivate();
        }
    }

    @Test
    void theCallRunsOnTheOwnerAndALocallyOwnedKeyOnTheCallersThread() {
        String answer = m0.callOnOwner(keyOfM1, "echo", "{\"n\":1}", CALL);
        assertThat(answer).startsWith("{\"member\":\"m1\",\"key\":\"" + keyOfM1 + "\",\"payload\":{\"n\":1},")
                .contains("hz.m1"); // a Hazelcast thread of the other member

        String local = m0.callOnOwner(keyOfM0, "echo", "{\"n\":2}", CALL);
        assertThat(local).isEqualTo("{\"member\":\"m0\",\"key\":\"" + keyOfM0 + "\",\"payload\":{\"n\":2},\"thread\":\""
                + Thread.currentThread().getName() + "\"}");
        // the other way round
        assertThat(m1.callOnOwner(keyOfM0, "echo", "[]", CALL)).startsWith("{\"member\":\"m0\"");
    }

    @Test
    void theOwnersProblemComesBackUnchanged() {
        for (String key : List.of(keyOfM1, keyOfM0)) {
            String owner = m0.ownerOf(key);
            assertThatThrownBy(() -> m0.callOnOwner(key, "refuse", "{}", CALL))
                    .isInstanceOfSatisfying(ProblemException.class, e -> {
                        assertThat(e.type()).isEqualTo(ProblemType.CONFLICT);
                        assertThat(e.type().status()).isEqualTo(409);
                        assertThat(e.getMessage()).isEqualTo("host kvm-3: RAM 61440/65536 MiB, needs 8192 (" + owner + ")");
                        assertThat(e.errors()).containsExactly("ramMib=61440", "needs=8192");
                    });
        }
        assertThatThrownBy(() -> m0.callOnOwner(keyOfM1, "break", "{}", CALL))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.INTERNAL);
                    assertThat(e.getMessage()).contains("failed on member m1", "handler bug on m1");
                });
        assertThatThrownBy(() -> m0.callOnOwner(keyOfM1, "no-such-operation", "{}", CALL))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("member m1", "no handler for operation no-such-operation");
                });
        assertThatThrownBy(() -> m0.registerHandler("echo", (k, p) -> p)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anOwnerThatDoesNotAnswerInTimeIsA503() {
        CountDownLatch entered = new CountDownLatch(1);
        m1.registerHandler("slow", (key, payload) -> {
            entered.countDown();
            waitFor(release);
            return "{}";
        });
        assertThatThrownBy(() -> m0.callOnOwner(keyOfM1, "slow", "{}", Duration.ofMillis(500)))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("member m1", "no answer within 500 ms");
                    assertThat(e.errors()).containsExactly("owner=m1");
                });
        assertThat(entered.getCount()).as("the handler was reached").isZero();
    }

    @Test
    void anOwnerLeavingDuringTheCallIsA503AndARemovedHandlerTakesNoCalls() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        m1.registerHandler("slow", (key, payload) -> {
            entered.countDown();
            waitFor(release);
            return "{}";
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<Long> call = CompletableFuture.supplyAsync(() -> {
            long t0 = System.nanoTime();
            try {
                m0.callOnOwner(keyOfM1, "slow", "{}", Duration.ofSeconds(60));
            } catch (RuntimeException e) {
                failure.set(e);
            }
            return (System.nanoTime() - t0) / 1_000_000;
        });
        assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> leaving = CompletableFuture.runAsync(m1::deactivate);
        long millis = call.get(60, TimeUnit.SECONDS);
        System.out.printf("owner call: the caller got its answer %d ms after the call started, the owner leaving%n", millis);
        assertThat(failure.get()).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE);
            assertThat(e.getMessage()).contains("member m1", "left the cluster during the call");
        });
        release.countDown();
        leaving.get(60, TimeUnit.SECONDS);
        // m0 owns everything now: its own handler answers
        await().atMost(FORMATION).until(() -> m0.isLocalOwner(keyOfM1));
        assertThat(m0.callOnOwner(keyOfM1, "echo", "1", CALL)).startsWith("{\"member\":\"m0\"");
        // a member that is not running knows no owner
        assertThatThrownBy(() -> m1.callOnOwner(keyOfM1, "echo", "1", CALL))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE));
        ListenerRegistration r = m0.registerHandler("gone", (k, p) -> p);
        assertThat(m0.callOnOwner(keyOfM1, "gone", "2", CALL)).isEqualTo("2");
        r.close();
        assertThatThrownBy(() -> m0.callOnOwner(keyOfM1, "gone", "2", CALL))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE));
    }

    private static void waitFor(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HazelcastClusterComponent member(String id, int port, List<Integer> clusterPorts) {
        Map<String, Object> values = new HashMap<>();
        values.put("cluster_name", clusterName);
        values.put("member_id", id);
        values.put("port", port);
        values.put("port_auto_increment", false);
        values.put("members", clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
        values.put("heartbeat_interval_s", 1);
        values.put("max_no_heartbeat_s", 3);
        values.put("join_wait_s", 1);
        values.put("shutdown_max_wait_s", 5);
        HazelcastClusterComponent c = new HazelcastClusterComponent(Configs.of(ClusterConfig.class, values));
        running.add(c);
        return c;
    }
}

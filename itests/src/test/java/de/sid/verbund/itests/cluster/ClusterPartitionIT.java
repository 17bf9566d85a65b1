package de.sid.verbund.itests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A network partition, two members against one (issue #7): three real nodes, each Hazelcast
 * member on a loopback address of its own, one PostgreSQL schema, the shared broker,
 * {@code min.cluster.size = 2} ({@link SharedCluster}). nftables drops the Hazelcast traffic between one member and the
 * other two ({@link LoopbackPartition}); the database and the broker stay reachable for all.
 *
 * <ul>
 *   <li>The monthly invoice run of the previous month is opened again and held back by the test
 *       ({@link MonthlyRunFixture#reopenMonth()}) until the partition: the job's owner waits on it. The member
 *       cut off is one that does not own the job.</li>
 *   <li>Cut off, that member refuses changes (REST 503 {@code no-quorum}: an authority, a billing
 *       run, a finalisation) while reads work; its scheduled check of the monthly run comes and
 *       goes without it trying the run (no session of it waits on the key, its log has the
 *       check's skip). The two-member side keeps quorum: it creates an authority, runs the month
 *       once the key is let go, and finalises half the documents.</li>
 *   <li>After healing, the members merge (three seen on every node); the formerly cut-off node
 *       reads what the majority wrote, takes changes again and finalises the other half.</li>
 *   <li>The month was closed exactly once: one {@code billing_run} row, one document per
 *       authority, numbers without a gap, the run done by a majority node only.</li>
 * </ul>
 * Measured and printed: how long after the cut the member refuses, how long the merge takes
 * after healing, and when the majority closed the month.
 */
@ExtendWith(SharedCluster.Use.class)
@Order(SharedCluster.ORDER + 2)
class ClusterPartitionIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SKIPPED = MonthlyRunFixture.SKIPPED;
    private static final String NO_QUORUM = "urn:verbund:problem:no-quorum";

    private final SharedCluster shared;
    private final ClusterNodes cluster;
    private LoopbackPartition partition;

    ClusterPartitionIT(SharedCluster shared) {
        this.shared = shared;
        this.cluster = shared.cluster();
    }

    @AfterEach
    void tearDown() {
        if (partition != null) {
            partition.close();
        }
    }

    @Test
    void theCutOffMemberRefusesChangesTheMajorityClosesTheMonthOnceAndAllMergeAfterHealing() throws Exception {
        long t0 = System.nanoTime();
        String broker = shared.broker().url();
        MonthlyRunFixture billing = new MonthlyRunFixture(cluster);
        String done = "Monthly billing run of " + billing.period + " done";
        Map<Integer, Integer> doneBefore = logCounts(done);
        // the month is open again, its run held until the partition
        try (MonthlyRunFixture.RunHold runRow = billing.reopenMonth()) {
            Map<Integer, Integer> checksBefore = skippedChecks();

            shared.usageGiven(billing.createAuthorities(1, "Teil-Behörde", 4));
            Map<String, String> authorities = shared.billedAuthorities(1);
            List<String> vms = billing.publishUsage(broker, new ArrayList<>(authorities.keySet()));
            billing.awaitMetered(vms, Duration.ofMinutes(2));

            // every node checks the job every run.check.s: the owner tries and waits on the key, the others skip
            List<Integer> owners = new ArrayList<>();
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                owners.clear();
                owners.addAll(nodesWaitingOn(billing, runRow));
                Map<Integer, Integer> checks = skippedChecks();
                return cluster.nodes().stream().allMatch(n -> owners.contains(n.number())
                        || checks.get(n.number()) > checksBefore.get(n.number()));
            });
            int x = cluster.nodes().stream().map(ClusterNodes.Node::number).filter(n -> !owners.contains(n))
                    .reduce((a, b) -> b).orElseThrow(() -> new AssertionError("every node waits on the run's key"));
            List<Integer> majority = cluster.nodes().stream().map(ClusterNodes.Node::number).filter(n -> n != x).toList();
            int m = majority.get(0);
            System.out.printf("the monthly run of %s waits on the held key in node(s) %s; cutting off node %d (%s:%d)%n",
                    billing.period, owners, x, cluster.node(x).address(), cluster.node(x).hazelcastPort());

            // --- the cut ---
            long cutAt = System.nanoTime();
            partition = LoopbackPartition.isolate(cluster, x);
            // probed with an invalid authority: 400 while the node has quorum (nothing is created), 503 once it has not
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> cluster.post(x, "/api/authorities", "{}").statusCode() == 503);
            double refusingS = seconds(cutAt);
            String minority = authority("Minderheit");
            HttpResponse<String> refused = cluster.post(x, "/api/authorities", minority);
            assertThat(refused.statusCode()).as("POST /api/authorities on node %d: %s", x, refused.body()).isEqualTo(503);
            int checksAtRefusal = skippedChecks().get(x);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> cluster.memberCount(majority.get(0)) == 2 && cluster.memberCount(majority.get(1)) == 2);
            System.out.printf("node %d refuses changes %.1f s after the cut: %s%n", x, refusingS, refused.body());
            JsonNode problem = JSON.readTree(refused.body());
            assertThat(problem.path("type").asText()).isEqualTo(NO_QUORUM);
            assertThat(problem.path("detail").asText()).contains("sees 1 of the 2 cluster members required");
            assertThat(cluster.memberCount(x)).isEqualTo(1);
            assertThat(cluster.get(x, "/api/cluster").path("quorum").asBoolean()).isFalse();
            assertThat(cluster.get(m, "/api/cluster").path("quorum").asBoolean()).isTrue();
            HttpResponse<String> run = cluster.post(x, "/api/invoices/run?period=" + billing.period, "");
            assertThat(run.statusCode()).as("billing run on the cut-off node: %s", run.body()).isEqualTo(503);
            List<String> read = new ArrayList<>();
            cluster.get(x, "/api/authorities?limit=500").path("items").forEach(a -> read.add(a.path("id").asText()));
            assertThat(read).as("reads on the cut-off node").containsAll(authorities.keySet());
            assertThat(cluster.text(x, "/api/authorities?limit=500")).as("the refused authority").doesNotContain("Minderheit");

            // the majority keeps working
            HttpResponse<String> created = cluster.post(m, "/api/authorities", authority("Mehrheit"));
            assertThat(created.statusCode()).as("POST /api/authorities on node %d: %s", m, created.body()).isEqualTo(201);
            String majorityAuthority = JSON.readTree(created.body()).path("id").asText();

            // the cut-off node's next scheduled check: no quorum, so it does not try the run (the month is still open)
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> skippedChecks().get(x) > checksAtRefusal);
            assertThat(nodesWaitingOn(billing, runRow)).as("nodes waiting to run the month").doesNotContain(x);
            assertThat(billing.runRows()).isZero();
            System.out.printf("node %d skipped its scheduled check of the monthly run %.1f s after the cut%n", x, seconds(cutAt));

            // the month is let go: the majority's owner runs it during the partition
            long releasedAt = System.nanoTime();
            runRow.close();
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> billing.runRows() == 1);
            List<Integer> ranIt = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> nodesLogging(done, doneBefore), l -> !l.isEmpty());
            System.out.printf("the majority closed %s %.1f s after the key was let go (node %s)%n", billing.period,
                    seconds(releasedAt), ranIt);
            assertThat(ranIt).as("nodes that ran the month").hasSize(1).doesNotContain(x);

            List<MonthlyRunFixture.Doc> drafts = billing.documents();
            assertThat(drafts).hasSize(authorities.size() + 1).allMatch(d -> "DRAFT".equals(d.state()));
            List<MonthlyRunFixture.Doc> invoices = drafts.stream().filter(d -> "INVOICE".equals(d.kind())).toList();
            List<MonthlyRunFixture.Doc> allocations = drafts.stream().filter(d -> !"INVOICE".equals(d.kind())).toList();
            HttpResponse<String> refusedFinal = cluster.post(x, "/api/invoices/" + allocations.get(0).id() + "/finalize", "");
            assertThat(refusedFinal.statusCode()).as("finalising on the cut-off node: %s", refusedFinal.body()).isEqualTo(503);
            assertThat(billing.finalizeAll(invoices, majority.stream().mapToInt(Integer::intValue).toArray()).values())
                    .as("invoices finalised by the majority").containsOnly(200);

            // --- healing ---
            long healAt = System.nanoTime();
            partition.heal();
            cluster.awaitMembers(3, Duration.ofMinutes(3));
            double mergeS = seconds(healAt);
            System.out.printf("merged %.1f s after healing: %s%n", mergeS, memberCounts());
            // every device is polled again after the merge (a lease left with a node that no longer
            // polled the device once kept 2 of 300 unpolled for minutes)
            long mergedAt = System.currentTimeMillis();
            await("all devices polled after the merge").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> devicesPolledSince(mergedAt) == SharedCluster.DEVICES);
            System.out.printf("all %d devices polled again within %.1f s of the merge%n", SharedCluster.DEVICES,
                    (System.currentTimeMillis() - mergedAt) / 1000.0);

            // the formerly cut-off node reads the majority's writes and takes changes again
            JsonNode seen = cluster.get(x, "/api/authorities/" + majorityAuthority);
            assertThat(seen.path("name").asText()).as("the majority's authority, read on node %d", x).startsWith("Mehrheit");
            for (MonthlyRunFixture.Doc d : invoices) {
                JsonNode doc = cluster.get(x, "/api/invoices/" + d.id());
                assertThat(doc.path("state").asText()).as("invoice %s on node %d", d.id(), x).isEqualTo("FINAL");
            }
            assertThat(cluster.get(x, "/api/cluster").path("quorum").asBoolean()).isTrue();
            assertThat(billing.finalizeAll(allocations, x).values()).as("allocations finalised by node %d", x).containsOnly(200);

            assertThat(nodesLogging(done, doneBefore)).as("nodes that ran the month").isEqualTo(ranIt);
            billing.assertClosedOnce(authorities);
            System.out.printf("partition: node %d refused after %.1f s, merge after %.1f s, month closed once (%d documents, "
                    + "numbers without a gap); whole test %.0f s%n", x, refusingS, mergeS, drafts.size(), seconds(t0));
        }
    }

    /** @return how many devices (communities) the agent saw a poll of (a GET of sysObjectID.0) start since {@code from} */
    private long devicesPolledSince(long from) {
        return shared.requests().stream()
                .filter(r -> r.epochMillis() >= from && r.pduType() == org.snmp4j.PDU.GET
                        && r.oids().contains("1.3.6.1.2.1.1.2.0"))
                .map(r -> r.community()).distinct().count();
    }

    private static String authority(String prefix) {
        return "{\"name\":\"" + prefix + " " + java.util.UUID.randomUUID().toString().substring(0, 6)
                + "\",\"kind\":\"MINISTRY\",\"costCentre\":\"KST-P\",\"billingMode\":\"INTERNAL\"}";
    }

    /** @return by node, how many scheduled checks of the monthly run it skipped so far (its DEBUG lines) */
    private Map<Integer, Integer> skippedChecks() throws IOException {
        Map<Integer, Integer> out = new HashMap<>();
        for (ClusterNodes.Node n : cluster.nodes()) {
            out.put(n.number(), cluster.logLines(n.number(), SKIPPED).size());
        }
        return out;
    }

    private List<Integer> nodesWaitingOn(MonthlyRunFixture billing, MonthlyRunFixture.RunHold hold) throws Exception {
        return billing.waitingOn(hold.pid()).stream().filter(w -> w.node() != null && w.node().matches("node\\d+"))
                .map(w -> Integer.parseInt(w.node().substring("node".length())))
                .distinct().sorted().toList();
    }

    /** @return the nodes whose log has more lines with {@code text} than {@code before} */
    private List<Integer> nodesLogging(String text, Map<Integer, Integer> before) throws IOException {
        Map<Integer, Integer> now = logCounts(text);
        return cluster.nodes().stream().map(ClusterNodes.Node::number).filter(n -> now.get(n) > before.get(n)).toList();
    }

    private Map<Integer, Integer> logCounts(String text) throws IOException {
        Map<Integer, Integer> out = new HashMap<>();
        for (ClusterNodes.Node n : cluster.nodes()) {
            out.put(n.number(), cluster.logLines(n.number(), text).size());
        }
        return out;
    }

    private String memberCounts() throws Exception {
        StringBuilder s = new StringBuilder();
        for (ClusterNodes.Node n : cluster.nodes()) {
            s.append("node ").append(n.number()).append(" sees ").append(cluster.memberCount(n.number())).append("; ");
        }
        return s.toString();
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}

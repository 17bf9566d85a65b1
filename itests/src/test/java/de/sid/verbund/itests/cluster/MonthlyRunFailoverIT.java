package de.sid.verbund.itests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node dies in the middle of the monthly invoice run (issue #7): three real nodes on one
 * PostgreSQL schema and the shared broker, {@code min.cluster.size = 2} ({@link SharedCluster}).
 *
 * <ol>
 *   <li>The test opens the previous month again and holds its run ({@link MonthlyRunFixture#reopenMonth()}),
 *       so the run cannot start before the month's usage is in: authorities are created over REST
 *       and two hours of a VM per authority (the seeded ones, those of earlier tests and its own)
 *       are published on the broker as compute would.</li>
 *   <li>The job's owner waits on that key. The test then holds the key of the SID's
 *       counter-entry (the run's last document) and lets the first go: the owner's run inserts
 *       the {@code billing_run} row, writes every authority's draft and waits there, its
 *       transaction open (seen in {@code pg_locks}: it has written {@code billing_run},
 *       {@code billing_invoice}, {@code billing_invoice_line}).</li>
 *   <li>That node gets SIGKILL; the test lets the counter-entry key go. The dead node's
 *       transaction is rolled back by PostgreSQL, and another node completes the run (its log says
 *       so; the killed one never did) at its next check at the latest: the nodes check every 10 s
 *       here ({@code run.check.s}; the default is an hour). The time from the kill is printed.</li>
 *   <li>One {@code billing_run} row, one document per authority, none left of the dead run; the
 *       survivors finalise them in parallel and the numbers have no gap.</li>
 * </ol>
 */
@ExtendWith(SharedCluster.Use.class)
@Order(SharedCluster.ORDER + 4)
class MonthlyRunFailoverIT {
    private static final String DONE = "Monthly billing run of ";

    private final SharedCluster shared;
    private final ClusterNodes cluster;

    MonthlyRunFailoverIT(SharedCluster shared) {
        this.shared = shared;
        this.cluster = shared.cluster();
    }

    @Test
    void anotherNodeCompletesTheMonthlyRunOfAKilledNodeAndTheMonthIsClosedOnce() throws Exception {
        long t0 = System.nanoTime();
        String broker = shared.broker().url();
        MonthlyRunFixture billing = new MonthlyRunFixture(cluster);
        String done = DONE + billing.period + " done";
        Map<Integer, Integer> doneBefore = new HashMap<>();
        for (ClusterNodes.Node n : cluster.nodes()) {
            doneBefore.put(n.number(), billing.logCount(n.number(), done));
        }
        // the month is open again, its run held until the month's usage is in
        try (MonthlyRunFixture.RunHold runRow = billing.reopenMonth()) {
            List<String> created = billing.createAuthorities(1, "Lauf-Behörde", 6);
            shared.usageGiven(created);
            Map<String, String> authorities = shared.billedAuthorities(2);
            List<String> vms = billing.publishUsage(broker, new ArrayList<>(authorities.keySet()));
            billing.awaitMetered(vms, Duration.ofMinutes(2));
            // the job's owner checks every run.check.s: it waits on the held month
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !billing.waitingOn(runRow.pid()).isEmpty());
            System.out.printf("monthly run of %s due for %d authorities (%s waiting on the held billing_run key)%n",
                    billing.period, authorities.size(), billing.waitingOn(runRow.pid()));

            int victim;
            long killedAt;
            try (MonthlyRunFixture.Hold counter = billing.holdCounterEntry()) {
                runRow.close();
                MonthlyRunFixture.Waiter running = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                        .until(() -> billing.waitingOn(counter.pid()), l -> !l.isEmpty()).get(0);
                victim = Integer.parseInt(running.node().substring("node".length()));
                List<String> written = billing.tablesWrittenBy(running.pid());
                System.out.printf("node %d's run is in progress: backend %d has written %s and waits at the "
                        + "counter-entry%n", victim, running.pid(), written);
                assertThat(written).as("what the run wrote before the counter-entry")
                        .contains("billing_run", "billing_invoice", "billing_invoice_line");
                assertThat(billing.runRows()).as("nothing committed yet").isZero();
                killedAt = System.nanoTime();
                cluster.kill(victim);
            }
            // the counter-entry key is free again: the dead run's backend ends, another node's run goes through
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(200)).until(() -> billing.runRows() == 1);
            double completedS = seconds(killedAt);
            List<Integer> survivors = cluster.nodes().stream().map(ClusterNodes.Node::number).filter(n -> n != victim).toList();
            // the log line follows the commit
            List<Integer> ranIt = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> nodesLogging(billing, survivors, done, doneBefore), l -> !l.isEmpty());
            System.out.printf("SIGKILL of node %d in the middle of the run: node(s) %s completed it %.1f s later%n",
                    victim, ranIt, completedS);
            assertThat(ranIt).as("the survivor that ran the month").hasSize(1);
            assertThat(billing.logCount(victim, done)).as("lines of the killed node's log").isEqualTo(doneBefore.get(victim));

            List<MonthlyRunFixture.Doc> drafts = billing.documents();
            assertThat(drafts).as("drafts of %s", billing.period).hasSize(authorities.size() + 1)
                    .allMatch(d -> "DRAFT".equals(d.state()));
            Map<String, Integer> finalized = billing.finalizeAll(drafts, survivors.stream().mapToInt(Integer::intValue).toArray());
            assertThat(finalized.values()).as("finalisations").containsOnly(200);
            billing.assertClosedOnce(authorities);
            System.out.printf("monthly run failover: %d documents final, numbers %s … %s without a gap; whole test %.0f s%n",
                    drafts.size(), billing.documents().stream().map(MonthlyRunFixture.Doc::number).min(String::compareTo).orElse("-"),
                    billing.documents().stream().map(MonthlyRunFixture.Doc::number).max(String::compareTo).orElse("-"),
                    seconds(t0));
        }
    }

    /** @return the nodes whose log has more lines with {@code text} than {@code before} */
    private List<Integer> nodesLogging(MonthlyRunFixture billing, List<Integer> nodes, String text, Map<Integer, Integer> before)
            throws java.io.IOException {
        List<Integer> out = new ArrayList<>();
        for (int n : nodes) {
            if (billing.logCount(n, text) > before.get(n)) {
                out.add(n);
            }
        }
        return out;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}

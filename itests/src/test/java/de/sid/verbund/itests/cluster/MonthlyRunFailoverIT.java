package de.sid.verbund.itests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node dies in the middle of the monthly invoice run (issue #7): three real nodes on one
 * PostgreSQL schema and the shared broker, {@code min.cluster.size = 2}.
 *
 * <ol>
 *   <li>The test holds the previous month's {@code billing_run} key while nodes 2 and 3 join, so
 *       the run cannot start before the month's usage is in: authorities are created over REST
 *       and two hours of a VM per authority are published on the broker as compute would.</li>
 *   <li>The job's owner waits on that key. The test then holds the key of the SID's
 *       counter-entry (the run's last document) and lets the first go: the owner's run inserts
 *       the {@code billing_run} row, writes every authority's draft and waits there, its
 *       transaction open (seen in {@code pg_locks}: it has written {@code billing_run},
 *       {@code billing_invoice}, {@code billing_invoice_line}).</li>
 *   <li>That node gets SIGKILL; the test lets the counter-entry key go. The dead node's
 *       transaction is rolled back by PostgreSQL, and another node completes the run (its log says
 *       so; the killed one never did) at its next check at the latest: the nodes check every 60 s
 *       here ({@code run.check.s}; the default is an hour). The time from the kill is printed.</li>
 *   <li>One {@code billing_run} row, one document per authority, none left of the dead run; the
 *       survivors finalise them in parallel and the numbers have no gap.</li>
 * </ol>
 */
class MonthlyRunFailoverIT {
    private static final Duration BOOT = Duration.ofMinutes(4);
    private static final String DONE = "Monthly billing run of ";

    private ClusterNodes cluster;

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anotherNodeCompletesTheMonthlyRunOfAKilledNodeAndTheMonthIsClosedOnce() throws Exception {
        long t0 = System.nanoTime();
        cluster = ClusterNodes.unpack(3);
        String broker = cluster.useSharedBroker();
        cluster.minClusterSize(2);
        MonthlyRunFixture billing = new MonthlyRunFixture(cluster);
        billing.configureNodes();
        MonthlyRunFixture.Hold[] runRow = new MonthlyRunFixture.Hold[1];
        try {
            // node 1 alone has no quorum and runs no job: the key is held before the others join
            cluster.startAll(BOOT, () -> runRow[0] = billing.holdRunRow());
            cluster.awaitMembers(3, BOOT);
            System.out.printf("monthly run failover: 3 nodes up after %.0f s%n", seconds(t0));

            billing.createAuthorities(1, "Lauf-Behörde", 6);
            Map<String, String> authorities = billing.authorities(2);
            List<String> vms = billing.publishUsage(broker, new ArrayList<>(authorities.keySet()));
            billing.awaitMetered(vms, Duration.ofMinutes(2));
            // the job's owner checks at least every 60 s: it waits on the held key
            await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !billing.waitingOn(runRow[0].pid()).isEmpty());
            System.out.printf("monthly run of %s due for %d authorities (%s waiting on the held billing_run key)%n",
                    billing.period, authorities.size(), billing.waitingOn(runRow[0].pid()));

            int victim;
            long killedAt;
            try (MonthlyRunFixture.Hold counter = billing.holdCounterEntry()) {
                runRow[0].close();
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
            String done = DONE + billing.period + " done";
            // the log line follows the commit
            List<Integer> ranIt = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> nodesLogging(survivors, done), l -> !l.isEmpty());
            System.out.printf("SIGKILL of node %d in the middle of the run: node(s) %s completed it %.1f s later%n",
                    victim, ranIt, completedS);
            assertThat(ranIt).as("the survivor that ran the month").hasSize(1);
            assertThat(cluster.logLines(victim, done)).as("the killed node's log").isEmpty();

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
        } finally {
            if (runRow[0] != null) {
                runRow[0].close();
            }
        }
    }

    private List<Integer> nodesLogging(List<Integer> nodes, String text) throws java.io.IOException {
        List<Integer> out = new ArrayList<>();
        for (int n : nodes) {
            if (!cluster.logLines(n, text).isEmpty()) {
                out.add(n);
            }
        }
        return out;
    }

    private static double seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1e9;
    }
}

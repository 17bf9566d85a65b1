package de.sid.verbund.billing.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceFilter;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.NewPriceSheet;
import de.sid.verbund.billing.Price;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Money;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.testsupport.SettableClock;
import de.sid.verbund.testsupport.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The monthly run as a cluster-wide job on PostgreSQL, two nodes' billing cores on one database: the
 * node running it dies midway (its database session is killed while it drafts), the other node's run,
 * waiting on the period's {@code billing_run} row, completes it; every authority ends with exactly one
 * draft for the month and the period has one run row.
 */
class PostgresMonthlyRunFailoverTest {
    private static final BillingPeriod MARCH = BillingPeriod.of(2026, 3);

    private final TestPostgres pg = TestPostgres.fromSystemProperties();
    private String url;
    private JdbcDatabase dbA;
    private JdbcDatabase dbB;
    private SettableClock clock;
    private TestAuthorities authorities;
    private Seller seller;

    @BeforeEach
    void setUp() {
        url = pg.newSchema("billing_failover_");
        dbA = new JdbcDatabase(url, pg.user(), pg.password(), 4, 10_000);
        dbB = new JdbcDatabase(url, pg.user(), pg.password(), 4, 10_000);
        clock = new SettableClock(BillingTest.berlin("2026-02-01T00:00"));
        authorities = new TestAuthorities();
        authorities.add(BillingTest.A, "Landesamt A", BillingMode.INVOICE, true);
        authorities.add(BillingTest.B, "Amt B", BillingMode.INTERNAL, false);
        authorities.add(BillingTest.C, "Behörde C", BillingMode.INVOICE, false);
        seller = BillingComponent.seller(de.sid.verbund.testsupport.Configs.of(BillingConfig.class));
    }

    @AfterEach
    void tearDown() {
        dbA.close();
        dbB.close();
    }

    @Test
    void whenTheNodeRunningTheMonthDiesMidwayTheOtherCompletesItOnce() throws Exception {
        Billing seed = new Billing(dbA, clock, () -> authorities, seller);
        seed.priceSheets.create(new NewPriceSheet("Preisblatt 2026", BillingTest.berlin("2026-01-01T00:00"), null,
                List.of(new Price(Metric.VM_HOUR, "vm-s", Money.eur("1.00")))));
        for (String tenant : List.of(BillingTest.A, BillingTest.B, BillingTest.C)) {
            seed.meter(BillingTest.vm("vm.created", UUID.randomUUID().toString(), tenant, "RUNNING", 1, 1024, 0,
                    BillingTest.berlin("2026-03-01T00:00"), null));
        }
        clock.set(BillingTest.berlin("2026-04-01T00:30"));

        // node A: stops (as if paused before it dies) the moment it drafts the first document
        CountDownLatch drafting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Supplier<AuthorityService> stalling = () -> {
            drafting.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return authorities;
        };
        Billing nodeA = new Billing(dbA, clock, stalling, seller);
        Billing nodeB = new Billing(dbB, clock, () -> authorities, seller);

        CompletableFuture<Optional<BillingPeriod>> runA = CompletableFuture.supplyAsync(nodeA::scheduledRun);
        assertThat(drafting.await(30, TimeUnit.SECONDS)).as("node A is inside the run").isTrue();
        assertThat(runRows()).as("A's run row is not committed").isZero();

        // node B's next check: its insert of the period's row waits for A's transaction
        CompletableFuture<Optional<BillingPeriod>> runB = CompletableFuture.supplyAsync(nodeB::scheduledRun);
        List<Integer> holders = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            holders.clear();
            holders.addAll(blockersOfTheRunInsert());
            return !holders.isEmpty();
        });
        assertThat(runB).isNotDone();

        // node A dies: the database ends its session, and with it the open transaction
        terminate(holders);
        release.countDown();

        assertThat(runB.get(60, TimeUnit.SECONDS)).contains(MARCH);
        assertThat(runA).failsWithin(Duration.ofSeconds(60));
        assertThat(runRows()).isEqualTo(1);
        for (String tenant : List.of(BillingTest.A, BillingTest.B, BillingTest.C)) {
            List<Invoice> docs = nodeB.invoices.list(new InvoiceFilter(tenant, MARCH, null, null), 50, null).items()
                    .stream().filter(i -> i.kind() != InvoiceKind.CREDIT_NOTE).toList();
            assertThat(docs).as("documents of %s for March", tenant).hasSize(1);
            assertThat(docs.get(0).net()).isEqualTo(Money.eur("743.00"));
        }
        // A's node restarted, and every later check on either node, finds the month done
        assertThat(new Billing(dbA, clock, () -> authorities, seller).scheduledRun()).isEmpty();
        assertThat(nodeB.scheduledRun()).isEmpty();
        assertThat(runRows()).isEqualTo(1);
    }

    private int runRows() throws Exception {
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password()); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT count(*) FROM billing_run WHERE period = '" + MARCH + "'")) {
            r.next();
            return r.getInt(1);
        }
    }

    /** The sessions holding the lock that a waiting {@code INSERT INTO billing_run} waits for. */
    private List<Integer> blockersOfTheRunInsert() throws Exception {
        List<Integer> pids = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SELECT unnest(pg_blocking_pids(pid)) FROM pg_stat_activity "
                        + "WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO billing_run%'")) {
            while (r.next()) {
                pids.add(r.getInt(1));
            }
        }
        return pids;
    }

    private void terminate(List<Integer> pids) throws Exception {
        try (Connection c = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            for (int pid : pids) {
                s.execute("SELECT pg_terminate_backend(" + pid + ")");
            }
        }
    }
}

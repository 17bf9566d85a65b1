package de.sid.verbund.tenancy.core.internal;

import static de.sid.verbund.tenancy.core.internal.TenancyFixture.internal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.Quota;
import de.sid.verbund.tenancy.QuotaUsage;
import de.sid.verbund.tenancy.Resources;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quota ledger in the real database under concurrency: embedded H2 here, PostgreSQL in the subclass. */
class QuotaLedgerTest {
    private static final String UNKNOWN = "00000000-0000-4000-8000-000000000000";
    @TempDir
    Path dir;
    JdbcDatabase db;
    AuthorityServiceImpl authorities;
    JdbcQuotaLedger ledger;
    Authority ministry;
    Authority lfst;
    Authority unitA;
    Authority unitB;

    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 16, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        db.migrate("tenancy", AuthorityServiceImpl.class.getClassLoader());
        authorities = new AuthorityServiceImpl(db, Clock.systemUTC(), id -> false);
        ledger = new JdbcQuotaLedger(db, Clock.systemUTC());
        ministry = authorities.create(internal("SMF", AuthorityKind.MINISTRY, null, new Quota(100, null, null, null)));
        lfst = authorities.create(internal("Landesamt für Steuern", AuthorityKind.AUTHORITY, ministry.id(),
                new Quota(16, 65_536L, 1000, 10)));
        unitA = authorities.create(internal("Referat A", AuthorityKind.UNIT, lfst.id(), new Quota(12, null, null, null)));
        unitB = authorities.create(internal("Referat B", AuthorityKind.UNIT, lfst.id(), Quota.UNLIMITED));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private static Resources vcpu(int n) {
        return new Resources(n, 1024L * n, 10, 1);
    }

    @Test
    void reservationsCountAgainstTheUnitAndSummedAgainstEveryParent() {
        ledger.reserve(unitA.id(), vcpu(8), "order/1");
        ledger.reserve(unitB.id(), vcpu(6), "order/2");
        assertThat(ledger.usage(unitA.id())).isEqualTo(new QuotaUsage(unitA.id(), new Quota(12, null, null, null),
                new Resources(8, 8192, 10, 1)));
        assertThat(ledger.usage(lfst.id()).reserved()).isEqualTo(new Resources(14, 14_336, 20, 2));
        assertThat(ledger.usage(ministry.id()).reserved()).isEqualTo(new Resources(14, 14_336, 20, 2));

        // unit B has no vCPU limit of its own, but the authority above it has 16
        assertThatThrownBy(() -> ledger.reserve(unitB.id(), vcpu(4), "order/3"))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.CONFLICT);
                    // no figures of the parent: they include what unit B's siblings hold
                    assertThat(e.getMessage()).isEqualTo("quota of the parent authority Landesamt für Steuern exceeded "
                            + "(shared with the authorities below it): vCPU");
                });
        // unit A's own limit of 12 and the authority's 16 at once
        assertThatThrownBy(() -> ledger.reserve(unitA.id(), vcpu(5), "order/4")).hasMessage(
                "quota of Referat A exceeded: vCPU 8 reserved + 5 requested > 12; "
                        + "quota of the parent authority Landesamt für Steuern exceeded (shared with the authorities below it): vCPU");
        assertThat(ledger.usage(lfst.id()).reserved().vcpu()).isEqualTo(14);

        ledger.release("order/2");
        ledger.release("order/2");
        ledger.reserve(unitB.id(), vcpu(4), "order/3");
        assertThat(ledger.usage(lfst.id()).reserved().vcpu()).isEqualTo(12);
    }

    @Test
    void reservingTheSameReferenceAgainIsANoOp() {
        ledger.reserve(unitA.id(), vcpu(8), "order/1");
        ledger.reserve(unitA.id(), vcpu(8), "order/1");
        assertThat(ledger.usage(unitA.id()).reserved().vcpu()).isEqualTo(8);
    }

    @Test
    void recheckFindsAReservationThatNoLongerFitsALoweredQuota() {
        ledger.reserve(unitA.id(), vcpu(4), "order/1");
        ledger.reserve(unitB.id(), vcpu(8), "order/2");
        ledger.recheck("order/1");
        NewAuthority lowered = new NewAuthority(lfst.name(), null, null, lfst.costCentre(), null, lfst.billingAddress(),
                lfst.billingMode(), false, lfst.contacts(), new Quota(10, null, null, null), lfst.budget());
        authorities.update(lfst.id(), lowered);
        assertThatThrownBy(() -> ledger.recheck("order/1")).hasMessage(
                "quota of the parent authority Landesamt für Steuern exceeded (shared with the authorities below it): vCPU");
        assertThatThrownBy(() -> ledger.recheck("order/9"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.NOT_FOUND));
    }

    @Test
    void unknownAuthorityAndBadInputAreRefused() {
        assertThatThrownBy(() -> ledger.reserve(UNKNOWN, vcpu(1), "order/1"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.NOT_FOUND));
        assertThatThrownBy(() -> ledger.usage(UNKNOWN))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.NOT_FOUND));
        assertThatThrownBy(() -> ledger.reserve(unitA.id(), vcpu(1), " "))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST));
        assertThatThrownBy(() -> ledger.reserve(unitA.id(), null, "order/1"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST));
    }

    /**
     * Eight threads each try to reserve 10 of the 16 vCPU of the authority, spread over its two
     * units, in many rounds: in each exactly one succeeds and the seven refusals give the figures.
     */
    @Test
    void parallelReservationsThatTogetherExceedTheQuotaLetExactlyOneThrough() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 10; round++) {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<String>> results = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    String unit = t % 2 == 0 ? unitA.id() : unitB.id();
                    String ref = "order/" + round + "-" + t;
                    results.add(pool.submit(() -> {
                        start.await();
                        try {
                            ledger.reserve(unit, vcpu(10), ref);
                            return "ok";
                        } catch (ProblemException e) {
                            return e.getMessage();
                        }
                    }));
                }
                start.countDown();
                List<String> outcomes = new ArrayList<>();
                for (Future<String> f : results) {
                    outcomes.add(f.get(60, TimeUnit.SECONDS));
                }
                assertThat(outcomes).filteredOn("ok"::equals).hasSize(1);
                assertThat(outcomes).filteredOn(o -> !"ok".equals(o)).hasSize(7)
                        .allMatch(o -> o.endsWith("quota of the parent authority Landesamt für Steuern exceeded "
                                + "(shared with the authorities below it): vCPU"));
                assertThat(ledger.usage(lfst.id()).reserved().vcpu()).isEqualTo(10);
                for (int t = 0; t < 8; t++) {
                    ledger.release("order/" + round + "-" + t);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Eight threads reserve 2 vCPU each, 40 times in all, against 16: exactly 8 are held at the end. */
    @Test
    void manyParallelSmallReservationsFillTheQuotaExactly() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String unit = i % 2 == 0 ? unitA.id() : unitB.id();
                String ref = "order/" + i;
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        ledger.reserve(unit, new Resources(2, 0, 0, 0), ref);
                        return true;
                    } catch (ProblemException e) {
                        return false;
                    }
                }));
            }
            start.countDown();
            int ok = 0;
            for (Future<Boolean> f : results) {
                ok += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(ok).isEqualTo(8);
            assertThat(ledger.usage(lfst.id()).reserved().vcpu()).isEqualTo(16);
        } finally {
            pool.shutdownNow();
        }
    }
}

package de.sid.verbund.security.shiro.internal;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.AuditEntry;
import de.sid.verbund.security.AuditQuery;
import de.sid.verbund.security.AuditVerification;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.SettableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

/** The hash-chained audit log in the real database: embedded H2 here, PostgreSQL in the subclass. */
class AuditChainTest {
    @TempDir
    Path dir;
    JdbcDatabase db;
    ShiroSecurity security;
    JdbcAuditLog audit;
    final SettableClock now = new SettableClock(Instant.parse("2026-11-01T10:00:00.123456789Z"));

    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 12, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        security = new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", 4), clock());
        audit = security.auditLog();
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private Clock clock() {
        return now;
    }

    private void sql(String statement) {
        db.inTransaction(c -> {
            try (var s = c.createStatement()) {
                return s.executeUpdate(statement);
            }
        });
    }

    private List<Long> ids() {
        List<Long> ids = new ArrayList<>();
        for (AuditEntry e : security.list(500, null).items()) {
            ids.add(0, e.id());
        }
        return ids;
    }

    @Test
    void anUntouchedLogVerifiesAndATamperedRowIsFoundExactly() {
        for (int i = 0; i < 10; i++) {
            security.record("anna", "POST /api/vms", "vm/" + i, "SUCCESS", "entry " + i);
        }
        AuditVerification ok = security.verify();
        assertThat(ok.intact()).isTrue();
        assertThat(ok.checked()).isEqualTo(11); // with the seeding of the demo users
        long victim = ids().get(5);
        sql("UPDATE audit SET detail = 'nothing to see' WHERE id = " + victim);
        AuditVerification broken = security.verify();
        assertThat(broken.intact()).isFalse();
        assertThat(broken.firstBrokenId()).isEqualTo(victim);
        assertThat(broken.reason()).isEqualTo("entry " + victim + ": its content does not match its hash: the entry was changed");
    }

    @Test
    void aDeletedOrRehashedRowIsFound() {
        for (int i = 0; i < 6; i++) {
            security.record("anna", "DELETE /api/vms", "vm/" + i, "SUCCESS", "");
        }
        List<Long> ids = ids();
        sql("DELETE FROM audit WHERE id = " + ids.get(3));
        assertThat(security.verify().firstBrokenId()).isEqualTo(ids.get(4));
        sql("DELETE FROM audit WHERE id = " + ids.get(ids.size() - 1));
        assertThat(security.verify().firstBrokenId()).isEqualTo(ids.get(4));
    }

    @Test
    void removingTheNewestEntriesIsFound() {
        for (int i = 0; i < 4; i++) {
            security.record("anna", "login", "api", "SUCCESS", "");
        }
        List<Long> ids = ids();
        sql("DELETE FROM audit WHERE id = " + ids.get(ids.size() - 1));
        AuditVerification v = security.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenId()).isEqualTo(ids.get(ids.size() - 1));
    }

    @Test
    void parallelAppendsFromManyThreadsNeverForkTheChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 25; i++) {
                        security.record("user" + thread, "POST /api/orders", "order/" + i, "SUCCESS", "");
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        AuditVerification v = security.verify();
        assertThat(v.intact()).as(String.valueOf(v.reason())).isTrue();
        assertThat(v.checked()).isEqualTo(201);
        long distinctPrev = db.inTransaction(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(DISTINCT prev_hash) FROM audit")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        assertThat(distinctPrev).isEqualTo(201);
    }

    @Test
    void entriesWrittenBeforeTheChainExistedAreChainedOnTheNextStart() {
        security.record("anna", "login", "api", "SUCCESS", "");
        // rows as an older version wrote them: no hashes
        sql("INSERT INTO audit (at, subject, action, target, outcome, detail) VALUES "
                + "(TIMESTAMP WITH TIME ZONE '2026-11-01 10:05:00+00', 'bob', 'login', 'api', 'SUCCESS', ''), "
                + "(TIMESTAMP WITH TIME ZONE '2026-11-01 10:06:00+00', 'eve', 'login', 'api', 'FAILED 401', 'wrong password')");
        assertThat(security.verify().intact()).isFalse();
        new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", 4), clock());
        AuditVerification v = security.verify();
        assertThat(v.intact()).isTrue();
        assertThat(v.checked()).isEqualTo(4);
        sql("UPDATE audit SET subject = 'mallory' WHERE subject = 'eve'");
        assertThat(security.verify().firstBrokenId()).isEqualTo(ids().get(3));
    }

    @Test
    void retentionDeletesOldEntriesAndTheRestStaysVerifiable() {
        for (int day = 0; day < 10; day++) {
            now.set(Instant.parse("2026-11-01T10:00:00Z").plus(Duration.ofDays(day)));
            security.record("anna", "login", "api", "SUCCESS", "day " + day);
        }
        // on 2026-11-10, keep 3 days: entries of 11-07 10:00 and later stay
        assertThat(audit.deleteOlderThan(Duration.ofDays(3))).isEqualTo(7); // the demo seeding and days 0..5
        List<Long> kept = ids();
        assertThat(security.list(50, null).items()).extracting(AuditEntry::detail)
                .containsExactly("day 9", "day 8", "day 7", "day 6");
        assertThat(security.verify()).isEqualTo(new AuditVerification(true, 4, null, null));
        security.record("anna", "login", "api", "SUCCESS", "after retention");
        assertThat(security.verify().intact()).isTrue();
        assertThat(audit.deleteOlderThan(Duration.ofDays(3))).isZero();
        // a row removed at the old end after retention is found too
        sql("DELETE FROM audit WHERE id = " + kept.get(0));
        assertThat(security.verify().firstBrokenId()).isEqualTo(kept.get(1));
    }

    @Test
    void queriesFilterBySubjectActionOutcomeAndTime() {
        now.set(Instant.parse("2026-11-02T08:00:00Z"));
        security.record("anna", "POST /api/authorities", "authorities", "SUCCESS", "");
        now.set(Instant.parse("2026-11-02T09:00:00Z"));
        security.record("anna", "access tenancy:write:x", "authority x", "DENIED 403", "");
        now.set(Instant.parse("2026-11-02T10:00:00Z"));
        security.record("bob", "access tenancy:read:y", "authority y", "DENIED 404", "answered as not found");
        assertThat(security.query(new AuditQuery("anna", null, null, null, null), 10, null).items()).extracting(AuditEntry::action)
                .containsExactly("access tenancy:write:x", "POST /api/authorities");
        assertThat(security.query(new AuditQuery(null, "access tenancy", null, null, null), 10, null).items()).hasSize(2);
        assertThat(security.query(new AuditQuery(null, null, "DENIED", null, null), 10, null).items()).extracting(AuditEntry::subject)
                .containsExactly("bob", "anna");
        assertThat(security.query(new AuditQuery(null, null, "DENIED 404", null, null), 10, null).items()).hasSize(1);
        assertThat(security.query(new AuditQuery(null, null, null, Instant.parse("2026-11-02T08:30:00Z"),
                Instant.parse("2026-11-02T10:00:00Z")), 10, null).items()).extracting(AuditEntry::subject).containsExactly("anna");
        assertThat(security.query(new AuditQuery(null, "100%_", null, null, null), 10, null).items()).isEmpty();
        var page = security.query(new AuditQuery(null, null, "DENIED", null, null), 1, null);
        assertThat(page.items()).extracting(AuditEntry::subject).containsExactly("bob");
        assertThat(security.query(new AuditQuery(null, null, "DENIED", null, null), 1, page.nextCursor()).items())
                .extracting(AuditEntry::subject).containsExactly("anna");
    }
}

package de.sid.verbund.security.shiro.internal;

import static de.sid.verbund.security.shiro.internal.ShiroSecurityTest.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.AuditEntry;
import de.sid.verbund.security.User;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lockout against parallel guesses and re-authentication guesses, refusals that cost as much as a
 * password check, and 503 answers that do not describe the database. Password comparisons go
 * through a counting {@link JdbcUsers.PasswordCheck}.
 */
class PasswordAttemptTest {
    static final int BURST = 31;

    @TempDir
    Path dir;
    JdbcDatabase db;
    ShiroSecurity security;
    /** Every hash a password was compared against, in order. */
    final List<String> compared = new CopyOnWriteArrayList<>();
    /** Comparisons started (real or dummy); real ones may wait for {@link #holdRealChecksUntil}. */
    final AtomicInteger arrived = new AtomicInteger();
    volatile int holdRealChecksUntil;

    @BeforeEach
    void setUp() {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 8, 10_000);
        Clock clock = Clock.fixed(Instant.parse("2026-11-01T10:00:00Z"), ZoneOffset.UTC);
        security = new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", 4), clock, (hash, password) -> {
            compared.add(hash);
            arrived.incrementAndGet();
            if (!hash.equals(security.dummyHash())) {
                // a real check does not finish before every request of a burst has been let in or
                // refused: the worst case for the lockout (bcrypt is slow, claims are fast)
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (arrived.get() < holdRealChecksUntil && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                    Thread.yield();
                }
            }
            return Passwords.matches(hash, password);
        });
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private long realChecks() {
        return compared.stream().filter(h -> !h.equals(security.dummyHash())).count();
    }

    private long dummyChecks() {
        return compared.stream().filter(h -> h.equals(security.dummyHash())).count();
    }

    private List<AuditEntry> audit(String action) {
        return security.list(200, null).items().stream().filter(e -> e.action().equals(action)).toList();
    }

    @Test
    void parallelGuessesGetNoMorePasswordChecksThanTheLockAllows() throws Exception {
        holdRealChecksUntil = BURST;
        ExecutorService pool = Executors.newFixedThreadPool(BURST);
        CountDownLatch ready = new CountDownLatch(BURST);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (int i = 0; i < BURST; i++) {
                String password = i == BURST / 2 ? "clerk" : "guess-" + i;
                results.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        return security.authenticate(basic("clerk", password)).isAuthenticated();
                    } catch (ProblemException e) {
                        assertThat(e.type()).isEqualTo(ProblemType.UNAUTHORIZED);
                        assertThat(e).hasMessage(ShiroSecurity.LOGIN_FAILED);
                        return false;
                    }
                }));
            }
            assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            long accepted = 0;
            for (Future<Boolean> f : results) {
                accepted += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
            }
            // lock.after.failures = 5: at most 5 passwords were compared; the rest were refused unseen
            assertThat(realChecks()).isBetween(1L, 5L);
            assertThat(accepted).isLessThanOrEqualTo(1);
            assertThat(audit("login")).hasSize((int) (BURST - accepted));
            assertThat(audit("login")).filteredOn(e -> e.detail().startsWith("wrong password")).hasSizeLessThanOrEqualTo(5);
            assertThat(audit("login")).filteredOn(e -> e.detail().startsWith("locked after repeated failed logins"))
                    .hasSizeGreaterThanOrEqualTo(BURST - 5);
        } finally {
            pool.shutdownNow();
        }
        // the account is locked now: the right password is refused, and not even compared
        holdRealChecksUntil = 0;
        assertThat(security.findByUsername("clerk").orElseThrow().locked()).isTrue();
        long before = realChecks();
        assertThatThrownBy(() -> security.authenticate(basic("clerk", "clerk"))).hasMessage(ShiroSecurity.LOGIN_FAILED);
        assertThat(realChecks()).isEqualTo(before);
        assertThat(security.list(1, null).items().get(0).detail()).startsWith("locked after repeated failed logins until");
    }

    @Test
    void wrongCurrentPasswordsCountTowardsTheLockoutAndAreRefusedWhileLocked() {
        User clerk = security.findByUsername("clerk").orElseThrow();
        // a success forgets earlier failures, as for logins
        for (int i = 0; i < 4; i++) {
            assertThat(security.verifyPassword(clerk.id(), "guess-" + i)).isFalse();
        }
        assertThat(security.verifyPassword(clerk.id(), "clerk")).isTrue();
        // re-authentication guesses and login guesses share one count
        for (int i = 0; i < 3; i++) {
            assertThat(security.verifyPassword(clerk.id(), "guess-" + i)).isFalse();
        }
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> security.authenticate(basic("clerk", "bad"))).isInstanceOf(ProblemException.class);
        }
        assertThat(security.findByUsername("clerk").orElseThrow().locked()).isTrue();
        // locked: the right current password is refused, for re-authentication and for login
        long before = realChecks();
        assertThat(security.verifyPassword(clerk.id(), "clerk")).isFalse();
        assertThatThrownBy(() -> security.authenticate(basic("clerk", "clerk"))).hasMessage(ShiroSecurity.LOGIN_FAILED);
        assertThat(realChecks()).isEqualTo(before);
        List<AuditEntry> reauth = audit("re-authenticate");
        assertThat(reauth).hasSize(8);
        assertThat(reauth.get(0).detail()).startsWith("locked after repeated failed logins until");
        assertThat(reauth.get(0).target()).isEqualTo("user " + clerk.id());
        assertThat(reauth.get(1).detail()).isEqualTo("wrong password");
        // an administrator's unlock ends it
        security.unlock(clerk.id());
        assertThat(security.verifyPassword(clerk.id(), "clerk")).isTrue();
    }

    @Test
    void lockedDisabledAndUnknownAccountsAreRefusedAfterAHashComparisonAllTheSame() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> security.authenticate(basic("clerk", "bad"))).isInstanceOf(ProblemException.class);
        }
        assertThat(security.findByUsername("clerk").orElseThrow().locked()).isTrue();
        db.inTransaction(c -> {
            try (var s = c.createStatement()) {
                return s.executeUpdate("UPDATE app_user SET locked = TRUE WHERE username = 'monitor'");
            }
        });
        // the dummy hash is a real bcrypt hash at the configured cost, so comparing with it costs as much
        assertThat(security.dummyHash()).startsWith("$2y$04$").hasSize(60);
        for (String[] who : new String[][] {{"clerk", "clerk"}, {"monitor", "monitor"}, {"nobody", "nobody"}}) {
            compared.clear();
            assertThatThrownBy(() -> security.authenticate(basic(who[0], who[1]))).hasMessage(ShiroSecurity.LOGIN_FAILED);
            assertThat(compared).as(who[0]).containsExactly(security.dummyHash());
        }
        assertThat(security.list(3, null).items()).extracting(AuditEntry::detail).containsExactly("unknown user",
                "account disabled by an administrator",
                security.list(3, null).items().get(2).detail());
        assertThat(security.list(3, null).items().get(2).detail()).startsWith("locked after repeated failed logins until");
        // the same for re-authentication
        compared.clear();
        assertThat(security.verifyPassword(security.findByUsername("clerk").orElseThrow().id(), "clerk")).isFalse();
        assertThat(compared).containsExactly(security.dummyHash());
        // and a wrong password is one real comparison
        compared.clear();
        assertThatThrownBy(() -> security.authenticate(basic("operator", "bad"))).isInstanceOf(ProblemException.class);
        assertThat(dummyChecks()).isZero();
        assertThat(realChecks()).isEqualTo(1);
    }

    @Test
    void anUnavailableDatabaseIsNotDescribedToTheCaller() {
        db.close();
        for (String auth : new String[] {basic("admin", "admin"), basic("admin", "admin"), "Bearer vbt_whatever"}) {
            assertThatThrownBy(() -> security.authenticate(auth)).isInstanceOfSatisfying(ProblemException.class, e -> {
                assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE);
                assertThat(e.getMessage())
                        .isEqualTo("credentials cannot be checked now: " + ShiroSecurity.DATABASE_UNAVAILABLE)
                        .doesNotContain("jdbc:").doesNotContain("verbund/verbund");
            });
        }
    }
}

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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    final Clock clock = Clock.fixed(Instant.parse("2026-11-01T10:00:00Z"), ZoneOffset.UTC);
    /** Every hash a password was compared against, in order. */
    final List<String> compared = new CopyOnWriteArrayList<>();
    /** Every password compared with the account's real hash, in order. */
    final List<String> checkedPasswords = new CopyOnWriteArrayList<>();
    /**
     * Threads that reached a comparison (real or dummy) or paused waiting for an attempt slot; real
     * comparisons may wait until {@link #holdRealChecksUntil} of them are known.
     */
    final Set<Thread> accounted = ConcurrentHashMap.newKeySet();
    /** Threads that paused at least once waiting for an attempt slot. */
    final Set<Thread> waited = ConcurrentHashMap.newKeySet();
    final AtomicInteger realChecksRunning = new AtomicInteger();
    final AtomicInteger mostRealChecksAtOnce = new AtomicInteger();
    volatile int holdRealChecksUntil;

    /** @return the database under test: H2 here, PostgreSQL in {@link PostgresPasswordAttemptTest} */
    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 8, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        // a long slot wait, so that a slow build machine cannot turn waiting attempts into BUSY refusals
        security = security(Duration.ofSeconds(60));
    }

    private ShiroSecurity security(Duration slotWait) {
        return new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", 4), clock, this::compare,
                slotWait, millis -> {
                    waited.add(Thread.currentThread());
                    accounted.add(Thread.currentThread());
                    Thread.sleep(millis);
                });
    }

    private boolean compare(String hash, String password) {
        compared.add(hash);
        accounted.add(Thread.currentThread());
        if (hash.equals(security.dummyHash())) {
            return Passwords.matches(hash, password);
        }
        checkedPasswords.add(password);
        mostRealChecksAtOnce.accumulateAndGet(realChecksRunning.incrementAndGet(), Math::max);
        try {
            // a real check does not finish before every request of a burst has been let in, refused,
            // or is waiting for a slot: the worst case for the lockout (bcrypt is slow, claims are fast)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (accounted.size() < holdRealChecksUntil && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                Thread.yield();
            }
            return Passwords.matches(hash, password);
        } finally {
            realChecksRunning.decrementAndGet();
        }
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

    /**
     * Logs in as {@code clerk} with each password on a thread of its own, all at once.
     *
     * @return how many were accepted; every refusal is the generic 401
     */
    private long burst(List<String> passwords) throws Exception {
        int n = passwords.size();
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try {
            for (String password : passwords) {
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
                accepted += f.get(120, TimeUnit.SECONDS) ? 1 : 0;
            }
            return accepted;
        } finally {
            pool.shutdownNow();
        }
    }

    /** @return the clerk's row: failed_logins, logins_in_flight, and whether locked_until is set */
    private Map<String, Object> clerkRow() {
        return db.inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT failed_logins, logins_in_flight, locked_until FROM app_user "
                    + "WHERE username = 'clerk'"); var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return Map.of("failed_logins", rs.getInt(1), "logins_in_flight", rs.getInt(2),
                        "locked", rs.getObject(3) != null);
            }
        });
    }

    private void sql(String statement) {
        db.inTransaction(c -> {
            try (var s = c.createStatement()) {
                return s.executeUpdate(statement);
            }
        });
    }

    @Test
    void parallelGuessesGetNoMorePasswordChecksThanTheLockAllows() throws Exception {
        holdRealChecksUntil = BURST;
        List<String> passwords = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            passwords.add(i == BURST / 2 ? "clerk" : "guess-" + i);
        }
        long accepted = burst(passwords);
        // lock.after.failures = 5: at most 5 checks ran at once, and exactly 5 guesses were compared
        // before the 5th failure locked the account; the right password, when it got a slot, freed
        // only its own slot and forgave none of the guesses beside it
        assertThat(mostRealChecksAtOnce.get()).isBetween(1, 5);
        assertThat(checkedPasswords).filteredOn(p -> !p.equals("clerk")).hasSize(5);
        assertThat(realChecks()).isBetween(5L, 6L);
        assertThat(accepted).isLessThanOrEqualTo(1);
        assertThat(audit("login")).hasSize((int) (BURST - accepted));
        assertThat(audit("login")).filteredOn(e -> e.detail().startsWith("wrong password")).hasSize(5);
        assertThat(audit("login")).filteredOn(e -> e.detail().startsWith("locked after repeated failed logins"))
                .hasSize((int) (BURST - 5 - accepted));
        // the account is locked now: the right password is refused, and not even compared
        holdRealChecksUntil = 0;
        assertThat(security.findByUsername("clerk").orElseThrow().locked()).isTrue();
        assertThat(clerkRow()).containsEntry("failed_logins", 5).containsEntry("logins_in_flight", 0);
        long before = realChecks();
        assertThatThrownBy(() -> security.authenticate(basic("clerk", "clerk"))).hasMessage(ShiroSecurity.LOGIN_FAILED);
        assertThat(realChecks()).isEqualTo(before);
        assertThat(security.list(1, null).items().get(0).detail()).startsWith("locked after repeated failed logins until");
    }

    @Test
    void parallelLoginsWithTheRightPasswordWaitForASlotAndAllSucceed() throws Exception {
        int n = 30;
        holdRealChecksUntil = n;
        List<String> passwords = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            passwords.add("clerk");
        }
        assertThat(burst(passwords)).isEqualTo(n);
        // 5 checks at a time: the other 25 waited for a slot instead of locking the account
        assertThat(mostRealChecksAtOnce.get()).isBetween(1, 5);
        assertThat(waited).hasSizeGreaterThanOrEqualTo(n - 5);
        assertThat(realChecks()).isEqualTo(n);
        assertThat(audit("login")).isEmpty();
        assertThat(security.findByUsername("clerk").orElseThrow().locked()).isFalse();
        assertThat(clerkRow()).containsEntry("failed_logins", 0).containsEntry("logins_in_flight", 0)
                .containsEntry("locked", false);
    }

    @Test
    void parallelWrongGuessesAreCheckedFiveAtATimeAndLockTheAccount() throws Exception {
        holdRealChecksUntil = BURST;
        List<String> passwords = new ArrayList<>();
        for (int i = 0; i < BURST; i++) {
            passwords.add("guess-" + i);
        }
        assertThat(burst(passwords)).isZero();
        assertThat(realChecks()).isEqualTo(5);
        assertThat(audit("login")).filteredOn(e -> e.detail().startsWith("wrong password")).hasSize(5);
        assertThat(audit("login")).filteredOn(e -> e.detail().startsWith("locked after repeated failed logins"))
                .hasSize(BURST - 5);
        assertThat(clerkRow()).containsEntry("failed_logins", 5).containsEntry("logins_in_flight", 0)
                .containsEntry("locked", true);
    }

    @Test
    void anAttemptThatFindsNoFreeSlotInTimeIsRefusedWithoutLockingTheAccount() {
        // five checks in flight (just started, by the fixed clock) hold every slot
        sql("UPDATE app_user SET logins_in_flight = 5, last_login_attempt_at = TIMESTAMP WITH TIME ZONE "
                + "'2026-11-01 10:00:00+00' WHERE username = 'clerk'");
        security = security(Duration.ofMillis(200));
        assertThatThrownBy(() -> security.authenticate(basic("clerk", "clerk"))).hasMessage(ShiroSecurity.LOGIN_FAILED);
        // refused unseen after a comparison with the dummy hash, audited with the real reason, not locked
        assertThat(compared).containsExactly(security.dummyHash());
        assertThat(waited).isNotEmpty();
        assertThat(security.list(1, null).items().get(0).detail()).startsWith("too many concurrent login attempts");
        assertThat(clerkRow()).containsEntry("failed_logins", 0).containsEntry("logins_in_flight", 5)
                .containsEntry("locked", false);
        // once the slots are free again the right password is accepted
        sql("UPDATE app_user SET logins_in_flight = 0 WHERE username = 'clerk'");
        assertThat(security.authenticate(basic("clerk", "clerk")).isAuthenticated()).isTrue();
    }

    @Test
    void slotsLeftByChecksThatCannotFinishCountAsFailures() {
        // three failures and two checks that started two minutes ago and never ended (a process died)
        sql("UPDATE app_user SET failed_logins = 3, logins_in_flight = 2, last_login_attempt_at = "
                + "TIMESTAMP WITH TIME ZONE '2026-11-01 09:58:00+00' WHERE username = 'clerk'");
        assertThatThrownBy(() -> security.authenticate(basic("clerk", "clerk"))).hasMessage(ShiroSecurity.LOGIN_FAILED);
        assertThat(compared).containsExactly(security.dummyHash());
        assertThat(security.list(1, null).items().get(0).detail()).startsWith("locked after repeated failed logins until");
        assertThat(clerkRow()).containsEntry("failed_logins", 5).containsEntry("logins_in_flight", 0)
                .containsEntry("locked", true);
        // an administrator's unlock frees the slots as well
        security.unlock(security.findByUsername("clerk").orElseThrow().id());
        assertThat(clerkRow()).containsEntry("failed_logins", 0).containsEntry("logins_in_flight", 0);
        assertThat(security.authenticate(basic("clerk", "clerk")).isAuthenticated()).isTrue();
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

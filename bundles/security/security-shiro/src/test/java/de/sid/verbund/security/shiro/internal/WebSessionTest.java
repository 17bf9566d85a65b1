package de.sid.verbund.security.shiro.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.Caller;
import de.sid.verbund.security.WebSessions.WebSession;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.SettableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.shiro.subject.Subject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Web sessions: stored hashed in the shared database, accepted by every node, ended by idle time, age, logout and a new password. */
class WebSessionTest {
    @TempDir
    Path dir;
    JdbcDatabase db;
    ShiroSecurity node1;
    final SettableClock now = new SettableClock(Instant.parse("2026-11-01T10:00:00Z"));

    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 2000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        node1 = node();
    }

    private ShiroSecurity node() {
        return new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", 4), now);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }


    private void later(Duration d) {
        now.advance(d);
    }

    private static void assertRefused(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ProblemException.class,
                e -> assertThat(e.type()).isEqualTo(ProblemType.UNAUTHORIZED));
    }

    @Test
    void aSessionIsAnOpaqueSecretStoredOnlyAsItsHash() {
        WebSession s = node1.open("operator", "operator");
        assertThat(s.secret()).startsWith("vbs_").hasSizeGreaterThan(40);
        assertThat(s.user().username()).isEqualTo("operator");
        assertThat(s.expiresAt()).isEqualTo(now.instant().plus(Duration.ofHours(12)));
        Subject subject = node1.authenticateSession(s.secret());
        assertThat(subject.getPrincipals().oneByType(Caller.class).username()).isEqualTo("operator");
        assertThat(subject.isPermitted("compute:write:anything")).isTrue();
        String stored = db.inTransaction(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT secret_sha256 FROM web_session")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(stored).isEqualTo(Passwords.sha256(s.secret())).doesNotContain(s.secret());
    }

    @Test
    void wrongPasswordsGetTheLoginAnswerAndCountTowardsTheLockout() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> node1.open("clerk", "bad")).hasMessage(ShiroSecurity.LOGIN_FAILED);
        }
        assertThatThrownBy(() -> node1.open("clerk", "clerk")).hasMessage(ShiroSecurity.LOGIN_FAILED);
        assertThatThrownBy(() -> node1.open("", "x")).hasMessage(ShiroSecurity.LOGIN_FAILED);
        assertRefused(() -> node1.authenticateSession("vbs_made-up"));
        assertThat(node1.list(20, null).items()).anySatisfy(e -> {
            assertThat(e.subject()).isEqualTo("web session");
            assertThat(e.outcome()).isEqualTo("FAILED 401");
        });
    }

    @Test
    void anotherNodeOnTheSameDatabaseAcceptsTheSessionAfterTheFirstIsGone() {
        WebSession s = node1.open("admin", "admin");
        node1.deactivate();
        ShiroSecurity node2 = node();
        assertThat(node2.authenticateSession(s.secret()).getPrincipals().oneByType(Caller.class).username()).isEqualTo("admin");
        node2.close(s.secret());
        assertRefused(() -> node2.authenticateSession(s.secret()));
    }

    @Test
    void idleSessionsEndAndUsedOnesLastUntilTheirMaximumAge() {
        WebSession idle = node1.open("monitor", "monitor");
        WebSession used = node1.open("admin", "admin");
        for (int i = 0; i < 35; i++) {
            later(Duration.ofMinutes(20));
            node1.authenticateSession(used.secret());
        }
        assertRefused(() -> node1.authenticateSession(idle.secret()));
        // 11 h 40 min after the login, still in use
        later(Duration.ofMinutes(20));
        assertRefused(() -> node1.authenticateSession(used.secret()));
        node1.deleteDeadSessions();
        int left = db.inTransaction(c -> {
            try (var st = c.createStatement(); var rs = st.executeQuery("SELECT COUNT(*) FROM web_session")) {
                rs.next();
                return rs.getInt(1);
            }
        });
        assertThat(left).isZero();
    }

    @Test
    void aNewPasswordEndsTheUsersSessions() {
        WebSession s = node1.open("clerk", "clerk");
        node1.setPassword(s.user().id(), "another-long-password");
        assertRefused(() -> node1.authenticateSession(s.secret()));
    }
}

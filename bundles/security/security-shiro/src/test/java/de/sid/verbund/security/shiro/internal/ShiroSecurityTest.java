package de.sid.verbund.security.shiro.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.ApiToken;
import de.sid.verbund.security.AuditEntry;
import de.sid.verbund.security.NewUser;
import de.sid.verbund.security.Roles;
import de.sid.verbund.security.User;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.SettableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;
import org.apache.shiro.subject.Subject;
import org.apache.shiro.util.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShiroSecurityTest {
    @TempDir
    Path dir;
    JdbcDatabase db;
    ShiroSecurity security;
    final SettableClock now = new SettableClock(Instant.parse("2026-11-01T10:00:00Z"));

    @BeforeEach
    void setUp() {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 2000);
        security = new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", 4), now);
    }

    @AfterEach
    void tearDown() {
        ThreadContext.unbindSubject();
        db.close();
    }


    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private void loginAs(String user, String password) {
        ThreadContext.bind(security.authenticate(basic(user, password)));
    }

    @Test
    void demoUsersAreSeededOnceAndHashedWithBcrypt() {
        assertThat(security.list(null, 10, null).items()).extracting(User::username)
                .containsExactly("admin", "clerk", "monitor", "operator");
        new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", 4), now);
        assertThat(security.list(null, 10, null).items()).hasSize(4);
        String hash = db.inTransaction(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT password_hash FROM app_user WHERE username = 'admin'")) {
                rs.next();
                return rs.getString(1);
            }
        });
        assertThat(hash).startsWith("$2y$04$").doesNotContain("admin");
    }

    @Test
    void basicAuthenticationAcceptsTheRightPasswordOnly() {
        Subject s = security.authenticate(basic("admin", "admin"));
        assertThat(s.isAuthenticated()).isTrue();
        assertThatThrownBy(() -> security.authenticate(basic("admin", "wrong")))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNAUTHORIZED))
                .hasMessage(ShiroSecurity.LOGIN_FAILED);
        // an unknown user gets the very same answer
        assertThatThrownBy(() -> security.authenticate(basic("nobody", "x"))).hasMessage(ShiroSecurity.LOGIN_FAILED);
        assertThatThrownBy(() -> security.authenticate("Bearer ")).hasMessageContaining("missing API token");
        assertThatThrownBy(() -> security.authenticate(null)).hasMessageContaining("authentication required");
        assertThatThrownBy(() -> security.authenticate("Basic !!!")).hasMessageContaining("malformed");
        assertThatThrownBy(() -> security.authenticate("Digest abc")).hasMessageContaining("unsupported");
    }

    @Test
    void repeatedFailuresLockPasswordLoginsForAWhileWithoutSayingSo() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> security.authenticate(basic("clerk", "bad"))).isInstanceOf(ProblemException.class);
        }
        // the right password is refused during the lock, with the same message as a wrong one
        assertThatThrownBy(() -> security.authenticate(basic("clerk", "clerk"))).hasMessage(ShiroSecurity.LOGIN_FAILED);
        User clerk = security.findByUsername("clerk").orElseThrow();
        assertThat(clerk.locked()).isTrue();
        assertThat(security.list(1, null).items().get(0).detail()).startsWith("locked after repeated failed logins until");
        // API tokens are not locked out
        ApiToken token = security.createToken(clerk.id(), "ci", Duration.ofDays(1));
        assertThat(security.authenticate("Bearer " + token.secret()).isAuthenticated()).isTrue();
        // the lock ends by itself
        now.advance(Duration.ofMinutes(16));
        assertThat(security.authenticate(basic("clerk", "clerk")).isAuthenticated()).isTrue();
        assertThat(security.findByUsername("clerk").orElseThrow().locked()).isFalse();
    }

    @Test
    void anAdminCanUnlockOrSetANewPassword() {
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> security.authenticate(basic("clerk", "bad"))).isInstanceOf(ProblemException.class);
        }
        User clerk = security.findByUsername("clerk").orElseThrow();
        security.unlock(clerk.id());
        assertThat(security.authenticate(basic("clerk", "clerk")).isAuthenticated()).isTrue();
        for (int i = 0; i < 5; i++) {
            assertThatThrownBy(() -> security.authenticate(basic("clerk", "bad"))).isInstanceOf(ProblemException.class);
        }
        security.setPassword(clerk.id(), "a-new-long-password");
        assertThat(security.authenticate(basic("clerk", "a-new-long-password")).isAuthenticated()).isTrue();
        assertThat(security.verifyPassword(clerk.id(), "a-new-long-password")).isTrue();
        assertThat(security.verifyPassword(clerk.id(), "clerk")).isFalse();
    }

    @Test
    void aNewPasswordRevokesTheUsersTokens() {
        User op = security.findByUsername("operator").orElseThrow();
        ApiToken t1 = security.createToken(op.id(), "one", Duration.ofDays(5));
        ApiToken t2 = security.createToken(op.id(), "two", Duration.ofDays(5));
        assertThat(security.tokens(op.id())).extracting(ApiToken::name).containsExactlyInAnyOrder("one", "two");
        assertThat(security.tokens(op.id())).allSatisfy(t -> assertThat(t.secret()).isNull());
        security.revokeToken(op.id(), t1.id());
        assertThatThrownBy(() -> security.authenticate("Bearer " + t1.secret())).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> security.revokeToken(security.findByUsername("admin").orElseThrow().id(), t2.id()))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.NOT_FOUND));
        security.setPassword(op.id(), "operator-new-pw");
        assertThatThrownBy(() -> security.authenticate("Bearer " + t2.secret())).isInstanceOf(ProblemException.class);
        assertThat(security.tokens(op.id())).isEmpty();
    }

    @Test
    void authorityIdsAreStoredInCanonicalForm() {
        String upper = UUID.randomUUID().toString().toUpperCase(java.util.Locale.ROOT);
        User u = security.create(new NewUser("upper.case", "long-enough-pw", upper, Set.of(Roles.AUTHORITY_USER)));
        assertThat(u.authorityId()).isEqualTo(upper.toLowerCase(java.util.Locale.ROOT));
        assertThat(security.list(upper.toLowerCase(java.util.Locale.ROOT), 10, null).items()).extracting(User::username)
                .containsExactly("upper.case");
        assertThat(security.find(u.id().toUpperCase(java.util.Locale.ROOT))).isPresent();
    }

    @Test
    void nullRolesAndGarbageCursorsAreBadRequests() {
        java.util.Set<String> roles = new java.util.HashSet<>();
        roles.add(null);
        assertThatThrownBy(() -> security.create(new NewUser("nulls", "long-enough-pw", null, roles)))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST));
        assertThatThrownBy(() -> security.list(null, 10, "garbage!"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST));
    }

    @Test
    void aDatabaseThatIsDownMakesAuthenticationUnavailableNotUnauthorized() {
        db.close();
        assertThatThrownBy(() -> security.authenticate(basic("admin", "admin")))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE));
    }

    @Test
    void successfulLoginResetsTheFailureCount() {
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> security.authenticate(basic("clerk", "bad"))).isInstanceOf(ProblemException.class);
        }
        security.authenticate(basic("clerk", "clerk"));
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> security.authenticate(basic("clerk", "bad"))).isInstanceOf(ProblemException.class);
        }
        assertThat(security.authenticate(basic("clerk", "clerk")).isAuthenticated()).isTrue();
    }

    @Test
    void apiTokensAuthenticateUntilTheyExpire() {
        User op = security.findByUsername("operator").orElseThrow();
        ApiToken token = security.createToken(op.id(), "ci", Duration.ofDays(2));
        assertThat(token.secret()).startsWith("vbt_");
        Subject s = security.authenticate("Bearer " + token.secret());
        assertThat(s.getPrincipals().oneByType(de.sid.verbund.security.Caller.class).username()).isEqualTo("operator");
        now.advance(Duration.ofDays(3));
        assertThatThrownBy(() -> security.authenticate("Bearer " + token.secret())).hasMessageContaining("expired");
        assertThat(security.list(1, null).items().get(0).detail()).contains("expired");
        assertThatThrownBy(() -> security.authenticate("Bearer vbt_forged")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> security.createToken(op.id(), "x", Duration.ofDays(400))).hasMessageContaining("365");
    }

    @Test
    void permissionsAreScopedToTheCallersAuthority() {
        String a = UUID.randomUUID().toString();
        String b = UUID.randomUUID().toString();
        security.create(new NewUser("anna.a", "long-enough-pw", a, Set.of(Roles.AUTHORITY_USER)));
        loginAs("anna.a", "long-enough-pw");
        assertThat(security.isPermitted("compute:write:" + a)).isTrue();
        assertThat(security.isPermitted("compute:write:" + b)).isFalse();
        assertThat(security.isPermitted("billing:read:" + a)).isTrue();
        assertThat(security.isPermitted("billing:write:" + a)).isFalse();
        assertThatThrownBy(() -> security.checkVisible("compute:read:" + b, "vm/x"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.NOT_FOUND));
        assertThatThrownBy(() -> security.check("security:write:*", "users"))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.FORBIDDEN));
        Page<AuditEntry> audit = security.list(10, null);
        assertThat(audit.items()).extracting(AuditEntry::outcome).contains("DENIED 403", "DENIED 404");
        assertThat(audit.items().get(0).subject()).isEqualTo("anna.a");
    }

    @Test
    void sidAdminMayDoEverythingAndMonitoringOnlyItsArea() {
        loginAs("admin", "admin");
        assertThat(security.isPermitted("billing:write:" + UUID.randomUUID())).isTrue();
        ThreadContext.unbindSubject();
        loginAs("monitor", "monitor");
        assertThat(security.isPermitted("monitoring:write:platform")).isTrue();
        assertThat(security.isPermitted("billing:read:platform")).isFalse();
    }

    @Test
    void userCreationValidatesEveryFieldAndRefusesDuplicates() {
        assertThatThrownBy(() -> security.create(new NewUser("X", "short", null, Set.of("wizard"))))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST);
                    assertThat(e.errors()).hasSize(3);
                });
        assertThatThrownBy(() -> security.create(new NewUser("bob", "long-enough-pw", null, Set.of(Roles.AUTHORITY_ADMIN))))
                .hasMessageContaining("authorityId is required");
        security.create(new NewUser("bob", "long-enough-pw", null, Set.of(Roles.SID_OPERATOR)));
        assertThatThrownBy(() -> security.create(new NewUser("bob", "long-enough-pw", null, Set.of(Roles.SID_OPERATOR))))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.CONFLICT));
        assertThat(security.list(null, 50, null).items()).extracting(User::username).containsOnlyOnce("bob");
    }

    @Test
    void userListIsPagedWithACursor() {
        Page<User> first = security.list(null, 3, null);
        assertThat(first.items()).extracting(User::username).containsExactly("admin", "clerk", "monitor");
        Page<User> second = security.list(null, 3, first.nextCursor());
        assertThat(second.items()).extracting(User::username).containsExactly("operator");
        assertThat(second.nextCursor()).isNull();
    }

    @Test
    void failedLoginsAreAudited() {
        assertThatThrownBy(() -> security.authenticate(basic("admin", "nope"))).isInstanceOf(ProblemException.class);
        AuditEntry last = security.list(1, null).items().get(0);
        assertThat(last.action()).isEqualTo("login");
        assertThat(last.subject()).isEqualTo("admin");
        assertThat(last.outcome()).isEqualTo("FAILED 401");
        assertThat(last.detail()).isEqualTo("wrong password");
    }
}

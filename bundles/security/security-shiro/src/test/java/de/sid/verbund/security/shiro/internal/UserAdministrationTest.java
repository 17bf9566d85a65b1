package de.sid.verbund.security.shiro.internal;

import static de.sid.verbund.security.shiro.internal.ShiroSecurityTest.basic;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.ApiToken;
import de.sid.verbund.security.Caller;
import de.sid.verbund.security.NewUser;
import de.sid.verbund.security.Roles;
import de.sid.verbund.security.User;
import de.sid.verbund.security.rest.internal.UsersResource;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.FakeAccess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.shiro.subject.Subject;
import org.apache.shiro.util.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changing a user's roles and deleting a user ({@code PUT /api/users/{id}/roles},
 * {@code DELETE /api/users/{id}}): the store's rules, and the resource over the real Shiro
 * component (the caller's subject bound as the REST filter binds it), with {@link FakeAccess}
 * for a caller no real role produces.
 */
class UserAdministrationTest {
    private static final String PW = "long-enough-pw";
    private static final String A = UUID.randomUUID().toString();
    private static final String B = UUID.randomUUID().toString();

    @TempDir
    Path dir;
    JdbcDatabase db;
    ShiroSecurity security;
    UsersResource resource;

    /** @return the database under test: H2 here, PostgreSQL in {@link PostgresUserAdministrationTest} */
    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        security = new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", 4),
                Clock.fixed(Instant.parse("2026-11-01T10:00:00Z"), ZoneOffset.UTC));
        resource = new UsersResource(security, security);
    }

    @AfterEach
    void tearDown() {
        ThreadContext.unbindSubject();
        db.close();
    }

    private Subject login(String user, String password) {
        Subject s = security.authenticate(basic(user, password));
        ThreadContext.bind(s);
        return s;
    }

    private static ProblemType type(Throwable e) {
        return ((ProblemException) e).type();
    }

    @Test
    void rolesAreReplacedAndTheNextRequestHasTheNewPermissions() {
        User op = security.create(new NewUser("op2", PW, null, Set.of(Roles.SID_OPERATOR)));
        login("op2", PW);
        assertThat(security.isPermitted("security:write:platform")).isFalse();

        login("admin", "admin");
        User changed = resource.setRoles(op.id(), new UsersResource.RoleChange(Set.of(Roles.SID_ADMIN, Roles.BILLING_CLERK)));
        assertThat(changed.roles()).containsExactlyInAnyOrder(Roles.SID_ADMIN, Roles.BILLING_CLERK);
        assertThat(security.find(op.id()).orElseThrow().roles()).containsExactlyInAnyOrder(Roles.SID_ADMIN, Roles.BILLING_CLERK);

        login("op2", PW);
        assertThat(security.isPermitted("security:write:platform")).isTrue();
        assertThat(security.requireCaller().roles()).contains(Roles.SID_ADMIN);
    }

    @Test
    void invalidRoleSetsAreRefusedWithEachProblemListed() {
        User tenant = security.create(new NewUser("a-user", PW, A, Set.of(Roles.AUTHORITY_USER)));
        User sid = security.create(new NewUser("op2", PW, null, Set.of(Roles.SID_OPERATOR)));
        login("admin", "admin");

        assertThatThrownBy(() -> resource.setRoles(tenant.id(), new UsersResource.RoleChange(Set.of("root", Roles.SID_ADMIN,
                Roles.AUTHORITY_ADMIN)))).isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST);
                    assertThat(e.errors()).containsExactlyInAnyOrder(
                            "unknown role 'root' (known: " + new java.util.TreeSet<>(Roles.ALL) + ")",
                            "a user has either SID roles or authority roles, not both");
                });
        assertThatThrownBy(() -> resource.setRoles(tenant.id(), new UsersResource.RoleChange(Set.of(Roles.MONITORING))))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.errors())
                        .containsExactly("authorityId must be empty for SID roles"));
        assertThatThrownBy(() -> resource.setRoles(sid.id(), new UsersResource.RoleChange(Set.of(Roles.AUTHORITY_VIEWER))))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.errors())
                        .containsExactly("authorityId is required for authority roles"));
        assertThatThrownBy(() -> resource.setRoles(sid.id(), new UsersResource.RoleChange(Set.of())))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.errors()).hasSize(1)
                        .allMatch(m -> m.startsWith("roles must name at least one of")));
        assertThatThrownBy(() -> resource.setRoles(sid.id(), null)).satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.BAD_REQUEST));
        // nothing changed
        assertThat(security.find(tenant.id()).orElseThrow().roles()).containsExactly(Roles.AUTHORITY_USER);
        assertThat(security.find(sid.id()).orElseThrow().roles()).containsExactly(Roles.SID_OPERATOR);
    }

    @Test
    void anAuthorityAdminAdministersOwnUsersOnlyAndAnotherAuthorityAnswersAsUnknown() {
        security.create(new NewUser("a-admin", PW, A, Set.of(Roles.AUTHORITY_ADMIN)));
        User aUser = security.create(new NewUser("a-user", PW, A, Set.of(Roles.AUTHORITY_USER)));
        User bUser = security.create(new NewUser("b-user", PW, B, Set.of(Roles.AUTHORITY_USER)));
        User operator = security.findByUsername("operator").orElseThrow();
        login("a-admin", PW);

        assertThat(resource.setRoles(aUser.id(), new UsersResource.RoleChange(Set.of(Roles.AUTHORITY_VIEWER))).roles())
                .containsExactly(Roles.AUTHORITY_VIEWER);
        assertThatThrownBy(() -> resource.setRoles(aUser.id(), new UsersResource.RoleChange(Set.of(Roles.SID_ADMIN))))
                .satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.BAD_REQUEST));
        assertThatThrownBy(() -> resource.setRoles(bUser.id(), new UsersResource.RoleChange(Set.of(Roles.AUTHORITY_VIEWER))))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.NOT_FOUND);
                    assertThat(e.getMessage()).isEqualTo("no user " + bUser.id());
                });
        assertThatThrownBy(() -> resource.delete(bUser.id())).satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.NOT_FOUND));
        // SID staff are not the authority's to administer
        assertThatThrownBy(() -> resource.delete(operator.id())).satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.NOT_FOUND));
        assertThat(security.find(bUser.id())).isPresent();
        assertThat(security.list(1, null).items().get(0).outcome()).isEqualTo("DENIED 404");

        // an authority user reads the own authority's users but administers none
        login("b-user", PW);
        User bOther = security.create(new NewUser("b-other", PW, B, Set.of(Roles.AUTHORITY_VIEWER)));
        assertThatThrownBy(() -> resource.delete(bOther.id())).satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.FORBIDDEN));
        // the SID operator reads every user but administers none
        login("operator", "operator");
        assertThatThrownBy(() -> resource.setRoles(bUser.id(), new UsersResource.RoleChange(Set.of(Roles.AUTHORITY_ADMIN))))
                .satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.FORBIDDEN));
        assertThatThrownBy(() -> resource.delete(aUser.id())).satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.FORBIDDEN));
        assertThat(security.find(aUser.id())).isPresent();
    }

    @Test
    void nobodyChangesTheirOwnRolesOrDeletesThemselves() {
        User admin = security.findByUsername("admin").orElseThrow();
        security.create(new NewUser("admin2", PW, null, Set.of(Roles.SID_ADMIN)));
        login("admin", "admin");
        assertThatThrownBy(() -> resource.setRoles(admin.id(), new UsersResource.RoleChange(Set.of(Roles.SID_OPERATOR))))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.FORBIDDEN);
                    assertThat(e.getMessage()).isEqualTo("users cannot change their own roles");
                });
        assertThatThrownBy(() -> resource.delete(admin.id())).satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.FORBIDDEN));
        User aAdmin = security.create(new NewUser("a-admin", PW, A, Set.of(Roles.AUTHORITY_ADMIN)));
        login("a-admin", PW);
        assertThatThrownBy(() -> resource.setRoles(aAdmin.id(), new UsersResource.RoleChange(Set.of(Roles.AUTHORITY_USER))))
                .satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.FORBIDDEN));
        assertThat(security.find(admin.id()).orElseThrow().roles()).containsExactly(Roles.SID_ADMIN);
        assertThat(security.find(aAdmin.id()).orElseThrow().roles()).containsExactly(Roles.AUTHORITY_ADMIN);
    }

    @Test
    void theLastSidAdminIsNeitherDeletedNorDemoted() {
        User admin = security.findByUsername("admin").orElseThrow();
        // a caller with every permission who is not a user with sid-admin (no real role is like that)
        FakeAccess root = new FakeAccess(new Caller(UUID.randomUUID().toString(), "root", null, Set.of()), List.of("*"));
        UsersResource asRoot = new UsersResource(security, root);
        assertThatThrownBy(() -> asRoot.delete(admin.id())).isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.type()).isEqualTo(ProblemType.CONFLICT);
            assertThat(e.getMessage()).contains("last user holding sid-admin");
        });
        assertThatThrownBy(() -> asRoot.setRoles(admin.id(), new UsersResource.RoleChange(Set.of(Roles.SID_OPERATOR))))
                .satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.CONFLICT));
        assertThat(security.find(admin.id()).orElseThrow().roles()).containsExactly(Roles.SID_ADMIN);
        // keeping sid-admin among other roles is fine
        assertThat(security.setRoles(admin.id(), Set.of(Roles.SID_ADMIN, Roles.MONITORING)).roles()).hasSize(2);

        // with a second admin, one of them may go, then the other is the last again
        User second = security.create(new NewUser("admin2", PW, null, Set.of(Roles.SID_ADMIN)));
        asRoot.delete(admin.id());
        assertThat(security.find(admin.id())).isEmpty();
        assertThatThrownBy(() -> security.delete(second.id())).satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.CONFLICT));
        assertThatThrownBy(() -> security.delete(admin.id())).satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.NOT_FOUND));
        assertThatThrownBy(() -> security.setRoles(admin.id(), Set.of(Roles.SID_ADMIN)))
                .satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.NOT_FOUND));
    }

    @Test
    void aDeletedUserCanNoLongerLogInAndItsTokensStopWorking() {
        User gone = security.create(new NewUser("a-gone", PW, A, Set.of(Roles.AUTHORITY_USER)));
        ApiToken token = security.createToken(gone.id(), "ci", Duration.ofDays(30));
        assertThat(security.authenticate("Bearer " + token.secret()).isAuthenticated()).isTrue();
        assertThat(security.authenticate(basic("a-gone", PW)).isAuthenticated()).isTrue();

        security.create(new NewUser("a-admin", PW, A, Set.of(Roles.AUTHORITY_ADMIN)));
        login("a-admin", PW);
        assertThat(resource.delete(gone.id()).getStatus()).isEqualTo(204);
        ThreadContext.unbindSubject();

        assertThat(security.find(gone.id())).isEmpty();
        assertThatThrownBy(() -> security.authenticate(basic("a-gone", PW)))
                .satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.UNAUTHORIZED));
        assertThatThrownBy(() -> security.authenticate("Bearer " + token.secret()))
                .satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.UNAUTHORIZED));
        long tokens = db.inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT COUNT(*) FROM api_token WHERE user_id = ?")) {
                ps.setString(1, gone.id());
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
        assertThat(tokens).isZero();
        login("admin", "admin");
        assertThatThrownBy(() -> resource.delete(gone.id())).satisfies(e -> assertThat(type(e)).isEqualTo(ProblemType.NOT_FOUND));
    }
}

package de.sid.verbund.security.shiro.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.NewUser;
import de.sid.verbund.security.Roles;
import de.sid.verbund.security.TenantHierarchy;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.shiro.util.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oversight through the authority hierarchy: a ministry M with authorities A and B, and a unit U
 * below A. (The tenancy area's real hierarchy is used in tenancy-rest's isolation matrix test;
 * here a fixed tree stands in for it.)
 */
class HierarchyPermissionsTest {
    static final String M = UUID.randomUUID().toString();
    static final String A = UUID.randomUUID().toString();
    static final String B = UUID.randomUUID().toString();
    static final String U = UUID.randomUUID().toString();
    static final Map<String, Set<String>> BELOW = Map.of(M, Set.of(A, B, U), A, Set.of(U), B, Set.of(), U, Set.of());

    @TempDir
    Path dir;
    JdbcDatabase db;
    ShiroSecurity security;
    boolean hierarchyDown;

    @BeforeEach
    void setUp() {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 2000);
        security = new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", 4), Clock.systemUTC());
        security.setHierarchy(new TenantHierarchy() {
            @Override
            public Set<String> descendants(String authorityId) {
                if (hierarchyDown) {
                    throw new ProblemException(ProblemType.UNAVAILABLE, "tenancy is not ready yet");
                }
                return BELOW.getOrDefault(authorityId, Set.of());
            }

            @Override
            public boolean exists(String authorityId) {
                return BELOW.containsKey(authorityId);
            }
        });
        int i = 0;
        for (String a : new String[] {M, A, U}) {
            for (String role : Roles.TENANT_ROLES) {
                security.create(new NewUser(role + "-" + i, "long-enough-pw", a, Set.of(role)));
            }
            i++;
        }
    }

    @AfterEach
    void tearDown() {
        ThreadContext.unbindSubject();
        db.close();
    }

    private void as(String user) {
        ThreadContext.unbindSubject();
        ThreadContext.bind(security.authenticate(ShiroSecurityTest.basic(user, "long-enough-pw")));
    }

    private Set<String> permitted(String... permissions) {
        Set<String> out = new HashSet<>();
        for (String p : permissions) {
            if (security.isPermitted(p)) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void parentsReadTheirDescendantsButNeverWriteAndChildrenSeeNeitherParentsNorSiblings() {
        as("authority-user-1"); // user of A
        assertThat(permitted("compute:read:" + U, "compute:write:" + U, "billing:read:" + U, "security:read:" + U,
                "compute:read:" + M, "compute:read:" + B, "tenancy:read:" + M))
                .containsExactlyInAnyOrder("compute:read:" + U, "billing:read:" + U, "security:read:" + U);
        as("authority-admin-1"); // admin of A: edits its units' data and quotas, not its own quota
        assertThat(permitted("tenancy:write:" + U, "tenancy:quota:" + U, "tenancy:write:" + A, "tenancy:quota:" + A,
                "security:write:" + U, "compute:write:" + U, "tenancy:write:" + M, "tenancy:read:" + B))
                .containsExactlyInAnyOrder("tenancy:write:" + U, "tenancy:quota:" + U, "tenancy:write:" + A);
        as("authority-viewer-0"); // viewer of the ministry reads everything below, writes nothing
        assertThat(permitted("compute:read:" + A, "compute:read:" + B, "compute:read:" + U, "tenancy:read:" + M,
                "compute:write:" + A, "tenancy:write:" + M)).containsExactlyInAnyOrder("compute:read:" + A, "compute:read:" + B,
                "compute:read:" + U, "tenancy:read:" + M);
        as("authority-admin-2"); // admin of the unit U: nothing above
        assertThat(permitted("tenancy:read:" + A, "tenancy:read:" + M, "compute:read:" + A, "tenancy:write:" + U,
                "tenancy:quota:" + U)).containsExactly("tenancy:write:" + U);
    }

    @Test
    void withoutAnAnsweringHierarchyOnlyTheOwnAuthorityCounts() {
        hierarchyDown = true;
        as("authority-viewer-0");
        assertThat(security.isPermitted("compute:read:" + M)).isTrue();
        assertThat(security.isPermitted("compute:read:" + A)).isFalse();
    }

    @Test
    void aTenantUserMustBelongToAnExistingAuthority() {
        String nowhere = UUID.randomUUID().toString();
        assertThatThrownBy(() -> security.create(new NewUser("lost.user", "long-enough-pw", nowhere, Set.of(Roles.AUTHORITY_USER))))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST);
                    assertThat(e.errors()).containsExactly("authorityId: no authority " + nowhere);
                });
        assertThat(security.findByUsername("lost.user")).isEmpty();
    }
}

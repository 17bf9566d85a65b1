package de.sid.verbund.tenancy.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.core.internal.ComputeConfig;
import de.sid.verbund.compute.core.internal.ComputeServiceImpl;
import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.compute.rest.internal.VmsResource;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.AuditEntry;
import de.sid.verbund.security.NewUser;
import de.sid.verbund.security.Roles;
import de.sid.verbund.security.User;
import de.sid.verbund.security.rest.internal.AuditResource;
import de.sid.verbund.security.rest.internal.UsersResource;
import de.sid.verbund.security.shiro.internal.SecurityConfig;
import de.sid.verbund.security.shiro.internal.ShiroSecurity;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.Quota;
import de.sid.verbund.tenancy.core.internal.AuthorityHierarchy;
import de.sid.verbund.tenancy.core.internal.TenancyComponent;
import de.sid.verbund.tenancy.core.internal.TenancyUserAccounts;
import de.sid.verbund.testsupport.Configs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.shiro.subject.Subject;
import org.apache.shiro.util.ThreadContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The isolation matrix of issue #5: every role × every tenancy, users, audit and compute endpoint
 * × the caller's own authority, a child unit of it, its parent ministry and another authority,
 * asserting allowed (A), refused 403 (F) or answered as unknown 404 (N) exactly as the role model
 * in docs/design-notes.md says. Everything is real except HTTP: the Shiro security component on
 * H2 with its realm and audit log, the tenancy component (its hierarchy feeds the realm), the
 * compute service on libvirt's test driver, and the JAX-RS resource classes called as Java
 * objects with the caller's authenticated subject bound, as the REST filter binds it.
 *
 * <p>Tenants: ministry M with authorities A and B; unit U below A. Authority users belong to A,
 * so for them own = A, child = U, parent = M, other = B; for SID staff the four are just four
 * authorities. "Allowed" means not refused: an allowed delete of an authority that still has
 * units or users ends in 409, which is fine here.
 */
class IsolationMatrixTest {
    private static final String PW = "long-enough-pw";
    /** Role → user name (the SID users are security's demo users, password = user name). */
    private static final Map<String, String> USERS = new LinkedHashMap<>();
    private static final Pattern UNKNOWN = Pattern.compile("no (authority|user|VM) [0-9a-f-]{36}");

    static {
        USERS.put(Roles.SID_ADMIN, "admin");
        USERS.put(Roles.SID_OPERATOR, "operator");
        USERS.put(Roles.MONITORING, "monitor");
        USERS.put(Roles.BILLING_CLERK, "clerk");
        USERS.put(Roles.AUTHORITY_ADMIN, "a-admin");
        USERS.put(Roles.AUTHORITY_USER, "a-user");
        USERS.put(Roles.AUTHORITY_VIEWER, "a-viewer");
    }

    static Path dir;
    static JdbcDatabase db;
    static ShiroSecurity security;
    static TenancyComponent tenancy;
    static LibvirtProvider libvirt;
    static ComputeServiceImpl compute;
    static AuthoritiesResource authorities;
    static QuotasResource quotas;
    static UsersResource users;
    static AuditResource audit;
    static VmsResource vms;
    static Authority m;
    static Authority a;
    static Authority b;
    static Authority u;
    /** Position (own, child, parent, other) → authority id. */
    static final List<String> POSITIONS = new ArrayList<>();
    static final Map<String, String> memberOf = new LinkedHashMap<>();
    static final Map<String, String> vmOf = new LinkedHashMap<>();
    static final Map<String, Subject> subjects = new LinkedHashMap<>();
    static final AtomicInteger serial = new AtomicInteger();

    @BeforeAll
    static void setUp() throws Exception {
        dir = Files.createTempDirectory("verbund-isolation");
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 8, 10_000);
        security = new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", 4));
        await().atMost(Duration.ofSeconds(60)).until(() -> security.check().status() == HealthStatus.UP);
        tenancy = new TenancyComponent(db);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> tenancy.list() != null);
        new TenancyUserAccounts(tenancy, security, Map.of("demo.users", "false"));
        security.setHierarchy(new AuthorityHierarchy(tenancy));

        m = tenancy.create(authority("Staatsministerium der Finanzen", AuthorityKind.MINISTRY, null));
        a = tenancy.create(authority("Landesamt für Steuern", AuthorityKind.AUTHORITY, m.id()));
        b = tenancy.create(authority("Statistisches Landesamt", AuthorityKind.AUTHORITY, m.id()));
        u = tenancy.create(authority("Referat 1", AuthorityKind.UNIT, a.id()));
        POSITIONS.addAll(List.of(a.id(), u.id(), m.id(), b.id()));

        for (String role : Roles.TENANT_ROLES) {
            security.create(new NewUser(USERS.get(role), PW, a.id(), Set.of(role)));
        }
        for (String t : POSITIONS) {
            User member = security.create(new NewUser("member-" + serial.incrementAndGet(), PW, t, Set.of(Roles.AUTHORITY_VIEWER)));
            memberOf.put(t, member.id());
        }
        for (Map.Entry<String, String> e : USERS.entrySet()) {
            String pw = Roles.TENANT_ROLES.contains(e.getKey()) ? PW : e.getValue();
            subjects.put(e.getKey(), security.authenticate("Basic " + Base64.getEncoder()
                    .encodeToString((e.getValue() + ":" + pw).getBytes(StandardCharsets.UTF_8))));
        }

        libvirt = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
        compute = new ComputeServiceImpl(db, (c, topic, event) -> { }, uri -> Optional.of(libvirt), Configs.of(ComputeConfig.class));
        // test:///default: 8 cores, 3 GiB; room for the ~20 small VMs of the matrix
        compute.registerHost(new NewHost("kvm-iso", "test:///default", "ber-1", null, new java.math.BigDecimal("4"), 0L));
        await().atMost(Duration.ofSeconds(30)).until(() -> compute.hosts().get(0).state() == HostState.ENABLED);
        for (String t : POSITIONS) {
            vmOf.put(t, compute.createVm(new VmRequest("iso-" + serial.incrementAndGet(), t, null, 1, 256, 1, null, null,
                    null, null)).id());
        }

        authorities = new AuthoritiesResource(tenancy, security);
        quotas = new QuotasResource(tenancy, tenancy, security);
        users = new UsersResource(security, security);
        audit = new AuditResource(security, security);
        vms = new VmsResource(compute, security);
    }

    @AfterAll
    static void tearDown() throws Exception {
        ThreadContext.unbindSubject();
        if (compute != null) {
            for (Vm vm : compute.vms(new VmFilter(null, null, null), 500, null).items()) {
                compute.delete(vm.id());
            }
            compute.close();
        }
        if (libvirt != null) {
            var deactivate = LibvirtProvider.class.getDeclaredMethod("deactivate");
            deactivate.setAccessible(true);
            deactivate.invoke(libvirt);
        }
        if (db != null) {
            db.close();
        }
    }

    private static NewAuthority authority(String name, AuthorityKind kind, String parent) {
        return new NewAuthority(name, kind, parent, "KST-" + serial.incrementAndGet(), null,
                new BillingAddress("Carolaplatz 1", null, "01097", "Dresden", "DE"), BillingMode.INTERNAL, false, List.of(),
                new Quota(64, null, null, null), new Budget(null, 80));
    }

    private static AuthoritiesResource.AuthorityBody body(Authority x, Quota quota) {
        return new AuthoritiesResource.AuthorityBody(x.name(), null, null, x.costCentre(), x.leitwegId(), x.billingAddress(),
                x.billingMode(), x.vatLiable(), x.contacts(), quota,
                new AuthoritiesResource.BudgetBody(x.budget().monthlyEur(), x.budget().softThresholdPercent()));
    }

    /** The operations, each on the authority whose id it is given. */
    private static Map<String, Consumer<String>> operations() {
        Map<String, Consumer<String>> ops = new LinkedHashMap<>();
        ops.put("GET /authorities/{id}", t -> authorities.get(t));
        ops.put("PUT /authorities/{id}", t -> authorities.update(t, body(tenancy.find(t).orElseThrow(), tenancy.find(t).orElseThrow().quota())));
        ops.put("PUT /authorities/{id} quota", t -> {
            Authority x = tenancy.find(t).orElseThrow();
            authorities.update(t, body(x, new Quota(x.quota().vcpu() + 1, null, null, null)));
        });
        ops.put("POST /authorities unit", t -> authorities.create(new AuthoritiesResource.AuthorityBody("Sachgebiet "
                + serial.incrementAndGet(), AuthorityKind.UNIT, t, "KST-U", null, null, BillingMode.INTERNAL, false, List.of(), null,
                null)));
        ops.put("DELETE /authorities/{id}", t -> authorities.delete(t));
        ops.put("GET /quotas/{id}", t -> quotas.get(t));
        ops.put("GET /users/{id}", t -> users.get(memberOf.get(t)));
        ops.put("POST /users", t -> users.create(new UsersResource.CreateUser("new-" + serial.incrementAndGet(), PW, t,
                Set.of(Roles.AUTHORITY_USER))));
        ops.put("GET /users?authorityId", t -> {
            Page<User> page = users.list(t, "500", null);
            assertThat(page.items()).extracting(User::authorityId).containsOnly(t);
        });
        ops.put("POST /users/{id}/password", t -> users.setPassword(memberOf.get(t),
                new UsersResource.PasswordChange(null, "another-long-pw")));
        ops.put("PUT /users/{id}/roles", t -> users.setRoles(memberOf.get(t), new UsersResource.RoleChange(Set.of(Roles.AUTHORITY_VIEWER))));
        // a fresh user each time, so that an allowed delete leaves the matrix's members in place
        ops.put("DELETE /users/{id}", t -> users.delete(security.create(new NewUser("del-" + serial.incrementAndGet(), PW, t,
                Set.of(Roles.AUTHORITY_VIEWER))).id()));
        ops.put("GET /vms/{id}", t -> vms.get(vmOf.get(t)));
        ops.put("POST /vms/{id}/stop", t -> vms.stop(vmOf.get(t)));
        ops.put("POST /vms", t -> vms.create(new VmsResource.CreateVm("vm-" + serial.incrementAndGet(), t, null, 1, 256L, 1,
                null, null, null, null)));
        // running, so a permitted resize ends in 409 CONFLICT after the checks (counted as allowed)
        ops.put("POST /vms/{id}/resize", t -> vms.resize(vmOf.get(t), new VmsResource.Resize(2, 512L)));
        ops.put("GET /vms?tenantId", t -> {
            Page<Vm> page = vms.list(t, null, null, "500", null);
            assertThat(page.items()).extracting(Vm::tenantId).containsOnly(t);
        });
        return ops;
    }

    /**
     * The role model: per operation and role, the answer for own, child, parent and other
     * authority (A allowed, F 403, N 404 as for an unknown id).
     */
    private static Map<String, String> expected() {
        String[] roles = USERS.keySet().toArray(String[]::new);
        String[][] table = {
            // operation                    sid-admin sid-operator monitoring billing-clerk authority-admin authority-user authority-viewer
            {"GET /authorities/{id}",       "AAAA", "AAAA", "NNNN", "AAAA", "AANN", "AANN", "AANN"},
            {"PUT /authorities/{id}",       "AAAA", "FFFF", "NNNN", "FFFF", "AANN", "FFNN", "FFNN"},
            {"PUT /authorities/{id} quota", "AAAA", "FFFF", "NNNN", "FFFF", "FANN", "FFNN", "FFNN"},
            {"POST /authorities unit",      "AAAA", "FFFF", "NNNN", "FFFF", "AANN", "FFNN", "FFNN"},
            {"DELETE /authorities/{id}",    "AAAA", "FFFF", "NNNN", "FFFF", "FANN", "FFNN", "FFNN"},
            {"GET /quotas/{id}",            "AAAA", "AAAA", "NNNN", "AAAA", "AANN", "AANN", "AANN"},
            {"GET /users/{id}",             "AAAA", "AAAA", "NNNN", "NNNN", "AANN", "AANN", "AANN"},
            {"POST /users",                 "AAAA", "FFFF", "FFFF", "FFFF", "AFFF", "FFFF", "FFFF"},
            {"GET /users?authorityId",      "AAAA", "AAAA", "FFFF", "FFFF", "AAFF", "AAFF", "AAFF"},
            {"POST /users/{id}/password",   "AAAA", "FFFF", "NNNN", "NNNN", "AFNN", "FFNN", "FFNN"},
            {"PUT /users/{id}/roles",       "AAAA", "FFFF", "NNNN", "NNNN", "AFNN", "FFNN", "FFNN"},
            {"DELETE /users/{id}",          "AAAA", "FFFF", "NNNN", "NNNN", "AFNN", "FFNN", "FFNN"},
            {"GET /vms/{id}",               "AAAA", "AAAA", "AAAA", "NNNN", "AANN", "AANN", "AANN"},
            {"POST /vms/{id}/stop",         "AAAA", "AAAA", "FFFF", "NNNN", "AFNN", "AFNN", "FFNN"},
            {"POST /vms",                   "AAAA", "AAAA", "FFFF", "FFFF", "FFFF", "FFFF", "FFFF"},
            {"POST /vms/{id}/resize",       "AAAA", "AAAA", "FFFF", "NNNN", "FFNN", "FFNN", "FFNN"},
            {"GET /vms?tenantId",           "AAAA", "AAAA", "AAAA", "FFFF", "AAFF", "AAFF", "AAFF"},
        };
        Map<String, String> out = new LinkedHashMap<>();
        for (String[] row : table) {
            for (int r = 0; r < roles.length; r++) {
                out.put(roles[r] + " " + row[0], row[r + 1]);
            }
        }
        return out;
    }

    /** Runs {@code op} as {@code role}: A, F or N; a refusal must be audited and must not leak. */
    private static char outcome(String role, Runnable op) {
        ThreadContext.bind(subjects.get(role));
        try {
            long before = newestAuditId();
            try {
                op.run();
                return 'A';
            } catch (ProblemException e) {
                if (e.type() != ProblemType.FORBIDDEN && e.type() != ProblemType.NOT_FOUND) {
                    return 'A'; // passed the checks, refused for another reason (409 conflict, …)
                }
                AuditEntry newest = security.list(1, null).items().get(0);
                assertThat(newest.id()).as("refusal audited: %s", e.getMessage()).isGreaterThan(before);
                assertThat(newest.subject()).isEqualTo(USERS.get(role));
                assertThat(newest.outcome()).isEqualTo(e.type() == ProblemType.FORBIDDEN ? "DENIED 403" : "DENIED 404");
                if (e.type() == ProblemType.NOT_FOUND) {
                    // the very answer an unknown id gets: nothing about the other authority
                    assertThat(e.getMessage()).matches(UNKNOWN);
                    return 'N';
                }
                return 'F';
            }
        } finally {
            ThreadContext.unbindSubject();
        }
    }

    private static long newestAuditId() {
        List<AuditEntry> newest = security.list(1, null).items();
        return newest.isEmpty() ? 0 : newest.get(0).id();
    }

    @Test
    void everyRoleOnEveryEndpointAndTenantIsAllowedOrRefusedExactlyAsTheRoleModelSays() {
        Map<String, String> actual = new LinkedHashMap<>();
        for (String role : USERS.keySet()) {
            for (Map.Entry<String, Consumer<String>> op : operations().entrySet()) {
                StringBuilder row = new StringBuilder();
                for (String t : POSITIONS) {
                    row.append(outcome(role, () -> op.getValue().accept(t)));
                }
                actual.put(role + " " + op.getKey(), row.toString());
            }
        }
        assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected());
        assertThat(security.verify().intact()).isTrue();
    }

    @Test
    void listsShowExactlyTheAuthoritiesTheRoleMayRead() {
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, String> actual = new LinkedHashMap<>();
        for (String role : USERS.keySet()) {
            Set<String> own = new HashSet<>(tenancy.descendants(a.id()));
            own.add(a.id());
            Set<String> all = new HashSet<>();
            tenancy.list().forEach(x -> all.add(x.id()));
            String want = switch (role) {
                case Roles.SID_ADMIN, Roles.SID_OPERATOR, Roles.BILLING_CLERK -> "all";
                case Roles.MONITORING -> "F";
                default -> "own and below";
            };
            expected.put(role + " GET /authorities", want);
            expected.put(role + " GET /quotas", want);
            actual.put(role + " GET /authorities", list(role, () -> ids(authorities.list("500", null).items().stream()
                    .map(Authority::id).toList()), all, own));
            actual.put(role + " GET /quotas", list(role, () -> ids(quotas.list("500", null).items().stream()
                    .map(QuotasResource.QuotaStatus::authorityId).toList()), all, own));
            expected.put(role + " GET /audit", role.equals(Roles.SID_ADMIN) || role.equals(Roles.SID_OPERATOR) ? "A" : "F");
            actual.put(role + " GET /audit", String.valueOf(outcome(role, () -> audit.list(null, "DENIED", null, null, null, "10",
                    null))));
            expected.put(role + " GET /audit/verify", role.equals(Roles.SID_ADMIN) ? "A" : "F");
            actual.put(role + " GET /audit/verify", String.valueOf(outcome(role, () -> assertThat(audit.verify().intact()).isTrue())));
        }
        assertThat(actual).containsExactlyEntriesOf(expected);
    }

    private static Set<String> ids(List<String> ids) {
        assertThat(ids).doesNotHaveDuplicates();
        return new HashSet<>(ids);
    }

    private static String list(String role, java.util.function.Supplier<Set<String>> call, Set<String> all, Set<String> own) {
        String[] seen = new String[1];
        char c = outcome(role, () -> {
            Set<String> got = call.get();
            seen[0] = got.equals(all) ? "all" : got.equals(own) ? "own and below" : "other: " + got;
        });
        return c == 'A' ? seen[0] : String.valueOf(c);
    }
}

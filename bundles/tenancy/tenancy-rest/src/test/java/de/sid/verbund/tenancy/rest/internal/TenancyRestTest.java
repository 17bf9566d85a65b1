package de.sid.verbund.tenancy.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.billing.CostSource;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.User;
import de.sid.verbund.security.rest.internal.AuditResource;
import de.sid.verbund.security.shiro.internal.SecurityConfig;
import de.sid.verbund.security.shiro.internal.ShiroSecurity;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.LeitwegId;
import de.sid.verbund.tenancy.Resources;
import de.sid.verbund.tenancy.core.internal.AuthorityHierarchy;
import de.sid.verbund.tenancy.core.internal.TenancyComponent;
import de.sid.verbund.tenancy.core.internal.TenancyUserAccounts;
import de.sid.verbund.testsupport.Configs;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.shiro.util.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tenancy area as it starts in Karaf, without HTTP: security with its demo users, tenancy
 * seeding the demo tenants on an empty database, and the REST resources as Java objects.
 */
class TenancyRestTest {
    @TempDir
    Path dir;
    JdbcDatabase db;
    ShiroSecurity security;
    TenancyComponent tenancy;
    TenancyUserAccounts accounts;
    AuthoritiesResource authorities;
    QuotasResource quotas;
    final Map<String, Money> costs = new HashMap<>();
    /** Stands in for billing, which is built elsewhere: month-to-date cost per authority. */
    final CostSource billing = id -> costs.getOrDefault(id, Money.ZERO);

    @BeforeEach
    void setUp() {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 8, 10_000);
        security = new ShiroSecurity(db, Configs.of(SecurityConfig.class, "bcrypt_cost", 4));
        tenancy = new TenancyComponent(db);
        security.setHierarchy(new AuthorityHierarchy(tenancy));
        // as DS makes it: the security component's properties are its configuration
        accounts = new TenancyUserAccounts(tenancy, security, Map.of("demo.users", "true"));
        await().atMost(Duration.ofSeconds(60)).until(() -> security.check().status() == HealthStatus.UP);
        authorities = new AuthoritiesResource(tenancy, security);
        quotas = new QuotasResource(tenancy, tenancy, security);
        quotas.setCosts(billing);
    }

    @AfterEach
    void tearDown() {
        ThreadContext.unbindSubject();
        accounts.deactivate();
        db.close();
    }

    private void as(String user) {
        ThreadContext.unbindSubject();
        ThreadContext.bind(security.authenticate("Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8))));
    }

    private Authority named(String name) {
        return tenancy.list().stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void theFirstStartSeedsTheDemoTenantsAndTheirUsers() {
        await().atMost(Duration.ofSeconds(60)).until(() -> tenancy.list().size() == 3 && security.findByUsername("statistik-viewer")
                .isPresent());
        Authority smf = named("Staatsministerium der Finanzen");
        Authority tax = named("Landesamt für Steuern");
        Authority stats = named("Statistisches Landesamt");
        assertThat(smf.kind()).isEqualTo(AuthorityKind.MINISTRY);
        assertThat(tax.parentId()).isEqualTo(smf.id());
        assertThat(tax.billingMode()).isEqualTo(BillingMode.INVOICE);
        assertThat(LeitwegId.isValid(tax.leitwegId())).isTrue();
        assertThat(tax.vatLiable()).isFalse();
        assertThat(stats.billingMode()).isEqualTo(BillingMode.INTERNAL);
        assertThat(stats.budget().monthlyEur()).isEqualByComparingTo("8000");
        // security's own demo users are there too, and every demo user logs in with its name
        assertThat(security.list(null, 50, null).items()).extracting(User::username).contains("admin", "operator", "monitor",
                "clerk", "ministerium-admin", "steuern-admin", "steuern-user", "steuern-viewer", "statistik-admin",
                "statistik-user", "statistik-viewer");
        as("steuern-user");
        assertThat(authorities.list(null, null).items()).extracting(Authority::name).containsExactly("Landesamt für Steuern");
        as("ministerium-admin");
        assertThat(authorities.list(null, null).items()).hasSize(3);

        // a second start finds the tenants and adds nothing
        assertThat(accounts.demoOutcome()).isEqualTo("created");
        TenancyComponent again = new TenancyComponent(db);
        TenancyUserAccounts second = new TenancyUserAccounts(again, security, Map.of());
        await().atMost(Duration.ofSeconds(30)).until(() -> second.demoOutcome() != null);
        second.deactivate();
        assertThat(second.demoOutcome()).startsWith("not needed");
        assertThat(again.list()).hasSize(3);
        assertThat(security.list(null, 50, null).items()).hasSize(11);
    }

    @Test
    void budgetStatusAddsUpTheMonthToDateCostOfEverythingBelow() {
        await().atMost(Duration.ofSeconds(60)).until(() -> security.findByUsername("statistik-viewer").isPresent());
        Authority smf = named("Staatsministerium der Finanzen");
        Authority tax = named("Landesamt für Steuern");
        Authority stats = named("Statistisches Landesamt");
        costs.put(tax.id(), Money.eur("16500.00"));
        costs.put(stats.id(), Money.eur("8000.00"));
        tenancy.reserve(tax.id(), new Resources(4, 8192, 50, 1), "order/1");
        as("steuern-viewer");
        QuotasResource.QuotaStatus t = quotas.get(tax.id());
        assertThat(t.reserved()).isEqualTo(new Resources(4, 8192, 50, 1));
        assertThat(t.budget()).isEqualTo(new QuotasResource.BudgetStatus(new BigDecimal("20000.00"), 80, new BigDecimal("16500.00"),
                new BigDecimal("82.5"), true, false));
        as("statistik-admin");
        assertThat(quotas.get(stats.id()).budget().hardLimitReached()).isTrue();
        as("ministerium-admin");
        QuotasResource.QuotaStatus m = quotas.get(smf.id());
        assertThat(m.budget().monthToDateEur()).isEqualByComparingTo("24500.00");
        assertThat(m.budget().softThresholdReached()).isFalse();
        assertThat(m.reserved().vcpu()).isEqualTo(4);
        quotas.unsetCosts(billing);
        assertThat(quotas.get(smf.id()).budget().monthToDateEur()).isNull();
    }

    @Test
    void invalidAuthoritiesAreRefusedWithEveryProblemAndAuditFiltersAreChecked() {
        await().atMost(Duration.ofSeconds(60)).until(() -> security.findByUsername("statistik-viewer").isPresent());
        as("admin");
        assertThatThrownBy(() -> authorities.create(new AuthoritiesResource.AuthorityBody("Landesamt für Vermessung",
                AuthorityKind.AUTHORITY, named("Staatsministerium der Finanzen").id(), null, "04011000-1234512345-07", null,
                BillingMode.INVOICE, false, List.of(), null, new AuthoritiesResource.BudgetBody(new BigDecimal("100"), null))))
                .isInstanceOfSatisfying(ProblemException.class, e -> {
                    assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST);
                    assertThat(e.errors()).hasSize(2).anySatisfy(x -> assertThat(x).startsWith("leitwegId: 04011000-1234512345-07 is not"))
                            .anySatisfy(x -> assertThat(x).isEqualTo("billingAddress: required in billing mode INVOICE"));
                });
        AuditResource audit = new AuditResource(security, security);
        assertThatThrownBy(() -> audit.list(null, null, null, "yesterday", null, null, null))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST));
        assertThat(audit.list("system", null, null, "2020-01-01T00:00:00Z", null, null, null).items())
                .extracting(x -> x.action()).contains("seed demo users");
    }
}

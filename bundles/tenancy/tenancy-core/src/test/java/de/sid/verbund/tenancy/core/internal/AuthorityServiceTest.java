package de.sid.verbund.tenancy.core.internal;

import static de.sid.verbund.tenancy.core.internal.TenancyFixture.internal;
import static de.sid.verbund.tenancy.core.internal.TenancyFixture.invoiced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.Contact;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.Quota;
import de.sid.verbund.tenancy.Resources;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Authorities in the real database: embedded H2 here, PostgreSQL in the subclass. */
class AuthorityServiceTest {
    @TempDir
    Path dir;
    JdbcDatabase db;
    AuthorityServiceImpl service;
    JdbcQuotaLedger ledger;
    final Set<String> withUsers = new HashSet<>();

    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 16, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        db.migrate("tenancy", AuthorityServiceImpl.class.getClassLoader());
        service = new AuthorityServiceImpl(db, Clock.systemUTC(), withUsers::contains);
        ledger = new JdbcQuotaLedger(db, Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private static ProblemException problem(Runnable r) {
        try {
            r.run();
        } catch (ProblemException e) {
            return e;
        }
        throw new AssertionError("no ProblemException");
    }

    @Test
    void storesTheHierarchyWithAllDataAndListsParentsFirst() {
        Authority smf = service.create(internal("Staatsministerium der Finanzen", AuthorityKind.MINISTRY, null, Quota.UNLIMITED));
        Authority lfst = service.create(invoiced("Landesamt für Steuern", AuthorityKind.AUTHORITY, smf.id(),
                new Quota(64, 262_144L, 4096, 20)));
        Authority ref = service.create(internal("Referat 1", AuthorityKind.UNIT, lfst.id(), new Quota(8, null, null, 4)));
        Authority sub = service.create(internal("Sachgebiet 1.1", AuthorityKind.UNIT, ref.id(), Quota.UNLIMITED));
        Authority other = service.create(internal("Staatsministerium des Innern", AuthorityKind.MINISTRY, null, Quota.UNLIMITED));

        Authority read = service.find(lfst.id()).orElseThrow();
        assertThat(read).isEqualTo(lfst);
        assertThat(read.leitwegId()).isEqualTo(TenancyFixture.LEITWEG);
        assertThat(read.contacts()).containsExactly(new Contact("billing", "Max Muster", "max@example.org", "+49 351 1234"));
        assertThat(read.quota()).isEqualTo(new Quota(64, 262_144L, 4096, 20));
        assertThat(service.find(smf.id()).orElseThrow().budget()).isEqualTo(new Budget(new BigDecimal("5000.00"), 80));

        assertThat(service.list()).extracting(Authority::id).containsExactly(smf.id(), lfst.id(), ref.id(), sub.id(), other.id());
        assertThat(service.ancestors(sub.id())).containsExactly(ref.id(), lfst.id(), smf.id());
        assertThat(service.ancestors(smf.id())).isEmpty();
        assertThat(service.descendants(smf.id())).containsExactlyInAnyOrder(lfst.id(), ref.id(), sub.id());
        assertThat(service.descendants(sub.id())).isEmpty();
        assertThat(service.find("00000000-0000-4000-8000-000000000000")).isEmpty();
    }

    @Test
    void listsEveryProblemOfTheInputInOneBadRequest() {
        NewAuthority bad = new NewAuthority(" ", null, null, null, "04011000-1234512345-07", null, BillingMode.INVOICE, true,
                List.of(new Contact("", "", "no-mail", null)), new Quota(-1, -1L, -1, -1), new Budget(new BigDecimal("-1"), 0));
        ProblemException e = problem(() -> service.create(bad));
        assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(e.errors()).containsExactly("name: required", "kind: required (MINISTRY, AUTHORITY or UNIT)",
                "billingAddress: required in billing mode INVOICE",
                "leitwegId: 04011000-1234512345-07 is not a valid Leitweg-ID (coarse address 2-12 digits, optional fine "
                        + "address up to 30 letters or digits, 2 check digits MOD 97-10, e.g. 04011000-1234512345-06)",
                "contacts[0].role: required, e.g. billing or technical", "contacts[0].name: required",
                "contacts[0].email: an e-mail address required", "quota.vcpu: must be ≥ 0", "quota.ramMib: must be ≥ 0",
                "quota.diskGib: must be ≥ 0", "quota.vms: must be ≥ 0", "budget.monthlyEur: must be ≥ 0 EUR with at most 2 decimals",
                "budget.softThresholdPercent: must be 1..100");
        assertThat(service.list()).isEmpty();
    }

    @Test
    void aUnitsQuotaMayNotBeLargerThanItsParentsAndNothingIsStoredWhenItIs() {
        Authority smf = service.create(internal("Staatsministerium der Finanzen", AuthorityKind.MINISTRY, null, Quota.UNLIMITED));
        Authority lfst = service.create(internal("Landesamt für Steuern", AuthorityKind.AUTHORITY, smf.id(),
                new Quota(64, 262_144L, null, 20)));
        ProblemException e = problem(() -> service.create(internal("Referat 1", AuthorityKind.UNIT, lfst.id(),
                new Quota(500, 262_145L, 9999, 20))));
        assertThat(e.type()).isEqualTo(ProblemType.CONFLICT);
        // disk: the parent has no limit of its own, so any is accepted; vms: equal is fine
        assertThat(e.errors()).containsExactly("quota.vcpu 500 > 64 of Landesamt für Steuern",
                "quota.ramMib 262145 > 262144 of Landesamt für Steuern");
        assertThat(service.descendants(lfst.id())).isEmpty();

        Authority ref = service.create(internal("Referat 1", AuthorityKind.UNIT, lfst.id(), new Quota(64, null, 9999, 20)));
        NewAuthority raised = new NewAuthority(ref.name(), null, null, ref.costCentre(), null, null, ref.billingMode(), false,
                ref.contacts(), new Quota(65, null, null, null), ref.budget());
        assertThat(problem(() -> service.update(ref.id(), raised)).errors()).containsExactly("quota.vcpu 65 > 64 of Landesamt für Steuern");
        assertThat(service.find(ref.id()).orElseThrow().quota()).isEqualTo(new Quota(64, null, 9999, 20));
    }

    @Test
    void aLeitwegIdIsStoredInCapitals() {
        NewAuthority lower = new NewAuthority("LfSt", AuthorityKind.MINISTRY, null, null, "991-33333test-33",
                TenancyFixture.ADDRESS, BillingMode.INVOICE, false, List.of(), null, null);
        assertThat(service.create(lower).leitwegId()).isEqualTo("991-33333TEST-33");
    }

    @Test
    void invoiceModeNeedsALeitwegIdAndInternalModeNoVat() {
        NewAuthority noLeitweg = new NewAuthority("LfSt", AuthorityKind.MINISTRY, null, null, null, TenancyFixture.ADDRESS,
                BillingMode.INVOICE, true, List.of(), null, null);
        assertThat(problem(() -> service.create(noLeitweg)).errors()).containsExactly("leitwegId: required in billing mode INVOICE");
        NewAuthority vatInternal = new NewAuthority("LfSt", AuthorityKind.MINISTRY, null, "KST-1", null, null,
                BillingMode.INTERNAL, true, List.of(), null, null);
        assertThat(problem(() -> service.create(vatInternal)).errors())
                .containsExactly("vatLiable: must be false in billing mode INTERNAL (internal cost allocation carries no VAT)");
        NewAuthority vatInvoice = new NewAuthority("LfSt", AuthorityKind.MINISTRY, null, null, "991-33333TEST-33",
                TenancyFixture.ADDRESS, BillingMode.INVOICE, true, List.of(), null, null);
        assertThat(service.create(vatInvoice).vatLiable()).isTrue();
    }

    @Test
    void enforcesTheKindsOfTheHierarchy() {
        Authority m = service.create(internal("SMF", AuthorityKind.MINISTRY, null, null));
        Authority a = service.create(internal("LfSt", AuthorityKind.AUTHORITY, m.id(), null));
        Authority u = service.create(internal("Referat 1", AuthorityKind.UNIT, a.id(), null));

        ProblemException e = problem(() -> service.create(internal("X", AuthorityKind.MINISTRY, m.id(), null)));
        assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(e.errors()).containsExactly("parentId: a ministry has no parent");
        assertThat(problem(() -> service.create(internal("X", AuthorityKind.AUTHORITY, null, null))).errors())
                .containsExactly("parentId: required for kind AUTHORITY");
        assertThat(problem(() -> service.create(internal("X", AuthorityKind.AUTHORITY, a.id(), null))).type())
                .isEqualTo(ProblemType.CONFLICT);
        assertThat(problem(() -> service.create(internal("X", AuthorityKind.AUTHORITY, u.id(), null))).type())
                .isEqualTo(ProblemType.CONFLICT);
        assertThat(problem(() -> service.create(internal("X", AuthorityKind.UNIT, m.id(), null))).getMessage())
                .isEqualTo("a UNIT cannot be placed under MINISTRY SMF (ministry → authority → unit → unit …)");
        ProblemException unknown = problem(() -> service.create(internal("X", AuthorityKind.UNIT,
                "00000000-0000-4000-8000-000000000000", null)));
        assertThat(unknown.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(service.create(internal("Sachgebiet", AuthorityKind.UNIT, u.id(), null)).parentId()).isEqualTo(u.id());
    }

    @Test
    void namesAreUniqueAmongSiblingsOnly() {
        Authority m = service.create(internal("SMF", AuthorityKind.MINISTRY, null, null));
        Authority m2 = service.create(internal("SMI", AuthorityKind.MINISTRY, null, null));
        assertThat(problem(() -> service.create(internal("SMF", AuthorityKind.MINISTRY, null, null))).type())
                .isEqualTo(ProblemType.CONFLICT);
        service.create(internal("Zentrale", AuthorityKind.AUTHORITY, m.id(), null));
        service.create(internal("Zentrale", AuthorityKind.AUTHORITY, m2.id(), null));
        assertThat(problem(() -> service.create(internal("Zentrale", AuthorityKind.AUTHORITY, m.id(), null))).getMessage())
                .isEqualTo("an authority named Zentrale already exists at this level");
    }

    @Test
    void updateReplacesTheDataButKeepsKindAndParent() {
        Authority m = service.create(internal("SMF", AuthorityKind.MINISTRY, null, null));
        Authority a = service.create(internal("LfSt", AuthorityKind.AUTHORITY, m.id(), new Quota(8, null, null, null)));
        NewAuthority change = new NewAuthority("Landesamt für Steuern", null, null, null, "991-33333TEST-33",
                TenancyFixture.ADDRESS, BillingMode.INVOICE, false, List.of(), new Quota(16, 65_536L, 500, 10),
                new Budget(new BigDecimal("12000"), 90));
        Authority changed = service.update(a.id(), change);
        assertThat(changed.name()).isEqualTo("Landesamt für Steuern");
        assertThat(changed.kind()).isEqualTo(AuthorityKind.AUTHORITY);
        assertThat(changed.parentId()).isEqualTo(m.id());
        assertThat(changed.createdAt()).isEqualTo(a.createdAt());
        assertThat(service.find(a.id()).orElseThrow()).isEqualTo(changed);
        assertThat(changed.contacts()).isEmpty();
        assertThat(changed.quota()).isEqualTo(new Quota(16, 65_536L, 500, 10));

        NewAuthority move = new NewAuthority("LfSt", AuthorityKind.UNIT, "00000000-0000-4000-8000-000000000000", "KST-1",
                null, null, BillingMode.INTERNAL, false, List.of(), null, null);
        assertThat(problem(() -> service.update(a.id(), move)).errors()).containsExactly(
                "kind: stays AUTHORITY (create a new authority instead)", "parentId: an authority cannot move in the hierarchy");
        assertThat(problem(() -> service.update("00000000-0000-4000-8000-000000000000", change)).type())
                .isEqualTo(ProblemType.NOT_FOUND);
    }

    @Test
    void deletesOnlyAnAuthorityWithoutChildrenReservationsOrUsers() {
        Authority m = service.create(internal("SMF", AuthorityKind.MINISTRY, null, null));
        Authority a = service.create(internal("LfSt", AuthorityKind.AUTHORITY, m.id(), null));
        assertThat(problem(() -> service.delete(m.id())).getMessage()).isEqualTo("SMF still has units below it: delete them first");
        ledger.reserve(a.id(), new Resources(1, 1024, 10, 1), "order/1");
        assertThat(problem(() -> service.delete(a.id())).type()).isEqualTo(ProblemType.CONFLICT);
        ledger.release("order/1");
        withUsers.add(a.id());
        assertThat(problem(() -> service.delete(a.id())).getMessage()).contains("still has user accounts");
        withUsers.clear();
        service.delete(a.id());
        service.delete(m.id());
        assertThat(service.list()).isEmpty();
        assertThat(problem(() -> service.delete(m.id())).type()).isEqualTo(ProblemType.NOT_FOUND);
    }
}

package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.security.NewUser;
import de.sid.verbund.security.Roles;
import de.sid.verbund.security.UserService;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.Contact;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.Quota;
import java.math.BigDecimal;
import java.util.List;
import java.util.Set;

/**
 * The demo tenants of a first start: the ministry "Staatsministerium der Finanzen" with the
 * authorities "Landesamt für Steuern" (billed by invoice to its Leitweg-ID, without VAT) and
 * "Statistisches Landesamt" (internal cost allocation), and a user of every tenant role in both
 * plus an authority admin at the ministry. The password is the user name (all have at least the
 * 10 characters the password rule asks for).
 */
final class DemoTenants {
    static final String MINISTRY = "Staatsministerium der Finanzen";
    static final String TAX = "Landesamt für Steuern";
    static final String STATISTICS = "Statistisches Landesamt";
    /** User name, role, authority name. */
    static final List<String[]> USERS = List.of(
            new String[] {"ministerium-admin", Roles.AUTHORITY_ADMIN, MINISTRY},
            new String[] {"steuern-admin", Roles.AUTHORITY_ADMIN, TAX},
            new String[] {"steuern-user", Roles.AUTHORITY_USER, TAX},
            new String[] {"steuern-viewer", Roles.AUTHORITY_VIEWER, TAX},
            new String[] {"statistik-admin", Roles.AUTHORITY_ADMIN, STATISTICS},
            new String[] {"statistik-user", Roles.AUTHORITY_USER, STATISTICS},
            new String[] {"statistik-viewer", Roles.AUTHORITY_VIEWER, STATISTICS});

    private DemoTenants() {
    }

    /**
     * Creates the demo tenants and users when there is no authority yet and none of the demo
     * users exists.
     *
     * @return whether it created them
     */
    static boolean seed(AuthorityService authorities, UserService users) {
        if (!authorities.list().isEmpty() || USERS.stream().anyMatch(u -> users.findByUsername(u[0]).isPresent())) {
            return false;
        }
        Authority smf = authorities.create(new NewAuthority(MINISTRY, AuthorityKind.MINISTRY, null, "SMF-1000", null,
                new BillingAddress("Carolaplatz 1", null, "01097", "Dresden", "DE"), BillingMode.INTERNAL, false,
                List.of(new Contact("technical", "IT-Referat SMF", "it@smf.example.org", null)),
                new Quota(128, 524_288L, 10_000, 60), new Budget(new BigDecimal("40000.00"), 80)));
        Authority tax = authorities.create(new NewAuthority(TAX, AuthorityKind.AUTHORITY, smf.id(), "LFST-2000",
                "04011000-1234512345-06", new BillingAddress("Stauffenbergallee 2", null, "01099", "Dresden", "DE"),
                BillingMode.INVOICE, false, List.of(new Contact("billing", "Rechnungsstelle LfSt", "rechnung@lfst.example.org",
                        "+49 351 0000-0")), new Quota(64, 262_144L, 4_000, 30), new Budget(new BigDecimal("20000.00"), 80)));
        Authority stats = authorities.create(new NewAuthority(STATISTICS, AuthorityKind.AUTHORITY, smf.id(), "STALA-4711", null,
                new BillingAddress("Macherstraße 63", null, "01917", "Kamenz", "DE"), BillingMode.INTERNAL, false,
                List.of(new Contact("technical", "IT-Stelle StaLa", "it@stala.example.org", null)),
                new Quota(32, 131_072L, 2_000, 15), new Budget(new BigDecimal("8000.00"), 80)));
        for (String[] u : USERS) {
            String authority = u[2].equals(MINISTRY) ? smf.id() : u[2].equals(TAX) ? tax.id() : stats.id();
            users.create(new NewUser(u[0], u[0], authority, Set.of(u[1])));
        }
        return true;
    }
}

package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.Contact;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.Quota;
import java.math.BigDecimal;
import java.util.List;

/** Valid authorities to start from in tests. */
final class TenancyFixture {
    static final String LEITWEG = "04011000-1234512345-06";
    static final BillingAddress ADDRESS = new BillingAddress("Carolaplatz 1", null, "01097", "Dresden", "DE");

    private TenancyFixture() {
    }

    static NewAuthority internal(String name, AuthorityKind kind, String parentId, Quota quota) {
        return new NewAuthority(name, kind, parentId, "KST-" + Math.abs(name.hashCode() % 10000), null, ADDRESS,
                BillingMode.INTERNAL, false, List.of(new Contact("technical", "Erika Muster", "erika@example.org", null)),
                quota, new Budget(new BigDecimal("5000.00"), 80));
    }

    static NewAuthority invoiced(String name, AuthorityKind kind, String parentId, Quota quota) {
        return new NewAuthority(name, kind, parentId, null, LEITWEG, ADDRESS, BillingMode.INVOICE, false,
                List.of(new Contact("billing", "Max Muster", "max@example.org", "+49 351 1234")), quota, Budget.NONE);
    }
}

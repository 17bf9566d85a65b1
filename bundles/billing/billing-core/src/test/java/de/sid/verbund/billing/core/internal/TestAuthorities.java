package de.sid.verbund.billing.core.internal;

import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Contact;
import de.sid.verbund.testsupport.FixedAuthorities;
import java.time.Instant;
import java.util.List;

/** A small in-memory {@link AuthorityService} for the billing tests (tenancy implements the real one). */
final class TestAuthorities extends FixedAuthorities {

    Authority add(String id, String name, BillingMode mode, boolean vatLiable) {
        Authority a = new Authority(id, name, AuthorityKind.values()[AuthorityKind.values().length - 1], null,
                "KST-" + name.length(), mode == BillingMode.INVOICE ? "14-1234567-81" : null,
                new BillingAddress("Archivstraße 1", null, "01097", "Dresden", "DE"), mode, vatLiable,
                List.of(new Contact("billing", "Erika Muster", "rechnung@" + id + ".example", "+49 351 0")), null, null,
                Instant.parse("2024-01-01T00:00:00Z"));
        return put(a);
    }
}

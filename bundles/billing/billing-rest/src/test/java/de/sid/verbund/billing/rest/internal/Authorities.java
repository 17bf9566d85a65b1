package de.sid.verbund.billing.rest.internal;

import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Contact;
import de.sid.verbund.testsupport.FixedAuthorities;
import java.time.Instant;
import java.util.List;

/** A fixed set of authorities for the billing REST tests (the tenancy area implements the real service). */
final class Authorities extends FixedAuthorities {

    Authority add(String id, String name, String leitwegId) {
        Authority a = new Authority(id, name, AuthorityKind.AUTHORITY, null, "KST-" + name.length(), leitwegId,
                new BillingAddress("Archivstraße 1", null, "01097", "Dresden", "DE"), BillingMode.INVOICE, true,
                List.of(new Contact("billing", "Erika Muster", "rechnung@" + id.substring(0, 8) + ".example", "+49 351 0")),
                null, null, Instant.parse("2024-01-01T00:00:00Z"));
        return put(a);
    }
}

package de.sid.verbund.billing.rest.internal;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Contact;
import de.sid.verbund.tenancy.NewAuthority;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A fixed set of authorities for the billing REST tests (the tenancy area implements the real service). */
final class Authorities implements AuthorityService {
    private final Map<String, Authority> byId = new ConcurrentHashMap<>();

    Authority add(String id, String name, String leitwegId) {
        Authority a = new Authority(id, name, AuthorityKind.AUTHORITY, null, "KST-" + name.length(), leitwegId,
                new BillingAddress("Archivstraße 1", null, "01097", "Dresden", "DE"), BillingMode.INVOICE, true,
                List.of(new Contact("billing", "Erika Muster", "rechnung@" + id.substring(0, 8) + ".example", "+49 351 0")),
                null, null, Instant.parse("2024-01-01T00:00:00Z"));
        byId.put(id, a);
        return a;
    }

    @Override
    public Authority create(NewAuthority authority) {
        throw ProblemException.badRequest("authorities are fixed in this test");
    }

    @Override
    public Authority update(String id, NewAuthority authority) {
        throw ProblemException.badRequest("authorities are fixed in this test");
    }

    @Override
    public Optional<Authority> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    @Override
    public List<Authority> list() {
        return new ArrayList<>(byId.values());
    }

    @Override
    public List<String> ancestors(String id) {
        return List.of();
    }

    @Override
    public List<String> descendants(String id) {
        return List.of();
    }
}

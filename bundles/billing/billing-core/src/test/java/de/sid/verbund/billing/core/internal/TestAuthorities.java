package de.sid.verbund.billing.core.internal;

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

/** A small in-memory {@link AuthorityService} for the billing tests (tenancy implements the real one). */
final class TestAuthorities implements AuthorityService {
    private final Map<String, Authority> byId = new ConcurrentHashMap<>();

    Authority add(String id, String name, BillingMode mode, boolean vatLiable) {
        Authority a = new Authority(id, name, AuthorityKind.values()[AuthorityKind.values().length - 1], null,
                "KST-" + name.length(), mode == BillingMode.INVOICE ? "14-1234567-81" : null,
                new BillingAddress("Archivstraße 1", null, "01097", "Dresden", "DE"), mode, vatLiable,
                List.of(new Contact("billing", "Erika Muster", "rechnung@" + id + ".example", "+49 351 0")), null, null,
                Instant.parse("2024-01-01T00:00:00Z"));
        byId.put(id, a);
        return a;
    }

    @Override
    public Authority create(NewAuthority authority) {
        throw ProblemException.badRequest("not used by billing");
    }

    @Override
    public Authority update(String id, NewAuthority authority) {
        throw ProblemException.badRequest("not used by billing");
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

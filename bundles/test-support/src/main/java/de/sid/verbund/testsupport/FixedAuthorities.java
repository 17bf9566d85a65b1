package de.sid.verbund.testsupport;

import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.NewAuthority;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fixed set of flat authorities (no hierarchy) for tests and benchmarks of areas that only read
 * them, such as billing; the tenancy area's tests use the real service. Creating and updating
 * through the service are refused: put them with {@link #put}.
 */
public class FixedAuthorities implements AuthorityService {
    private final Map<String, Authority> byId = new ConcurrentHashMap<>();

    /** @return the authority, now readable through the service */
    public Authority put(Authority authority) {
        byId.put(authority.id(), authority);
        return authority;
    }

    /** @throws IllegalStateException always: the set is fixed */
    @Override
    public Authority create(NewAuthority authority) {
        throw new IllegalStateException("authorities are fixed here: put them");
    }

    /** @throws IllegalStateException always: the set is fixed */
    @Override
    public Authority update(String id, NewAuthority authority) {
        throw new IllegalStateException("authorities are fixed here: put them");
    }

    @Override
    public void delete(String id) {
        byId.remove(id);
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

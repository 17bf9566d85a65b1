package de.sid.verbund.tenancy.command.internal;

import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityService;
import java.util.List;

/** Finding an authority by id or by unique name, for commands. */
final class Authorities {
    private Authorities() {
    }

    /**
     * @param key an authority id or name
     * @throws IllegalArgumentException when none or several match
     */
    static Authority find(AuthorityService authorities, String key) {
        return authorities.find(key).orElseGet(() -> {
            List<Authority> named = authorities.list().stream().filter(a -> a.name().equalsIgnoreCase(key)).toList();
            if (named.size() == 1) {
                return named.get(0);
            }
            throw new IllegalArgumentException(named.isEmpty() ? "no authority " + key
                    : named.size() + " authorities are named " + key + ": give the id");
        });
    }
}

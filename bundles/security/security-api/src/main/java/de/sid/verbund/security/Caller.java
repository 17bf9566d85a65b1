package de.sid.verbund.security;

import java.util.Set;

/**
 * The authenticated caller of the current request or command.
 *
 * @param userId user id
 * @param username login name
 * @param authorityId the authority the user belongs to, {@code null} for SID staff
 * @param roles role names, see {@link Roles}
 */
public record Caller(String userId, String username, String authorityId, Set<String> roles) {
    public Caller {
        roles = Set.copyOf(roles);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}

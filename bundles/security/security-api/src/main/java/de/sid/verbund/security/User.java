package de.sid.verbund.security;

import java.time.Instant;
import java.util.Set;

/**
 * A user account as shown to callers (never with its password hash).
 *
 * @param id user id (UUID)
 * @param username unique login name
 * @param authorityId the authority for tenant roles, {@code null} for SID staff
 * @param roles role names, see {@link Roles}
 * @param locked whether password logins are refused now (for a while after repeated failures)
 * @param createdAt creation time (UTC)
 */
public record User(String id, String username, String authorityId, Set<String> roles, boolean locked, Instant createdAt) {
    public User {
        roles = Set.copyOf(roles);
    }
}

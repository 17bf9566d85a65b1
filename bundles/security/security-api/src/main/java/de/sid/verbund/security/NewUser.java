package de.sid.verbund.security;

import java.util.Set;

/**
 * A user to create.
 *
 * @param username 3–64 characters of {@code [a-z0-9._-]}, unique
 * @param password at least 10 characters; stored only as a bcrypt hash
 * @param authorityId required for tenant roles, must be {@code null} for SID roles
 * @param roles one or more of {@link Roles#ALL}
 */
public record NewUser(String username, String password, String authorityId, Set<String> roles) {
}

package de.sid.verbund.security;

import java.time.Instant;

/**
 * An API token. The secret is shown once, when created; only its SHA-256 is stored.
 *
 * @param id token id
 * @param name what the token is for
 * @param expiresAt when it stops working (UTC)
 * @param secret the bearer secret ({@code Authorization: Bearer <secret>}); {@code null}
 *        except in the answer to its creation
 */
public record ApiToken(String id, String name, Instant expiresAt, String secret) {
}

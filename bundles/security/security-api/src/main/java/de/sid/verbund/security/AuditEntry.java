package de.sid.verbund.security;

import java.time.Instant;

/**
 * One audit-log entry.
 *
 * @param id sequence number (ascending in time)
 * @param at when (UTC)
 * @param subject who: username, or {@code anonymous}
 * @param action what, e.g. {@code POST /api/users} or {@code login}
 * @param target on what, e.g. {@code /api/users} or {@code user/3f2c…}
 * @param outcome {@code SUCCESS}, {@code DENIED}, {@code FAILED} or {@code ERROR}, with an HTTP
 *        status where there is one ({@code DENIED 403})
 * @param detail free text, may be empty; never a secret
 */
public record AuditEntry(long id, Instant at, String subject, String action, String target, String outcome, String detail) {
}

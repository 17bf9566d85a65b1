package de.sid.verbund.security;

import java.time.Instant;

/**
 * Filters of an audit-log query; {@code null} parts do not filter.
 *
 * @param subject exactly this user name (or {@code anonymous}, {@code system})
 * @param action actions starting with this text, e.g. {@code POST /api/users} or {@code access tenancy}
 * @param outcome outcomes starting with this text, e.g. {@code DENIED} or {@code DENIED 404}
 * @param from entries at or after this instant (UTC)
 * @param to entries before this instant (UTC)
 */
public record AuditQuery(String subject, String action, String outcome, Instant from, Instant to) {
    /** No filter. */
    public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null);
}

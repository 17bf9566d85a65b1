package de.sid.verbund.security;

import de.sid.verbund.core.Page;

/**
 * The append-only, hash-chained audit log: each entry carries the SHA-256 of the previous entry's
 * hash and its own content, appended one at a time (also from several nodes sharing the database)
 * so that the chain never forks. Entries older than the configured retention are deleted from the
 * old end; the chain stays verifiable from the oldest kept entry.
 */
public interface AuditLog {
    /**
     * Appends an entry (in its own transaction, or the caller's if one is open).
     *
     * @throws RuntimeException when the entry cannot be stored; a state
     *         change whose audit cannot be written must fail with it
     */
    void record(String subject, String action, String target, String outcome, String detail);

    /** Newest first. */
    Page<AuditEntry> list(int limit, String cursor);

    /**
     * Newest first, filtered.
     *
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for an invalid cursor
     */
    Page<AuditEntry> query(AuditQuery query, int limit, String cursor);

    /** Checks the hash chain from the oldest kept entry to the newest. */
    AuditVerification verify();
}

package de.sid.verbund.security;

import de.sid.verbund.core.Page;

/** The append-only audit log. */
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
}

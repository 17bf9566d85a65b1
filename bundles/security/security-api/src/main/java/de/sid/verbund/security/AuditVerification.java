package de.sid.verbund.security;

/**
 * The result of checking the audit log's hash chain: each entry stores the SHA-256 of the
 * previous entry's hash followed by its own canonical content, so changing, inserting or deleting
 * a stored entry breaks the chain at that entry.
 *
 * @param intact whether every entry checked is unchanged
 * @param checked how many entries were checked (from the oldest kept entry to the newest)
 * @param firstBrokenId the id of the first entry whose stored content or link does not match, or
 *        {@code null} when intact
 * @param reason what does not match at {@code firstBrokenId}, or {@code null} when intact
 */
public record AuditVerification(boolean intact, long checked, Long firstBrokenId, String reason) {
}

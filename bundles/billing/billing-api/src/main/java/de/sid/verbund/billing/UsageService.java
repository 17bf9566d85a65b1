package de.sid.verbund.billing;

import de.sid.verbund.core.Page;
import java.time.Instant;

/**
 * Reading the usage ledger. Methods do not check permissions; REST and shell do (an authority sees
 * only its own usage).
 */
public interface UsageService {
    /**
     * Usage records that overlap {@code [from, to)}, by ledger id.
     *
     * @param authorityId the authority, or {@code null} for all
     * @param from start (inclusive, UTC)
     * @param to end (exclusive, UTC), after {@code from}
     * @param limit page size, 1..{@link Page#MAX_LIMIT}
     * @param cursor the previous page's {@link Page#nextCursor()}, or {@code null}
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for {@code to} not after
     *         {@code from}, a bad limit or cursor
     */
    Page<UsageRecord> usage(String authorityId, Instant from, Instant to, int limit, String cursor);

    /**
     * @return events and reports parked for review, oldest first
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for a bad limit or cursor
     */
    Page<ParkedEvent> parked(int limit, String cursor);
}

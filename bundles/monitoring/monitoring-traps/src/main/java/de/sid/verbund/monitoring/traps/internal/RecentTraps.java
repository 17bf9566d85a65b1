package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Page;

/** The recent trap events of this node, for {@code GET /api/traps} (a service private to this bundle). */
public interface RecentTraps {
    /**
     * @param limit 1 to {@link Page#MAX_LIMIT}
     * @param cursor {@code nextCursor} of the previous page, or null for the newest
     * @return trap events, newest first, as published on the event bus
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for a cursor that is not one of ours
     */
    Page<DomainEvent> recent(int limit, String cursor);
}

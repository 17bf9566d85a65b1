package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code size} trap events in memory, newest first. Each gets a sequence number; the
 * cursor of a page is the sequence number of its last (oldest) event, so paging is stable while
 * new traps arrive. Events that fell out of the ring are gone (the event bus has them all).
 */
final class TrapHistory implements RecentTraps {
    private final DomainEvent[] ring;
    private long next;

    /** @param size events kept (1 or more) */
    TrapHistory(int size) {
        ring = new DomainEvent[Math.max(1, size)];
    }

    synchronized void add(DomainEvent event) {
        ring[(int) (next % ring.length)] = event;
        next++;
    }

    @Override
    public synchronized Page<DomainEvent> recent(int limit, String cursor) {
        long before = next;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                before = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("cursor '" + (cursor.length() > 20 ? cursor.substring(0, 20) + "…" : cursor)
                        + "' is not a cursor of /traps");
            }
            if (before < 0 || before > next) {
                throw ProblemException.badRequest("cursor " + before + " is not a cursor of /traps");
            }
        }
        long oldest = Math.max(0, next - ring.length);
        List<DomainEvent> items = new ArrayList<>(Math.min(limit, ring.length));
        long seq = before - 1;
        for (; seq >= oldest && items.size() < limit; seq--) {
            items.add(ring[(int) (seq % ring.length)]);
        }
        String nextCursor = seq >= oldest ? Long.toString(seq + 1) : null;
        return new Page<>(items, nextCursor);
    }
}

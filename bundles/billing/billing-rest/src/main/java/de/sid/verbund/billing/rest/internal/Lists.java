package de.sid.verbund.billing.rest.internal;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import java.util.List;

/** Paging of lists a service returns whole (price sheets): the cursor is the offset of the next item. */
final class Lists {
    private Lists() {
    }

    /**
     * @throws ProblemException BAD_REQUEST for a cursor that is not an offset this method gave
     */
    static <T> Page<T> page(List<T> all, int limit, String cursor) {
        int from = 0;
        if (cursor != null && !cursor.isBlank()) {
            try {
                from = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                from = -1;
            }
            if (from < 0 || from > all.size()) {
                throw ProblemException.badRequest("invalid cursor: " + cursor);
            }
        }
        int to = Math.min(all.size(), from + limit);
        return new Page<>(all.subList(from, to), to < all.size() ? Integer.toString(to) : null);
    }
}

package de.sid.verbund.core;

import java.util.List;

/**
 * One page of a list. Lists are paged with a {@code limit} and an opaque {@code cursor}:
 * pass {@link #nextCursor()} back to get the next page; it is {@code null} on the last page.
 *
 * @param items the items of this page, at most the requested limit
 * @param nextCursor opaque cursor of the next page, or {@code null}
 */
public record Page<T>(List<T> items, String nextCursor) {
    /** Default page size. */
    public static final int DEFAULT_LIMIT = 50;
    /** Largest page size a caller may ask for. */
    public static final int MAX_LIMIT = 500;

    public Page {
        items = List.copyOf(items);
    }

    /**
     * Validates a caller's limit as given in a query string.
     *
     * @param limit requested size as text, or {@code null}/blank for {@link #DEFAULT_LIMIT}
     * @return the limit to use
     * @throws ProblemException BAD_REQUEST when not a whole number in 1..{@link #MAX_LIMIT}
     */
    public static int limit(String limit) {
        if (limit == null || limit.isBlank()) {
            return DEFAULT_LIMIT;
        }
        try {
            return limit(Integer.valueOf(limit.trim()));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("limit must be a whole number between 1 and " + MAX_LIMIT + ", was '"
                    + (limit.length() > 20 ? limit.substring(0, 20) + "…" : limit) + "'");
        }
    }

    /**
     * Validates a caller's limit.
     *
     * @param limit requested size or {@code null} for {@link #DEFAULT_LIMIT}
     * @return the limit to use
     * @throws ProblemException BAD_REQUEST outside 1..{@link #MAX_LIMIT}
     */
    public static int limit(Integer limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ProblemException.badRequest("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }
}

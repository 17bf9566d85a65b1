package de.sid.verbund.core;

import java.util.UUID;

/** Identifiers: Verbund ids are random (version 4) UUIDs, rendered in lower-case canonical form. */
public final class Ids {
    private Ids() {
    }

    /** @return a new random UUID string such as {@code 3f2c…-…}, 36 characters */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Parses an id given by a caller.
     *
     * @param value the text, e.g. from a URL path
     * @return the UUID
     * @throws ProblemException {@link ProblemType#BAD_REQUEST} when the value is not a UUID
     */
    public static UUID parse(String value) {
        try {
            if (value == null || value.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("not a valid id (UUID expected): " + value);
        }
    }
}

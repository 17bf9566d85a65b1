package de.sid.verbund.core;

import java.util.List;

/**
 * An RFC 9457 problem body ({@code application/problem+json}).
 *
 * @param type problem type URI, see {@link ProblemType#uri()}
 * @param title short summary of the type
 * @param status HTTP status
 * @param detail what went wrong in this occurrence, with the facts the caller needs
 * @param instance the request path
 * @param errors individual messages (e.g. one per invalid field); may be empty
 */
public record Problem(String type, String title, int status, String detail, String instance, List<String> errors) {
    /** The media type of problem bodies. */
    public static final String MEDIA_TYPE = "application/problem+json";

    public Problem {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static Problem of(ProblemType type, String detail, String instance) {
        return new Problem(type.uri(), type.title(), type.status(), detail, instance, List.of());
    }

    public static Problem of(ProblemException e, String instance) {
        return new Problem(e.type().uri(), e.type().title(), e.type().status(), e.getMessage(), instance, e.errors());
    }
}

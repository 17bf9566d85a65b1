package de.sid.verbund.core;

/** The kinds of error Verbund reports, with their HTTP status (RFC 9110) and problem title. */
public enum ProblemType {
    BAD_REQUEST(400, "Bad request"),
    UNAUTHORIZED(401, "Unauthorized"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    CONFLICT(409, "Conflict"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    UNAVAILABLE(503, "Service unavailable"),
    /**
     * This node sees fewer cluster members than the configured minimum ({@code min.cluster.size}):
     * it may be on the minority side of a network partition (split brain) and refuses to change
     * anything until it rejoins the majority.
     */
    NO_QUORUM(503, "Cluster minority"),
    INTERNAL(500, "Internal error");

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    /** @return the problem {@code type} URI of RFC 9457, e.g. {@code urn:verbund:problem:not-found} */
    public String uri() {
        return "urn:verbund:problem:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}

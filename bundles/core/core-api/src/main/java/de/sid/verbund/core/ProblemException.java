package de.sid.verbund.core;

import java.util.List;

/**
 * An error meant for the caller: mapped to an RFC 9457 problem body by the REST layer and to an
 * error line by the shell. The message is the problem's {@code detail} and must carry the facts
 * the caller needs ("host kvm-3: RAM 61440/65536 MiB").
 */
public class ProblemException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ProblemType type;
    private final List<String> errors;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of(), null);
    }

    public ProblemException(ProblemType type, String detail, List<String> errors, Throwable cause) {
        super(detail, cause);
        this.type = type;
        this.errors = List.copyOf(errors);
    }

    public ProblemType type() {
        return type;
    }

    /** @return individual messages (e.g. one per invalid field), possibly empty */
    public List<String> errors() {
        return errors;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(ProblemType.BAD_REQUEST, detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(ProblemType.NOT_FOUND, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemType.FORBIDDEN, detail);
    }
}

package de.sid.verbund.compute.spi;

/**
 * The hypervisor refused or failed an operation; the message carries the host, the domain and
 * the hypervisor's own error text.
 */
public class ComputeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure, for callers that must react differently. */
    public enum Kind {
        /** The connection is lost or cannot be made. */
        CONNECTION,
        /** No such domain (or snapshot, volume, pool). */
        NOT_FOUND,
        /**
         * A domain with that name exists under another UUID (for an import: a domain of that
         * name or UUID, or a volume of that name, exists already).
         */
        NAME_TAKEN,
        /** The host has no room for it (storage pool full, out of memory). */
        NO_SPACE,
        /** The operation is not valid in the domain's state. */
        INVALID_STATE,
        /** The hypervisor does not support what was asked (feature, XML element). */
        UNSUPPORTED,
        /** Anything else the hypervisor reported. */
        FAILED
    }

    private final Kind kind;

    public ComputeException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}

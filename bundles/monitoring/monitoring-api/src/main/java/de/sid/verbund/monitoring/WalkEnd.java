package de.sid.verbund.monitoring;

/** Why a walk stopped, and so whether its rows are the {@link WalkResult.Status whole table}. */
public enum WalkEnd {
    /** The agent's next OID lies outside the walked subtree: the normal end. */
    END_OF_SUBTREE(WalkResult.Status.COMPLETE),
    /** The agent answered {@code endOfMibView} (RFC 3416): nothing follows in its view. A normal end. */
    END_OF_MIB_VIEW(WalkResult.Status.COMPLETE),
    /** SNMPv1: the agent answered GETNEXT with {@code noSuchName}, v1's end of the MIB view. A normal end. */
    NO_SUCH_NAME(WalkResult.Status.COMPLETE),
    /**
     * The agent returned an OID not greater than the one before it (it repeated the OID it was
     * asked for, or went round in a loop). The rows before it are kept.
     */
    OID_NOT_INCREASING(WalkResult.Status.PARTIAL),
    /** The walk used up {@link SnmpTarget#maxRequestsPerWalk()}. The rows so far are kept. */
    REQUEST_CAP(WalkResult.Status.PARTIAL),
    /** The agent answered without error and without a single variable binding. */
    EMPTY_RESPONSE(WalkResult.Status.PARTIAL),
    /** No answer after all attempts. */
    TIMEOUT(WalkResult.Status.FAILED),
    /** An error status that retrying with smaller or simpler requests did not cure (genErr; tooBig for one varbind). */
    ERROR_STATUS(WalkResult.Status.FAILED),
    /** Sending failed locally, or the client was closed. */
    TRANSPORT(WalkResult.Status.FAILED),
    /** Not walked: the device stopped answering earlier in the same poll. */
    NOT_POLLED(WalkResult.Status.FAILED);

    private final WalkResult.Status status;

    WalkEnd(WalkResult.Status status) {
        this.status = status;
    }

    /** @return what this end means for the table's rows */
    public WalkResult.Status status() {
        return status;
    }
}

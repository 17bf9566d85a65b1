package de.sid.verbund.monitoring;

/**
 * A request to an agent failed: no answer in time, an error status in the answer, an SNMPv3
 * security refusal, or a local transport failure. The message names the device, its address and what failed. Agent
 * faults that a walk can live with (loops, tooBig) do not throw: see {@link WalkResult}.
 */
public class SnmpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What failed. */
    public enum Kind {
        /** No answer after all attempts ({@code 1 + retries}). */
        TIMEOUT,
        /** The agent answered with an error status (RFC 3416 section 3: genErr, tooBig, …). */
        ERROR_STATUS,
        /** The answer does not fit the request (other OIDs, another number of variable bindings). */
        BAD_RESPONSE,
        /** Sending failed locally, or the client was closed. */
        TRANSPORT,
        /**
         * The SNMPv3 agent refused the request's security parameters with a Report PDU (RFC 3414
         * section 3.2: unknown user name, wrong digest, decryption error, unsupported security
         * level); the message says which, without any secret.
         */
        SECURITY
    }

    private final Kind kind;
    private final int errorStatus;

    /**
     * @param kind what failed
     * @param errorStatus the SNMP error-status (1 tooBig, 2 noSuchName, 5 genErr, …), 0 unless {@code ERROR_STATUS}
     * @param message the facts: device, address, request, status
     * @param cause the underlying exception, may be null
     */
    public SnmpException(Kind kind, int errorStatus, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.errorStatus = errorStatus;
    }

    public Kind kind() {
        return kind;
    }

    /** @return the SNMP error-status of an {@code ERROR_STATUS} failure, else 0 */
    public int errorStatus() {
        return errorStatus;
    }
}

package de.sid.verbund.billing;

/** The two shapes of usage record in the ledger. */
public enum UsageKind {
    /**
     * A VM segment: from {@code start} to {@code end} the VM had one constant sizing (offering,
     * vCPU, RAM, disk) and one billable state (running or not). Metered from compute events.
     */
    SEGMENT,
    /** A quantity of a named metric used over {@code start}–{@code end}, from another source ({@link UsageRecorder}). */
    QUANTITY
}

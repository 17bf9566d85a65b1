package de.sid.verbund.compute;

/** A virtual machine's state as Verbund knows it. */
public enum VmState {
    /** Being created (placed, volume and domain being defined). */
    PROVISIONING,
    RUNNING,
    PAUSED,
    STOPPED,
    /** The host is unreachable: the real state is not known. */
    UNKNOWN,
    /** Creation failed; nothing is left on the host. */
    FAILED,
    /** Undefined and its volume removed. */
    DELETED
}

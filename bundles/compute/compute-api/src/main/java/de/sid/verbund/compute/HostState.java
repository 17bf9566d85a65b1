package de.sid.verbund.compute;

/** A host's state: only ENABLED hosts take new VMs. */
public enum HostState {
    /** In service. */
    ENABLED,
    /** Taken out of placement by an operator; its VMs keep running. */
    MAINTENANCE,
    /** The hypervisor connection is lost; its VMs are UNKNOWN. */
    DOWN
}

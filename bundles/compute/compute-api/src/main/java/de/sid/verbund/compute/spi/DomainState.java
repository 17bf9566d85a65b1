package de.sid.verbund.compute.spi;

/** A domain's state as the hypervisor reports it. */
public enum DomainState {
    RUNNING, PAUSED, SHUTOFF, CRASHED, OTHER
}

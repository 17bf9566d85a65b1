package de.sid.verbund.catalog;

/** What an order asks for. */
public enum OrderKind {
    /** New units of an offering. */
    PROVISION,
    /** Removal of running VMs of the authority; frees their quota. */
    DECOMMISSION
}

package de.sid.verbund.catalog;

/** Who must approve an order of an offering before it is fulfilled. */
public enum ApprovalPolicy {
    /** Approved on submission. */
    NONE,
    /** An admin of the ordering authority (not the requester). */
    AUTHORITY_ADMIN,
    /** An admin of the ordering authority, then a SID operator: two different people, neither the requester. */
    AUTHORITY_ADMIN_AND_SID_OPERATOR
}

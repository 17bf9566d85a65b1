package de.sid.verbund.catalog;

/**
 * An order's state. SUBMITTED → APPROVED / REJECTED / CANCELLED; APPROVED → PROVISIONING (at once,
 * or FAILED when the quota no longer allows it) / CANCELLED; PROVISIONING → FULFILLED / FAILED.
 * REJECTED, CANCELLED, FULFILLED and FAILED are final.
 */
public enum OrderState {
    SUBMITTED, APPROVED, REJECTED, PROVISIONING, FULFILLED, FAILED, CANCELLED;

    public boolean isFinal() {
        return this == REJECTED || this == FULFILLED || this == FAILED || this == CANCELLED;
    }
}

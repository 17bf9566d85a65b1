package de.sid.verbund.billing;

/** A draft may be re-rated or discarded; a final document never changes. */
public enum InvoiceState {
    DRAFT,
    FINAL
}

package de.sid.verbund.tenancy;

/** How an authority is charged. */
public enum BillingMode {
    /** A monthly invoice (XRechnung to its Leitweg-ID), with VAT when it is liable. */
    INVOICE,
    /** Internal cost allocation (Leistungsverrechnung) between cost centres, never with VAT. */
    INTERNAL
}

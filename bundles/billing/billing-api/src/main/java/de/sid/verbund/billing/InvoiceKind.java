package de.sid.verbund.billing;

/** What a billing document is (UNTDID 1001 document type code in XRechnung BT-3). */
public enum InvoiceKind {
    /** An invoice to an authority in billing mode INVOICE (UNTDID 1001: 380). */
    INVOICE("380"),
    /** An internal cost-allocation statement to an authority in mode INTERNAL; never with VAT, not sent as XRechnung. */
    COST_ALLOCATION("380"),
    /** A credit note correcting a final invoice (UNTDID 1001: 381). */
    CREDIT_NOTE("381");

    private final String untdid1001;

    InvoiceKind(String untdid1001) {
        this.untdid1001 = untdid1001;
    }

    /** @return the UNTDID 1001 document type code */
    public String typeCode() {
        return untdid1001;
    }
}

package de.sid.verbund.billing.core.internal;

import de.sid.verbund.billing.Party;

/**
 * The SID as seller and as the cost centre of internal allocations (from configuration).
 *
 * @param party seller name, address, VAT id and contact
 * @param iban account for payment (BT-84)
 * @param bic its BIC, or {@code null}
 * @param accountName account holder, or {@code null}
 * @param paymentDays days from the issue date to the due date
 * @param paymentTerms payment terms text (BT-20)
 * @param authorityId the id under which the SID's counter-entry statement is kept
 * @param costCentre the SID's cost centre that internal allocations are booked against
 * @param correctionHorizonMonths how many months back late usage is still put onto the next invoice
 */
record Seller(Party party, String iban, String bic, String accountName, int paymentDays, String paymentTerms,
        String authorityId, String costCentre, int correctionHorizonMonths) {
}

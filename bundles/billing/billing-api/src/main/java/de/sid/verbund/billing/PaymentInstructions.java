package de.sid.verbund.billing;

import java.time.LocalDate;

/**
 * How and when to pay (EN 16931 BG-16, BT-9, BT-20).
 *
 * @param iban the seller's account (BT-84), credit transfer (UNTDID 4461 code 58)
 * @param bic its BIC (BT-86), or {@code null}
 * @param accountName account holder (BT-85), or {@code null}
 * @param dueDate payment due date (BT-9)
 * @param terms payment terms as text (BT-20), e.g. "Zahlbar innerhalb von 30 Tagen"
 */
public record PaymentInstructions(String iban, String bic, String accountName, LocalDate dueDate, String terms) {
}

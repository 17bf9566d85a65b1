package de.sid.verbund.billing;

import java.math.BigDecimal;

/**
 * A line of a credit note: part or all of a line of the corrected invoice, at that line's unit
 * price.
 *
 * @param position the corrected invoice's line position
 * @param quantity the quantity credited, positive and at most the line's quantity; the credit
 *        note's line amount is {@code −quantity × unitPrice} rounded to cents HALF_UP
 */
public record CreditLine(int position, BigDecimal quantity) {
}

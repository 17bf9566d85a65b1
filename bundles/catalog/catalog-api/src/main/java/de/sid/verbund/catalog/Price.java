package de.sid.verbund.catalog;

import java.math.BigDecimal;

/**
 * The current price of one unit of an offering, from billing's price sheet in force.
 *
 * @param perHourEur net EUR per hour of use, 4 decimals
 * @param perMonthEur net EUR for the current month used in full, rounded to cents
 * @param priceSheetId the price sheet the figures come from
 */
public record Price(BigDecimal perHourEur, BigDecimal perMonthEur, String priceSheetId) {
}

package de.sid.verbund.billing;

import de.sid.verbund.core.Money;

/**
 * What one unit of an offering costs now, from the price sheet in force.
 *
 * @param offeringCode the offering's stable code (e.g. {@code vm-m}), as priced per VM-hour
 * @param priceSheetId the price sheet the figures come from
 * @param perHour EUR per hour of use (VM-hour plus the vCPU-, RAM- and disk-based prices of its
 *        sizing), 4 decimals
 * @param perMonth EUR for the current month used in full (the hourly part times the month's real
 *        hours in Europe/Berlin, plus monthly fees), rounded to cents
 */
public record PriceQuote(String offeringCode, String priceSheetId, Money perHour, Money perMonth) {
}

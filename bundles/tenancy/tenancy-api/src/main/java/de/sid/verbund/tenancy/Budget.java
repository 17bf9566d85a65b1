package de.sid.verbund.tenancy;

import java.math.BigDecimal;

/**
 * A monthly budget (per calendar month in Europe/Berlin, net EUR).
 *
 * @param monthlyEur the hard limit: once the month-to-date cost reaches it, new orders are
 *        refused (running services are left alone); {@code null} for no budget
 * @param softThresholdPercent 1..100: from this share of the limit on, the authority is warned
 */
public record Budget(BigDecimal monthlyEur, int softThresholdPercent) {
    public static final Budget NONE = new Budget(null, 80);
}

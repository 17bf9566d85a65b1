package de.sid.verbund.billing;

import de.sid.verbund.core.Money;

/**
 * One price of a price sheet.
 *
 * @param metric what the price is per
 * @param qualifier the offering code ({@link Metric#VM_HOUR}), service ({@link Metric#SERVICE_MONTH})
 *        or usage metric name ({@link Metric#QUANTITY}); {@code null} for the other metrics
 * @param unitPrice EUR per unit of the metric, at most 4 decimals ({@link Money#unitPrice}), not negative
 */
public record Price(Metric metric, String qualifier, Money unitPrice) {
}

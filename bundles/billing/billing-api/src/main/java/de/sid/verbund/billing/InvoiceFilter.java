package de.sid.verbund.billing;

import de.sid.verbund.core.BillingPeriod;

/**
 * Which documents {@link InvoiceService#list} returns; {@code null} fields match everything.
 *
 * @param authorityId only this authority's documents
 * @param period only this billing period
 * @param kind only this kind
 * @param state only this state
 */
public record InvoiceFilter(String authorityId, BillingPeriod period, InvoiceKind kind, InvoiceState state) {
    /** Matches every document. */
    public static final InvoiceFilter ALL = new InvoiceFilter(null, null, null, null);
}

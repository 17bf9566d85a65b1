package de.sid.verbund.billing.core.internal;

import de.sid.verbund.billing.Metric;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Money;
import java.math.BigDecimal;

/**
 * A rated line before it is numbered and stored, with its link to the usage: the ledger ids in
 * {@code (usageFrom, usageTo]} of {@code traceAuthority} that overlap {@code [windowStart, windowEnd)}
 * and match {@code metric}/{@code qualifier}, priced by {@code priceSheetId}.
 */
record LineDraft(String service, String resource, String description, BigDecimal quantity, String unit,
        Money unitPrice, Money amount, BillingPeriod correctionOf, String priceSheetId, Metric metric, String qualifier,
        String traceAuthority, long windowStart, long windowEnd, long usageFrom, long usageTo) {
}

package de.sid.verbund.billing;

import de.sid.verbund.core.BillingPeriod;
import java.time.Instant;
import java.util.List;

/**
 * What a rating run did.
 *
 * @param period the billing period rated
 * @param startedAt when it started
 * @param finishedAt when it finished
 * @param drafts the ids of the DRAFT documents created or re-rated (invoices, cost allocations and
 *        the SID's counter-entry), by authority
 * @param finalUnchanged how many authorities already had a FINAL document for the period (left as
 *        they are; later usage goes onto the next period as correction lines)
 */
public record InvoiceRun(BillingPeriod period, Instant startedAt, Instant finishedAt, List<String> drafts,
        int finalUnchanged) {
    public InvoiceRun {
        drafts = List.copyOf(drafts);
    }
}

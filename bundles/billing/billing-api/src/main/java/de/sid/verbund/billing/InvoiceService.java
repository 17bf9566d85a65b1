package de.sid.verbund.billing;

import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Page;
import java.util.List;
import java.util.Optional;

/**
 * Rating and billing documents. Methods do not check permissions; REST and shell do (an authority
 * sees only its own documents). Errors are {@link de.sid.verbund.core.ProblemException}s.
 *
 * <p>A run rates each authority's usage of a period with the price sheet valid at the time of use
 * (a change of sheet inside the month splits the charge there) and makes one DRAFT per authority:
 * an {@link InvoiceKind#INVOICE} in billing mode INVOICE (VAT 19 % when the authority is VAT
 * liable, else none), a {@link InvoiceKind#COST_ALLOCATION} in mode INTERNAL (no VAT), plus one
 * cost allocation for the SID's own cost centre whose lines are the counter-entries, so the
 * period's allocations net to zero. Lines are grouped by service, resource and price; each
 * line's amount is rounded to cents HALF_UP and the net is the sum of the rounded lines. Usage of
 * earlier FINAL periods recorded after they were rated appears as correction lines referring to
 * that period ({@link InvoiceLine#correctionOf()}).
 *
 * <p>DRAFT → FINAL gives the number ({@code yyyy-nnnnnn}, unique and gap-free per year of the
 * issue date). A FINAL document never changes; corrections are credit notes.
 */
public interface InvoiceService {
    /**
     * Rates a period now (on demand; the monthly schedule calls it for the previous month once).
     * Existing DRAFTs of the period are re-rated in place (same id), FINAL documents are left alone.
     *
     * @param period a period that has ended or is under way
     * @return what was done
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for a period that has not started;
     *         UNAVAILABLE when the authorities cannot be read
     */
    InvoiceRun run(BillingPeriod period);

    /**
     * @param filter which documents
     * @param limit page size, 1..{@link Page#MAX_LIMIT}
     * @param cursor the previous page's cursor, or {@code null}
     * @return documents, newest period first, then by authority
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for a bad limit or cursor
     */
    Page<Invoice> list(InvoiceFilter filter, int limit, String cursor);

    /** @return the document with the internal id, or empty */
    Optional<Invoice> find(String id);

    /** @return the FINAL document with the number (e.g. {@code 2026-000042}), or empty */
    Optional<Invoice> findByNumber(String number);

    /**
     * DRAFT → FINAL: gives the next number of the year of today's date (Europe/Berlin), sets
     * the issue date and due date, and freezes the document.
     *
     * @return the final document
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND; CONFLICT when it is already FINAL
     */
    Invoice finalizeInvoice(String id);

    /**
     * Re-rates a DRAFT with the usage and the price sheets in force now (e.g. after
     * {@link PriceSheetService#correct}).
     *
     * @return the re-rated draft (same id)
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND; CONFLICT when it is FINAL or a credit note
     */
    Invoice rerate(String id);

    /**
     * Makes a DRAFT credit note for lines of a FINAL invoice or cost allocation (negative amounts at
     * the original unit prices, the original's VAT rate, {@link Invoice#precedingInvoiceNumber()}
     * set). It is finalised like an invoice.
     *
     * @param invoiceNumber the FINAL document corrected
     * @param reason why (shown on the credit note), not blank
     * @param lines what is credited; empty credits every line in full
     * @return the draft credit note
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND for an unknown number; BAD_REQUEST for a
     *         blank reason, an unknown position or a quantity not in (0, line quantity]; CONFLICT when
     *         the lines were already credited beyond their quantity
     */
    Invoice creditNote(String invoiceNumber, String reason, List<CreditLine> lines);

    /**
     * The usage records a line was rated from (its price is the line's
     * {@link InvoiceLine#priceSheetId()} version), by ledger id.
     *
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND for an unknown document or position;
     *         BAD_REQUEST for a bad limit or cursor
     */
    Page<UsageRecord> lineUsage(String invoiceId, int position, int limit, String cursor);

    /** @return the periods that have a FINAL document for every authority rated, newest first */
    List<BillingPeriod> closedPeriods();
}

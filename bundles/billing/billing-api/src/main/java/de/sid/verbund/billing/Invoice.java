package de.sid.verbund.billing;

import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * An invoice, cost-allocation statement or credit note for one authority and one billing period.
 *
 * @param id internal id (UUID)
 * @param number the invoice number (BT-1), unique and gap-free per year, e.g. {@code 2026-000042};
 *        {@code null} while DRAFT (numbers are given when a document becomes FINAL, so a discarded
 *        draft leaves no gap)
 * @param kind invoice, cost allocation or credit note
 * @param state DRAFT or FINAL
 * @param authorityId the buyer authority (tenant)
 * @param period the billing period (BG-14, Europe/Berlin calendar month)
 * @param issueDate issue date (BT-2), set when it becomes FINAL; {@code null} while DRAFT
 * @param seller the SID (BG-4)
 * @param buyer the authority (BG-7)
 * @param buyerReference the authority's Leitweg-ID (BT-10), or its cost centre for a cost allocation
 * @param costCentre the authority's cost centre
 * @param precedingInvoiceNumber the invoice a credit note corrects (BT-25), else {@code null}
 * @param lines the lines, by position
 * @param net sum of the line amounts (BT-106 = BT-109), EUR
 * @param vatRatePercent 19 or 0 (BT-119)
 * @param vat {@code net × rate} rounded to cents HALF_UP (BT-110)
 * @param gross {@code net + vat} (BT-112, BT-115)
 * @param payment payment instructions (invoices only), or {@code null}
 * @param createdAt when the document was (last) rated
 * @param finalizedAt when it became FINAL, or {@code null}
 */
public record Invoice(String id, String number, InvoiceKind kind, InvoiceState state, String authorityId,
        BillingPeriod period, LocalDate issueDate, Party seller, Party buyer, String buyerReference, String costCentre,
        String precedingInvoiceNumber, List<InvoiceLine> lines, Money net, BigDecimal vatRatePercent, Money vat,
        Money gross, PaymentInstructions payment, Instant createdAt, Instant finalizedAt) {
    public Invoice {
        lines = List.copyOf(lines);
    }
}

package de.sid.verbund.billing.export.internal;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceLine;
import de.sid.verbund.billing.InvoiceRenderer;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.billing.Party;
import de.sid.verbund.billing.PaymentInstructions;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Money;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** The billing documents the export tests render, with figures worked out by hand in the comments. */
final class Documents {
    static final String LEITWEG_ID = "04011000-1234512345-06";
    static final String AUTHORITY = "7d1c4b7e-1f0a-4f7e-9a43-0c3c1f6e2b10";

    static final Party SID = new Party("Staatsbetrieb Sächsische Informatik Dienste", "Riesaer Straße 7", null,
            "01129", "Dresden", "DE", "DE811267553", "rechnung@sid.sachsen.de", "Team Leistungsverrechnung",
            "+49 351 32345-0", "leistungsverrechnung@sid.sachsen.de");
    static final Party LFULG = new Party("Landesamt für Umwelt, Landwirtschaft und Geologie", "Pillnitzer Platz 3",
            "Haus B", "01326", "Dresden", "DE", null, "e-rechnung@lfulg.sachsen.de", null, null, null);
    static final PaymentInstructions PAYMENT = new PaymentInstructions("DE02120300000000202051", "BYLADEM1001",
            "Staatsbetrieb Sächsische Informatik Dienste", LocalDate.of(2026, 12, 31),
            "Zahlbar innerhalb von 30 Tagen ohne Abzug.");

    private Documents() {
    }

    static InvoiceLine line(int pos, String resource, String description, String quantity, String unit,
            String unitPrice, String amount, BillingPeriod correctionOf) {
        return new InvoiceLine(pos, "compute", resource, description, new BigDecimal(quantity), unit,
                Money.eur(unitPrice), Money.eur(amount), correctionOf, "ps-2026-01");
    }

    /**
     * November 2026 at 19 %: 720 × 0.0417 = 30.024 → 30.02; 1 × 1234.5 = 1234.50; a correction for
     * October 10 × 0.0208 = 0.208 → 0.21; a lowering correction for September −5 × 0.0417 = −0.2085 → −0.21.
     * Net 1264.52, VAT 1264.52 × 0.19 = 240.2588 → 240.26, gross 1504.78.
     */
    static Invoice vat19() {
        List<InvoiceLine> lines = List.of(
                line(1, "vm-m", "VM M (2 vCPU, 4096 MiB), 720 h", "720", "HUR", "0.0417", "30.02", null),
                line(2, "backup", "Datensicherung, Pauschale „Gold“ für November", "1", "MON", "1234.5000", "1234.50", null),
                line(3, "vm-s", "VM S (1 vCPU, 2048 MiB), 10 h", "10", "HUR", "0.0208", "0.21", BillingPeriod.of(2026, 10)),
                line(4, "vm-m", "VM M (2 vCPU, 4096 MiB), 5 h zu viel berechnet", "-5", "HUR", "0.0417", "-0.21",
                        BillingPeriod.of(2026, 9)));
        return new Invoice("0b7f3f5e-3c56-4f0e-a5a4-2f1f7b0c9d01", "2026-000042", InvoiceKind.INVOICE, InvoiceState.FINAL,
                AUTHORITY, BillingPeriod.of(2026, 11), LocalDate.of(2026, 12, 1), SID, LFULG, LEITWEG_ID, "KS-4711",
                null, lines, Money.eur("1264.52"), new BigDecimal("19"), Money.eur("240.26"), Money.eur("1504.78"),
                PAYMENT, Instant.parse("2026-12-01T06:00:00Z"), Instant.parse("2026-12-01T07:00:00Z"));
    }

    /** November 2026 without VAT: 744 × 0.125 = 93.00; 3 × 16.6667 = 50.0001 → 50.00; net = gross = 143.00. */
    static Invoice vatFree() {
        List<InvoiceLine> lines = List.of(
                line(1, "vm-l", "VM L (4 vCPU, 8192 MiB), 744 h", "744", "HUR", "0.1250", "93.00", null),
                line(2, "licence", "Betriebssystem-Lizenz", "3", "C62", "16.6667", "50.00", null));
        return new Invoice("5a0e2a55-8a66-4a8c-9d0c-d7e1c2f1a002", "2026-000043", InvoiceKind.INVOICE, InvoiceState.FINAL,
                AUTHORITY, BillingPeriod.of(2026, 11), LocalDate.of(2026, 12, 1), SID, LFULG, LEITWEG_ID, "KS-4711",
                null, lines, Money.eur("143.00"), BigDecimal.ZERO, Money.eur("0.00"), Money.eur("143.00"),
                PAYMENT, Instant.parse("2026-12-01T06:00:00Z"), Instant.parse("2026-12-01T07:00:00Z"));
    }

    /**
     * A credit note for 24 h of VM M billed on 2026-000042, with the model's signs (billing-core:
     * negative quantity and amounts): −24 × 0.0417 = −1.0008 → −1.00, VAT −0.19, gross −1.19.
     */
    static Invoice creditNote() {
        List<InvoiceLine> lines = List.of(
                line(1, "vm-m", "VM M (2 vCPU, 4096 MiB), 24 h Ausfall gutgeschrieben", "-24", "HUR", "0.0417", "-1.00",
                        null));
        return new Invoice("9e1d0c44-5b77-4d6e-8f11-3a2b1c0d9e03", "2026-000050", InvoiceKind.CREDIT_NOTE,
                InvoiceState.FINAL, AUTHORITY, BillingPeriod.of(2026, 11), LocalDate.of(2026, 12, 10), SID, LFULG,
                LEITWEG_ID, "KS-4711", "2026-000042", lines, Money.eur("-1.00"), new BigDecimal("19"), Money.eur("-0.19"),
                Money.eur("-1.19"), null, Instant.parse("2026-12-10T06:00:00Z"), Instant.parse("2026-12-10T07:00:00Z"));
    }

    /** A cost-allocation statement (internal, no VAT, the cost centre as reference). */
    static Invoice costAllocation() {
        Invoice v = vatFree();
        return new Invoice(v.id(), "2026-000044", InvoiceKind.COST_ALLOCATION, InvoiceState.FINAL, v.authorityId(),
                v.period(), v.issueDate(), SID, LFULG, "KS-4711", "KS-4711", null, v.lines(), v.net(),
                BigDecimal.ZERO, v.vat(), v.gross(), null, v.createdAt(), v.finalizedAt());
    }

    /** {@link #vat19()} as a draft: no number, no issue date. */
    static Invoice draft() {
        Invoice v = vat19();
        return new Invoice(v.id(), null, v.kind(), InvoiceState.DRAFT, v.authorityId(), v.period(), null, SID, LFULG,
                v.buyerReference(), v.costCentre(), null, v.lines(), v.net(), v.vatRatePercent(), v.vat(), v.gross(),
                PAYMENT, v.createdAt(), null);
    }

    static Invoice withBuyerReference(Invoice v, String buyerReference) {
        return new Invoice(v.id(), v.number(), v.kind(), v.state(), v.authorityId(), v.period(), v.issueDate(),
                v.seller(), v.buyer(), buyerReference, v.costCentre(), v.precedingInvoiceNumber(), v.lines(), v.net(),
                v.vatRatePercent(), v.vat(), v.gross(), v.payment(), v.createdAt(), v.finalizedAt());
    }

    static byte[] render(InvoiceRenderer renderer, Invoice invoice) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            renderer.render(invoice, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}

package de.sid.verbund.billing.export.internal;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceLine;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.core.Money;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** Renders PDFs and reads their text back with PDFBox' text extraction. */
class PdfInvoiceRendererTest {
    private final PdfInvoiceRenderer renderer = new PdfInvoiceRenderer();

    private static String text(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    private static int pages(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return doc.getNumberOfPages();
        }
    }

    @Test
    void invoiceShowsEveryLineTotalsVatAndPaymentInGermanFormat() throws IOException {
        byte[] pdf = Documents.render(renderer, Documents.vat19());
        assertThat(new String(pdf, 0, 5, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        String t = text(pdf);

        assertThat(t).contains("Staatsbetrieb Sächsische Informatik Dienste", "Landesamt für Umwelt, Landwirtschaft und Geologie",
                "Pillnitzer Platz 3", "01326 Dresden",
                "Rechnung 2026-000042", "Datum: 01.12.2026", "Leistungszeitraum: 01.11.2026 – 30.11.2026",
                "Leitweg-ID: 04011000-1234512345-06", "Kostenstelle: KS-4711");
        // the lines: quantity, unit, unit price, amount
        assertThat(t).contains("VM M (2 vCPU, 4096 MiB), 720 h", "720 Std. 0,0417 € 30,02 €");
        assertThat(t).contains("Datensicherung, Pauschale „Gold“ für November", "1 Monat 1.234,5000 € 1.234,50 €");
        assertThat(t).contains("10 Std. 0,0208 € 0,21 €", "Korrektur für 10/2026");
        assertThat(t).contains("-5 Std. 0,0417 € -0,21 €", "Korrektur für 09/2026");
        // totals and VAT
        assertThat(t).contains("Summe netto 1.264,52 €", "Umsatzsteuer 19 % 240,26 €", "Gesamtbetrag 1.504,78 €");
        // payment
        assertThat(t).contains("Bitte überweisen Sie 1.504,78 € bis zum 31.12.2026.",
                "Zahlbar innerhalb von 30 Tagen ohne Abzug.", "IBAN DE02120300000000202051", "BIC BYLADEM1001",
                "Verwendungszweck: 2026-000042", "Seite 1 von 1");
        assertThat(t).doesNotContain(PdfInvoiceRenderer.DRAFT);
    }

    @Test
    void draftIsMarked() throws IOException {
        String t = text(Documents.render(renderer, Documents.draft()));
        assertThat(t).contains("ENTWURF – Rechnung", "Nummer: – (Entwurf)", "Gesamtbetrag 1.504,78 €");
        assertThat(t).doesNotContain("Verwendungszweck");
    }

    @Test
    void vatFreeInvoiceAndCreditNote() throws IOException {
        String free = text(Documents.render(renderer, Documents.vatFree()));
        assertThat(free).contains("Summe netto 143,00 €", "Umsatzsteuer 0 % 0,00 €", "Gesamtbetrag 143,00 €",
                "3 Stück 16,6667 € 50,00 €", "nicht umsatzsteuerpflichtige");

        String credit = text(Documents.render(renderer, Documents.creditNote()));
        assertThat(credit).contains("Rechnungskorrektur (Gutschrift) 2026-000050", "Zur Rechnung: 2026-000042",
                "-24 Std. 0,0417 € -1,00 €", "Umsatzsteuer 19 % -0,19 €", "Gutschriftsbetrag -1,19 €",
                "Die Gutschrift wird mit der nächsten Rechnung verrechnet.");

        String internal = text(Documents.render(renderer, Documents.costAllocation()));
        assertThat(internal).contains("Kostenverrechnung 2026-000044", "Kostenstelle: KS-4711", "Gesamtbetrag 143,00 €")
                .doesNotContain("Leitweg-ID");
    }

    @Test
    void manyLinesFlowOntoMorePagesAndAllAreShown() throws IOException {
        Invoice base = Documents.vat19();
        List<InvoiceLine> lines = new ArrayList<>();
        BigDecimal net = BigDecimal.ZERO;
        for (int i = 1; i <= 120; i++) {
            Money amount = Money.eur("1234.56");
            lines.add(new InvoiceLine(i, "compute", "vm-" + i, "VM Nummer " + i + " mit einer etwas längeren Beschreibung, "
                    + "die in der Spalte umbrochen werden muss", new BigDecimal("744"), "HUR", Money.eur("1.6593"),
                    amount, null, "ps-1"));
            net = net.add(amount.amount());
        }
        Invoice big = new Invoice(base.id(), "2026-000099", InvoiceKind.INVOICE, InvoiceState.FINAL, base.authorityId(),
                base.period(), base.issueDate(), base.seller(), base.buyer(), base.buyerReference(), base.costCentre(), null,
                lines, Money.eur(net), new BigDecimal("19"), Money.eur("28148.00"), Money.eur(net.add(new BigDecimal("28148.00"))),
                base.payment(), base.createdAt(), base.finalizedAt());
        byte[] pdf = Documents.render(renderer, big);
        String t = text(pdf);
        int pages = pages(pdf);

        assertThat(pages).isGreaterThan(3);
        assertThat(t).contains("Seite " + pages + " von " + pages);
        for (int i = 1; i <= 120; i++) {
            assertThat(t).contains("VM Nummer " + i + " mit");
        }
        // 120 × 1234.56 = 148147.20; VAT 28148.00 (given); gross 176295.20
        assertThat(t).contains("Summe netto 148.147,20 €", "Gesamtbetrag 176.295,20 €");
    }
}

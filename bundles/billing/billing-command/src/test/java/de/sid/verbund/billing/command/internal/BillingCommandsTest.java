package de.sid.verbund.billing.command.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceFilter;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceLine;
import de.sid.verbund.billing.InvoiceRun;
import de.sid.verbund.billing.InvoiceService;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.Party;
import de.sid.verbund.billing.PaymentInstructions;
import de.sid.verbund.billing.Price;
import de.sid.verbund.billing.PriceSheet;
import de.sid.verbund.billing.PriceSheetService;
import de.sid.verbund.billing.export.internal.CsvInvoiceRenderer;
import de.sid.verbund.billing.export.internal.PdfInvoiceRenderer;
import de.sid.verbund.billing.export.internal.XRechnungRenderer;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.Page;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The billing commands over a recorded service (what they call, what they print) and the real renderers. */
class BillingCommandsTest {
    static final Party SID = new Party("Staatsbetrieb Sächsische Informatik Dienste", "Riesaer Straße 7", null, "01129",
            "Dresden", "DE", "DE123456789", "rechnung@sid.sachsen.de", "Leistungsverrechnung", "+49 351 32600",
            "rechnung@sid.sachsen.de");
    static final Party BUYER = new Party("Landesamt A", "Archivstraße 1", null, "01097", "Dresden", "DE", null,
            "rechnung@a.example", null, null, null);
    static final Invoice INVOICE = new Invoice("0b7f3f5e-3c56-4f0e-a5a4-2f1f7b0c9d01", "2026-000042", InvoiceKind.INVOICE,
            InvoiceState.FINAL, "a0000000-0000-4000-8000-00000000000a", BillingPeriod.of(2026, 10), LocalDate.of(2026, 11, 3),
            SID, BUYER, "04011000-1234512345-06", "KST-1", null,
            List.of(new InvoiceLine(1, "compute", "vm-m", "VM M, 745 h", new BigDecimal("745"), "HUR", Money.eur("0.0417"),
                    Money.eur("31.07"), null, "ps-1")),
            Money.eur("31.07"), new BigDecimal("19"), Money.eur("5.90"), Money.eur("36.97"),
            new PaymentInstructions("DE02120300000000202051", "BYLADEM1001", "SID", LocalDate.of(2026, 12, 3), "30 Tage"),
            Instant.parse("2026-11-03T06:00:00Z"), Instant.parse("2026-11-03T07:00:00Z"));

    @TempDir
    Path dir;
    final List<String> calls = new ArrayList<>();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream stdout;

    @BeforeEach
    void captureOutput() {
        stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(stdout);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private InvoiceService invoices() {
        return (InvoiceService) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {InvoiceService.class},
                (p, m, args) -> {
                    calls.add(m.getName() + " " + (args == null ? "" : args[0]));
                    return switch (m.getName()) {
                        case "run" -> new InvoiceRun((BillingPeriod) args[0], Instant.now(), Instant.now(),
                                List.of("d1", "d2", "d3"), 1);
                        case "findByNumber" -> Optional.ofNullable(INVOICE.number().equals(args[0]) ? INVOICE : null);
                        case "find" -> Optional.empty();
                        case "list" -> new Page<>(List.of(INVOICE), null);
                        default -> throw new AssertionError("not expected: " + m.getName());
                    };
                });
    }

    @Test
    void invoiceRunRatesThePeriod() {
        InvoiceRunCommand c = new InvoiceRunCommand();
        c.invoices = invoices();
        c.period = "2026-10";
        c.execute();
        assertThat(calls).containsExactly("run 2026-10");
        assertThat(output()).contains("Period 2026-10 rated: 3 draft(s) created or re-rated, 1 authority already final");

        c.period = "October";
        assertThatThrownBy(c::execute).hasMessageContaining("not a billing period");
    }

    @Test
    void invoiceListShowsTheFilteredDocuments() {
        InvoiceListCommand c = new InvoiceListCommand();
        c.invoices = invoices();
        c.period = "2026-10";
        c.state = InvoiceState.FINAL;
        c.execute();
        assertThat(calls).singleElement().asString().startsWith("list " + new InvoiceFilter(null, BillingPeriod.of(2026, 10),
                null, InvoiceState.FINAL));
        assertThat(output()).contains("2026-000042", "Landesamt A", "31.07", "5.90", "36.97");
    }

    @Test
    void invoiceShowPrintsLinesOrAFormat() throws Exception {
        InvoiceShowCommand c = new InvoiceShowCommand();
        c.invoices = invoices();
        c.renderers = List.of(new CsvInvoiceRenderer(), new XRechnungRenderer(), new PdfInvoiceRenderer());
        c.key = "2026-000042";
        c.execute();
        assertThat(output()).contains("INVOICE 2026-000042 · FINAL · period 2026-10", "VM M, 745 h", "745", "0.0417",
                "Net 31.07 EUR · VAT 19 % 5.90 EUR · gross 36.97 EUR");

        out.reset();
        c.format = "csv";
        c.execute();
        assertThat(output()).startsWith("document_number,").contains("2026-000042,INVOICE,2026-10");

        out.reset();
        c.format = "xml";
        c.execute();
        assertThat(output()).contains("<cbc:ID>2026-000042</cbc:ID>", "<cbc:PayableAmount currencyID=\"EUR\">36.97</cbc:PayableAmount>");

        c.format = "pdf";
        assertThatThrownBy(c::execute).hasMessageContaining("--output");
        c.format = null;
        c.output = dir.resolve("r.pdf").toString();
        c.execute();
        assertThat(new String(Files.readAllBytes(dir.resolve("r.pdf")), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");

        c.key = "2026-999999";
        assertThatThrownBy(c::execute).hasMessage("no document 2026-999999");
    }

    @Test
    void priceSheetListShowsSheetsAndPrices() {
        PriceSheet s = new PriceSheet("11111111-1111-4111-8111-111111111111", "11111111-1111-4111-8111-111111111111", 1,
                "Preisblatt 2026", Instant.parse("2025-12-31T23:00:00Z"), null,
                List.of(new Price(Metric.VM_HOUR, "vm-m", Money.eur("0.0417")), new Price(Metric.DISK_GIB_MONTH, null,
                        Money.eur("0.1000"))), null, Instant.parse("2025-12-01T00:00:00Z"));
        PriceSheetListCommand c = new PriceSheetListCommand();
        c.sheets = (PriceSheetService) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {PriceSheetService.class}, (p, m, args) -> List.of(s));
        c.execute();
        assertThat(output()).contains("Preisblatt 2026", "2025-12-31T23:00:00Z", "open", "yes");
        out.reset();
        c.prices = true;
        c.execute();
        assertThat(output()).contains("VM_HOUR", "vm-m", "HUR", "0.0417", "DISK_GIB_MONTH", "MON", "0.1000");
    }
}

package de.sid.verbund.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * Billing in the real distribution: the three renderer services (Commons CSV, the JDK's StAX,
 * PDFBox with its embedded font) work inside Karaf; price sheets over REST for SID staff, refused
 * to authority users; a foreign authority's invoice list is 403 and an unknown number 404; the
 * price-sheet shell command.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BillingIT extends VerbundTestSupport {
    private static final String ADMIN = basic("admin", "admin");

    @Inject
    @Filter("(verbund.media.type=text/csv)")
    protected InvoiceRenderer csv;

    @Inject
    @Filter("(verbund.media.type=application/xml)")
    protected InvoiceRenderer xrechnung;

    @Inject
    @Filter("(verbund.media.type=application/pdf)")
    protected InvoiceRenderer pdf;

    @Before
    public void waitForBilling() {
        await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> get("/api/price-sheets", ADMIN).status() == 200);
    }

    private static Invoice invoice() {
        Party sid = new Party("Staatsbetrieb Sächsische Informatik Dienste", "Riesaer Straße 7", null, "01129", "Dresden",
                "DE", "DE123456789", "rechnung@sid.sachsen.de", "Leistungsverrechnung", "+49 351 32600",
                "rechnung@sid.sachsen.de");
        Party buyer = new Party("Landesamt A", "Archivstraße 1", null, "01097", "Dresden", "DE", null, "rechnung@a.example",
                null, null, null);
        return new Invoice(UUID.randomUUID().toString(), "2026-000042", InvoiceKind.INVOICE, InvoiceState.FINAL,
                UUID.randomUUID().toString(), BillingPeriod.of(2026, 10), LocalDate.of(2026, 11, 3), sid, buyer,
                "04011000-1234512345-06", "KST-1", null,
                List.of(new InvoiceLine(1, "compute", "vm-m", "VM M, 745 h", new BigDecimal("745"), "HUR",
                        Money.eur("1.6593"), Money.eur("1236.18"), null, "ps-1")),
                Money.eur("1236.18"), new BigDecimal("19"), Money.eur("234.87"), Money.eur("1471.05"),
                new PaymentInstructions("DE02120300000000202051", "BYLADEM1001", "SID", LocalDate.of(2026, 12, 3), "30 Tage"),
                Instant.now(), Instant.now());
    }

    private static byte[] bytes(InvoiceRenderer r, Invoice i) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        r.render(i, out);
        return out.toByteArray();
    }

    private static String render(InvoiceRenderer r, Invoice i) throws Exception {
        return new String(bytes(r, i), StandardCharsets.UTF_8);
    }

    @Test
    public void renderersWorkInKaraf() throws Exception {
        Invoice i = invoice();
        assertTrue(render(csv, i).startsWith("document_number,document_type,period"));
        String xml = render(xrechnung, i);
        assertTrue(xml, xml.contains("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"));
        assertTrue(xml, xml.contains("<cbc:PayableAmount currencyID=\"EUR\">1471.05</cbc:PayableAmount>"));
        // read back with the container's PDFBox: German figures, the embedded font
        try (PDDocument doc = Loader.loadPDF(bytes(pdf, i))) {
            String text = new PDFTextStripper().getText(doc);
            assertTrue(text, text.contains("Gesamtbetrag 1.471,05 €"));
            assertTrue(text, text.contains("745 Std. 1,6593 € 1.236,18 €"));
            PDFont font = doc.getPage(0).getResources().getFont(doc.getPage(0).getResources().getFontNames().iterator().next());
            assertTrue(font.getName(), font.isEmbedded());
        }
    }

    @Test
    public void priceSheetsForStaffAndInvoicesOnlyForTheirAuthority() throws Exception {
        Reply created = post("/api/price-sheets", ADMIN, "{\"name\":\"Preisblatt IT\",\"validFrom\":\"2020-01-01T00:00:00Z\","
                + "\"validTo\":\"2020-02-01T00:00:00Z\",\"prices\":[{\"metric\":\"VM_HOUR\",\"qualifier\":\"vm-m\",\"unitPrice\":0.0417}]}");
        assertEquals(created.body(), 201, created.status());
        JsonNode sheets = get("/api/price-sheets?limit=500", ADMIN).json().path("items");
        boolean found = false;
        for (JsonNode s : sheets) {
            found |= s.path("name").asText().equals("Preisblatt IT") && s.path("prices").get(0).path("unitPrice").decimalValue()
                    .compareTo(new BigDecimal("0.0417")) == 0;
        }
        assertTrue(sheets.toString(), found);
        assertTrue(executeCommand("verbund:price-sheet-list").contains("Preisblatt IT"));

        String authority = newAuthority();
        String name = "billing-user-" + UUID.randomUUID().toString().substring(0, 6);
        Reply user = post("/api/users", ADMIN, "{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\","
                + "\"authorityId\":\"" + authority + "\",\"roles\":[\"authority-user\"]}");
        assertEquals(user.body(), 201, user.status());
        String auth = basic(name, "long-enough-pw");
        assertEquals(403, get("/api/price-sheets", auth).status());
        assertEquals(200, get("/api/invoices", auth).status());
        assertEquals(403, get("/api/invoices?authority=" + UUID.randomUUID(), auth).status());
        assertEquals(403, get("/api/usage?authority=" + UUID.randomUUID(), auth).status());
        assertEquals(404, get("/api/invoices/2020-000001", auth).status());
        assertEquals(403, post("/api/invoices/run?period=2020-01", auth, "").status());
    }
}

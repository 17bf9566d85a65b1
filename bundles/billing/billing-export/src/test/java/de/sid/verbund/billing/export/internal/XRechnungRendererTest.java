package de.sid.verbund.billing.export.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.billing.Invoice;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.xml.namespace.NamespaceContext;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Checks the XRechnung output twice over ({@link XRechnungCheck}): against the official OASIS UBL 2.1
 * schemas with the JDK's validator, and against the XRechnung 3.0.2 rules. Figures are checked by
 * XPath with the values worked out in {@link Documents}.
 */
class XRechnungRendererTest {
    private final XRechnungRenderer renderer = new XRechnungRenderer();

    private static Document schemaValid(byte[] xml, String schema) throws Exception {
        XRechnungCheck.schemaValid(xml, schema);
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
    }

    private static void xrechnungValid(byte[] xml, boolean creditNote) {
        XRechnungCheck.assertValid(xml, creditNote);
    }

    private static List<String> findings(byte[] xml, boolean creditNote) {
        return XRechnungCheck.findings(xml, creditNote);
    }

    private static String x(Document doc, String path) throws Exception {
        XPath xp = XPathFactory.newInstance().newXPath();
        xp.setNamespaceContext(new NamespaceContext() {
            @Override
            public String getNamespaceURI(String prefix) {
                return switch (prefix) {
                    case "ubl" -> XRechnungRenderer.NS_INVOICE;
                    case "cn" -> XRechnungRenderer.NS_CREDIT_NOTE;
                    case "cac" -> XRechnungRenderer.NS_CAC;
                    case "cbc" -> XRechnungRenderer.NS_CBC;
                    default -> null;
                };
            }

            @Override
            public String getPrefix(String uri) {
                return null;
            }

            @Override
            public java.util.Iterator<String> getPrefixes(String uri) {
                return null;
            }
        });
        return xp.evaluate(path, doc);
    }

    @Test
    void invoiceAt19PercentWithCorrectionLines() throws Exception {
        byte[] xml = Documents.render(renderer, Documents.vat19());
        Document d = schemaValid(xml, "UBL-Invoice-2.1.xsd");
        xrechnungValid(xml, false);

        assertThat(x(d, "/ubl:Invoice/cbc:CustomizationID"))
                .isEqualTo("urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0");
        assertThat(x(d, "/ubl:Invoice/cbc:ProfileID")).isEqualTo("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
        assertThat(x(d, "/ubl:Invoice/cbc:ID")).isEqualTo("2026-000042");
        assertThat(x(d, "/ubl:Invoice/cbc:IssueDate")).isEqualTo("2026-12-01");
        assertThat(x(d, "/ubl:Invoice/cbc:DueDate")).isEqualTo("2026-12-31");
        assertThat(x(d, "/ubl:Invoice/cbc:InvoiceTypeCode")).isEqualTo("380");
        assertThat(x(d, "/ubl:Invoice/cbc:BuyerReference")).isEqualTo("04011000-1234512345-06");
        assertThat(x(d, "/ubl:Invoice/cac:InvoicePeriod/cbc:StartDate")).isEqualTo("2026-11-01");
        assertThat(x(d, "/ubl:Invoice/cac:InvoicePeriod/cbc:EndDate")).isEqualTo("2026-11-30");
        assertThat(x(d, "//cac:AccountingSupplierParty/cac:Party/cbc:EndpointID")).isEqualTo("rechnung@sid.sachsen.de");
        assertThat(x(d, "//cac:AccountingSupplierParty/cac:Party/cbc:EndpointID/@schemeID")).isEqualTo("EM");
        assertThat(x(d, "//cac:AccountingCustomerParty/cac:Party/cbc:EndpointID")).isEqualTo("e-rechnung@lfulg.sachsen.de");
        assertThat(x(d, "//cac:AccountingSupplierParty//cac:PartyTaxScheme/cbc:CompanyID")).isEqualTo("DE811267553");
        assertThat(x(d, "//cac:PaymentMeans/cbc:PaymentMeansCode")).isEqualTo("58");
        assertThat(x(d, "//cac:PaymentMeans/cac:PayeeFinancialAccount/cbc:ID")).isEqualTo("DE02120300000000202051");
        assertThat(x(d, "//cac:PaymentMeans/cac:PayeeFinancialAccount/cac:FinancialInstitutionBranch/cbc:ID"))
                .isEqualTo("BYLADEM1001");
        assertThat(x(d, "//cac:PaymentTerms/cbc:Note")).isEqualTo("Zahlbar innerhalb von 30 Tagen ohne Abzug.");
        // VAT breakdown (BG-23) and totals (BG-22)
        assertThat(x(d, "/ubl:Invoice/cac:TaxTotal/cbc:TaxAmount")).isEqualTo("240.26");
        assertThat(x(d, "/ubl:Invoice/cac:TaxTotal/cbc:TaxAmount/@currencyID")).isEqualTo("EUR");
        assertThat(x(d, "//cac:TaxSubtotal/cbc:TaxableAmount")).isEqualTo("1264.52");
        assertThat(x(d, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID")).isEqualTo("S");
        assertThat(x(d, "//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent")).isEqualTo("19");
        assertThat(x(d, "//cac:LegalMonetaryTotal/cbc:LineExtensionAmount")).isEqualTo("1264.52");
        assertThat(x(d, "//cac:LegalMonetaryTotal/cbc:TaxExclusiveAmount")).isEqualTo("1264.52");
        assertThat(x(d, "//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")).isEqualTo("1504.78");
        assertThat(x(d, "//cac:LegalMonetaryTotal/cbc:PayableAmount")).isEqualTo("1504.78");
        // lines
        assertThat(x(d, "count(//cac:InvoiceLine)")).isEqualTo("4");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='1']/cbc:InvoicedQuantity")).isEqualTo("720");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='1']/cbc:InvoicedQuantity/@unitCode")).isEqualTo("HUR");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='1']/cbc:LineExtensionAmount")).isEqualTo("30.02");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='1']/cac:Price/cbc:PriceAmount")).isEqualTo("0.0417");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='1']/cac:Item/cbc:Name")).isEqualTo("VM M (2 vCPU, 4096 MiB), 720 h");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='1']/cac:Item/cac:SellersItemIdentification/cbc:ID"))
                .isEqualTo("compute/vm-m");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='2']/cbc:InvoicedQuantity/@unitCode")).isEqualTo("MON");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='2']/cbc:LineExtensionAmount")).isEqualTo("1234.50");
        // correction lines: the period they correct in the line note (BT-127); not as line period (BG-26),
        // which XRechnung 3.0.2 (PEPPOL-EN16931-R110/R111) requires to lie within the invoice period
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='3']/cbc:Note")).isEqualTo("Korrektur zu Abrechnungszeitraum 2026-10");
        assertThat(x(d, "count(//cac:InvoiceLine/cac:InvoicePeriod)")).isEqualTo("0");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='3']/cbc:LineExtensionAmount")).isEqualTo("0.21");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='4']/cbc:Note")).isEqualTo("Korrektur zu Abrechnungszeitraum 2026-09");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='4']/cbc:InvoicedQuantity")).isEqualTo("-5");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='4']/cbc:LineExtensionAmount")).isEqualTo("-0.21");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='4']/cac:Price/cbc:PriceAmount")).isEqualTo("0.0417");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='4']/cac:Item/cac:ClassifiedTaxCategory/cbc:ID")).isEqualTo("S");
    }

    @Test
    void vatFreeInvoiceIsExemptWithReason() throws Exception {
        byte[] xml = Documents.render(renderer, Documents.vatFree());
        Document d = schemaValid(xml, "UBL-Invoice-2.1.xsd");
        xrechnungValid(xml, false);

        assertThat(x(d, "/ubl:Invoice/cac:TaxTotal/cbc:TaxAmount")).isEqualTo("0.00");
        assertThat(x(d, "//cac:TaxSubtotal/cbc:TaxableAmount")).isEqualTo("143.00");
        assertThat(x(d, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID")).isEqualTo("E");
        assertThat(x(d, "//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent")).isEqualTo("0");
        assertThat(x(d, "//cac:TaxSubtotal/cac:TaxCategory/cbc:TaxExemptionReason"))
                .isEqualTo(XRechnungRenderer.EXEMPTION_REASON);
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='2']/cac:Item/cac:ClassifiedTaxCategory/cbc:ID")).isEqualTo("E");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='2']/cbc:InvoicedQuantity/@unitCode")).isEqualTo("C62");
        assertThat(x(d, "//cac:InvoiceLine[cbc:ID='2']/cac:Price/cbc:PriceAmount")).isEqualTo("16.6667");
        assertThat(x(d, "//cac:LegalMonetaryTotal/cbc:TaxInclusiveAmount")).isEqualTo("143.00");
        assertThat(x(d, "//cac:LegalMonetaryTotal/cbc:PayableAmount")).isEqualTo("143.00");
    }

    @Test
    void creditNoteIsUblCreditNoteWithCreditedAmountsPositive() throws Exception {
        byte[] xml = Documents.render(renderer, Documents.creditNote());
        Document d = schemaValid(xml, "UBL-CreditNote-2.1.xsd");
        xrechnungValid(xml, true);

        assertThat(x(d, "/cn:CreditNote/cbc:ID")).isEqualTo("2026-000050");
        assertThat(x(d, "/cn:CreditNote/cbc:CreditNoteTypeCode")).isEqualTo("381");
        assertThat(x(d, "/cn:CreditNote/cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID"))
                .isEqualTo("2026-000042");
        assertThat(x(d, "//cac:PaymentMeans/cbc:PaymentMeansCode")).isEqualTo("97");
        assertThat(x(d, "//cac:CreditNoteLine[cbc:ID='1']/cbc:CreditedQuantity")).isEqualTo("24");
        assertThat(x(d, "//cac:CreditNoteLine[cbc:ID='1']/cbc:LineExtensionAmount")).isEqualTo("1.00");
        assertThat(x(d, "/cn:CreditNote/cac:TaxTotal/cbc:TaxAmount")).isEqualTo("0.19");
        assertThat(x(d, "//cac:LegalMonetaryTotal/cbc:PayableAmount")).isEqualTo("1.19");
    }

    @Test
    void validatorCatchesAMissingBuyerReference() {
        String xml = new String(Documents.render(renderer, Documents.vat19()), java.nio.charset.StandardCharsets.UTF_8);
        String broken = xml.replace("<cbc:BuyerReference>04011000-1234512345-06</cbc:BuyerReference>", "");
        assertThat(broken).isNotEqualTo(xml);
        assertThat(findings(broken.getBytes(java.nio.charset.StandardCharsets.UTF_8), false))
                .anySatisfy(f -> assertThat(f).startsWith("400 BR-DE-15"));
    }

    @Test
    void refusesCostAllocationsAndBuyersWithoutLeitwegId() {
        assertThatThrownBy(() -> Documents.render(renderer, Documents.costAllocation()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cost allocation");
        Invoice noLeitweg = Documents.withBuyerReference(Documents.vat19(), null);
        assertThatThrownBy(() -> Documents.render(renderer, noLeitweg))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Leitweg-ID").hasMessageContaining("none");
        Invoice badCheckDigits = Documents.withBuyerReference(Documents.vat19(), "04011000-1234512345-07");
        assertThatThrownBy(() -> Documents.render(renderer, badCheckDigits))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("04011000-1234512345-07");
    }
}

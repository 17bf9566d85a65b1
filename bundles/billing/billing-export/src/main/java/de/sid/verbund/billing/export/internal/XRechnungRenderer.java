package de.sid.verbund.billing.export.internal;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceLine;
import de.sid.verbund.billing.InvoiceRenderer;
import de.sid.verbund.billing.Party;
import de.sid.verbund.billing.PaymentInstructions;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Money;
import de.sid.verbund.tenancy.LeitwegId;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.xml.stream.XMLStreamException;
import org.osgi.service.component.annotations.Component;

/**
 * A billing document as an XRechnung 3.0 e-invoice (the German CIUS of EN 16931-1:2017) in UBL 2.1
 * syntax: {@code Invoice} (type code 380) for an invoice, {@code CreditNote} (381) for a credit
 * note. Written with the JDK's StAX writer (see docs/design-notes.md, "Billing exports").
 *
 * <p>What goes where (business terms of EN 16931, rules of XRechnung 3.0.2 "BR-DE-*"):
 * <ul>
 * <li>BT-24 CustomizationID {@value #CUSTOMIZATION_ID}, BT-23 ProfileID {@value #PROFILE_ID};</li>
 * <li>BT-1 number, BT-2 issue date (the day it became FINAL, else today for a draft), BT-9 due date,
 *     BT-5 currency EUR, BT-10 BuyerReference = the authority's Leitweg-ID (BR-DE-15), BG-14 the
 *     billing period, BT-25 the preceding invoice of a credit note;</li>
 * <li>BG-4/BG-7 seller and buyer with electronic addresses BT-34/BT-49 (scheme {@code EM}, e-mail),
 *     postal addresses, VAT identifiers (BT-31/BT-48), the seller's contact BG-6 (BR-DE-2, -5, -6, -7);</li>
 * <li>BG-16 payment: invoices credit transfer (UNTDID 4461 code 58, SEPA) to the seller's IBAN
 *     (BT-84, BR-DE-19) with BIC and account name; credit notes code 97 (clearing between partners:
 *     the credit is set off against the next invoice, since the model holds no account of the buyer),
 *     BT-20 payment terms;</li>
 * <li>BG-23 VAT breakdown: category {@code S} (standard rate, e.g. 19 %) when the rate is above zero;
 *     at rate 0 (an authority that is not liable to VAT) category {@code E} (exempt) with rate 0 and the
 *     exemption reason BT-120 {@value #EXEMPTION_REASON} (BR-E-10). Category {@code O} ("not subject
 *     to VAT") would forbid the seller's VAT identifier (BR-O-02) while BR-CO-26 needs a seller
 *     identifier, and the model has no other (BT-29/BT-30);</li>
 * <li>BG-25 lines: BT-126 position, BT-129/BT-130 quantity and unit (UN/ECE Rec. 20: HUR, MON, C62),
 *     BT-131 amount, BT-146 unit price (never negative, BR-27: a lowering correction has a negative
 *     quantity), BT-153 item name (the description), BT-155 seller's item id {@code service/resource};
 *     a correction line says "Korrektur zu Abrechnungszeitraum yyyy-MM" in its note BT-127 (not as
 *     line period BG-26: XRechnung 3.0.2 applies PEPPOL-EN16931-R110/R111, a line period within the
 *     invoice period);</li>
 * <li>BG-22 totals: BT-106 sum of lines, BT-109 without VAT, BT-110 VAT, BT-112 with VAT, BT-115 due.</li>
 * </ul>
 * Amounts are shown as the model holds them (rounded to cents); nothing is rounded here. A credit
 * note whose net is negative (the model's sign: money going back to the buyer) is written with the
 * signs of quantities, line amounts and totals reversed, since a UBL {@code CreditNote} states the
 * credited amounts as positive figures.
 */
@Component(service = InvoiceRenderer.class, property = InvoiceRenderer.MEDIA_TYPE + "=" + XRechnungRenderer.MEDIA)
public class XRechnungRenderer implements InvoiceRenderer {
    static final String MEDIA = "application/xml";
    /** BT-24: EN 16931 compliant, XRechnung 3.0 (KoSIT). */
    public static final String CUSTOMIZATION_ID = "urn:cen.eu:en16931:2017#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0";
    /** BT-23: the business process (Peppol BIS Billing 3.0, as XRechnung's examples use). */
    public static final String PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0";
    /** BT-120 for category E. */
    public static final String EXEMPTION_REASON = "Keine Umsatzsteuer: Leistung an eine nicht umsatzsteuerpflichtige "
            + "juristische Person des öffentlichen Rechts";
    /** Line note (BT-127) prefix of a correction line; the period {@code yyyy-MM} follows. */
    public static final String CORRECTION_NOTE = "Korrektur zu Abrechnungszeitraum ";

    static final String NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2";
    static final String NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2";
    static final String NS_CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    static final String NS_CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";

    private static final String CAC = "cac";
    private static final String CBC = "cbc";
    private static final String EUR = Money.CURRENCY;

    @Override
    public String mediaType() {
        return MEDIA;
    }

    /**
     * @throws IllegalArgumentException for a cost allocation (internal, not an e-invoice), a buyer
     *         reference that is no valid Leitweg-ID, or a missing field XRechnung requires (named in
     *         the message with its rule)
     */
    @Override
    public void render(Invoice invoice, OutputStream out) throws IOException {
        check(invoice);
        try {
            write(invoice, out);
        } catch (XMLStreamException e) {
            throw new IOException("invoice " + invoice.number() + ": XML writing failed: " + e.getMessage(), e);
        }
    }

    private static void check(Invoice inv) {
        String doc = "invoice " + (inv.number() == null ? "(draft " + inv.id() + ")" : inv.number());
        if (inv.kind() == InvoiceKind.COST_ALLOCATION) {
            throw new IllegalArgumentException(doc + " is a cost allocation: internal statements are not sent as XRechnung");
        }
        if (!LeitwegId.isValid(inv.buyerReference())) {
            throw new IllegalArgumentException(doc + ": XRechnung needs the buyer's Leitweg-ID as buyer reference "
                    + "(BT-10, BR-DE-15), got " + (inv.buyerReference() == null ? "none" : "'" + inv.buyerReference() + "'"));
        }
        List<String> missing = new ArrayList<>();
        Party s = inv.seller();
        Party b = inv.buyer();
        require(missing, s.name(), "seller name (BT-27)");
        require(missing, s.city(), "seller city (BT-37, BR-DE-3)");
        require(missing, s.postalCode(), "seller post code (BT-38, BR-DE-4)");
        require(missing, s.countryCode(), "seller country (BT-40)");
        require(missing, s.electronicAddress(), "seller electronic address (BT-34)");
        require(missing, s.vatId(), "seller VAT identifier (BT-31, BR-S-02/BR-E-02)");
        require(missing, s.contactName(), "seller contact (BT-41, BR-DE-5)");
        require(missing, s.contactPhone(), "seller contact telephone (BT-42, BR-DE-6)");
        require(missing, s.contactEmail(), "seller contact e-mail (BT-43, BR-DE-7)");
        require(missing, b.name(), "buyer name (BT-44)");
        require(missing, b.city(), "buyer city (BT-52, BR-DE-8)");
        require(missing, b.postalCode(), "buyer post code (BT-53, BR-DE-9)");
        require(missing, b.countryCode(), "buyer country (BT-55)");
        require(missing, b.electronicAddress(), "buyer electronic address (BT-49)");
        if (inv.kind() == InvoiceKind.INVOICE) {
            PaymentInstructions p = inv.payment();
            if (p == null) {
                missing.add("payment instructions (BG-16, BR-DE-1)");
            } else {
                require(missing, p.iban(), "seller IBAN (BT-84, BR-DE-19)");
                if (p.dueDate() == null && (p.terms() == null || p.terms().isBlank())) {
                    missing.add("due date (BT-9) or payment terms (BT-20) (BR-CO-25)");
                }
            }
        }
        if (inv.lines().isEmpty()) {
            missing.add("at least one line (BG-25, BR-16)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(doc + ": XRechnung needs " + String.join(", ", missing));
        }
    }

    private static void require(List<String> missing, String value, String what) {
        if (value == null || value.isBlank()) {
            missing.add(what);
        }
    }

    private static void write(Invoice inv, OutputStream out) throws XMLStreamException {
        boolean credit = inv.kind() == InvoiceKind.CREDIT_NOTE;
        BigDecimal sign = credit && inv.net().isNegative() ? BigDecimal.ONE.negate() : BigDecimal.ONE;
        boolean standardRated = inv.vatRatePercent().signum() > 0;
        String category = standardRated ? "S" : "E";
        String percent = standardRated ? inv.vatRatePercent().stripTrailingZeros().toPlainString() : "0";
        LocalDate issue = inv.issueDate() != null ? inv.issueDate() : LocalDate.now(BillingPeriod.ZONE);
        PaymentInstructions pay = inv.payment();

        XmlOut x = new XmlOut(out);
        x.root(credit ? "cn" : "ubl", credit ? "CreditNote" : "Invoice",
                credit ? "cn" : "ubl", credit ? NS_CREDIT_NOTE : NS_INVOICE, CAC, NS_CAC, CBC, NS_CBC);
        x.leaf(CBC, "CustomizationID", CUSTOMIZATION_ID);
        x.leaf(CBC, "ProfileID", PROFILE_ID);
        x.leaf(CBC, "ID", inv.number() != null ? inv.number() : "ENTWURF-" + inv.id());
        x.leaf(CBC, "IssueDate", issue.toString());
        if (!credit && pay != null && pay.dueDate() != null) {
            x.leaf(CBC, "DueDate", pay.dueDate().toString());
        }
        x.leaf(CBC, credit ? "CreditNoteTypeCode" : "InvoiceTypeCode", inv.kind().typeCode());
        x.leaf(CBC, "DocumentCurrencyCode", EUR);
        x.leaf(CBC, "BuyerReference", inv.buyerReference());

        x.start(CAC, "InvoicePeriod");
        period(x, inv.period());
        x.end();
        if (inv.precedingInvoiceNumber() != null) {
            x.start(CAC, "BillingReference").start(CAC, "InvoiceDocumentReference");
            x.leaf(CBC, "ID", inv.precedingInvoiceNumber());
            x.end().end();
        }

        x.start(CAC, "AccountingSupplierParty");
        party(x, inv.seller(), true);
        x.end();
        x.start(CAC, "AccountingCustomerParty");
        party(x, inv.buyer(), false);
        x.end();

        x.start(CAC, "PaymentMeans");
        if (credit) {
            x.leaf(CBC, "PaymentMeansCode", "97", "name", "Verrechnung");
            if (pay != null && pay.dueDate() != null) {
                x.leaf(CBC, "PaymentDueDate", pay.dueDate().toString());
            }
        } else {
            x.leaf(CBC, "PaymentMeansCode", "58", "name", "SEPA-Überweisung");
            x.leaf(CBC, "PaymentID", inv.number());
            x.start(CAC, "PayeeFinancialAccount");
            x.leaf(CBC, "ID", pay.iban().replace(" ", ""));
            x.leaf(CBC, "Name", pay.accountName());
            if (pay.bic() != null && !pay.bic().isBlank()) {
                x.start(CAC, "FinancialInstitutionBranch");
                x.leaf(CBC, "ID", pay.bic());
                x.end();
            }
            x.end();
        }
        x.end();
        String terms = pay != null && pay.terms() != null && !pay.terms().isBlank() ? pay.terms()
                : credit ? "Die Gutschrift wird mit der nächsten Rechnung verrechnet." : null;
        if (terms != null) {
            x.start(CAC, "PaymentTerms");
            x.leaf(CBC, "Note", terms);
            x.end();
        }

        String net = Amounts.cents(inv.net(), "net").multiply(sign).toPlainString();
        String vat = Amounts.cents(inv.vat(), "VAT").multiply(sign).toPlainString();
        String gross = Amounts.cents(inv.gross(), "gross").multiply(sign).toPlainString();
        x.start(CAC, "TaxTotal");
        x.leaf(CBC, "TaxAmount", vat, "currencyID", EUR);
        x.start(CAC, "TaxSubtotal");
        x.leaf(CBC, "TaxableAmount", net, "currencyID", EUR);
        x.leaf(CBC, "TaxAmount", vat, "currencyID", EUR);
        x.start(CAC, "TaxCategory");
        x.leaf(CBC, "ID", category);
        x.leaf(CBC, "Percent", percent);
        if (!standardRated) {
            x.leaf(CBC, "TaxExemptionReason", EXEMPTION_REASON);
        }
        taxScheme(x);
        x.end().end().end();

        x.start(CAC, "LegalMonetaryTotal");
        x.leaf(CBC, "LineExtensionAmount", net, "currencyID", EUR);
        x.leaf(CBC, "TaxExclusiveAmount", net, "currencyID", EUR);
        x.leaf(CBC, "TaxInclusiveAmount", gross, "currencyID", EUR);
        x.leaf(CBC, "PayableAmount", gross, "currencyID", EUR);
        x.end();

        for (InvoiceLine line : inv.lines()) {
            line(x, line, sign, credit, category, percent);
        }
        x.finish();
    }

    private static void line(XmlOut x, InvoiceLine line, BigDecimal sign, boolean credit, String category,
            String percent) throws XMLStreamException {
        BigDecimal price = Amounts.unitPrice(line.unitPrice());
        BigDecimal quantity = line.quantity().multiply(sign);
        if (price.signum() < 0) {
            // BR-27: the item net price is never negative; the sign moves to the quantity
            price = price.negate();
            quantity = quantity.negate();
        }
        x.start(CAC, credit ? "CreditNoteLine" : "InvoiceLine");
        x.leaf(CBC, "ID", Integer.toString(line.position()));
        if (line.correctionOf() != null) {
            x.leaf(CBC, "Note", CORRECTION_NOTE + line.correctionOf());
        }
        x.leaf(CBC, credit ? "CreditedQuantity" : "InvoicedQuantity", quantity.stripTrailingZeros().toPlainString(),
                "unitCode", line.unit());
        x.leaf(CBC, "LineExtensionAmount",
                Amounts.cents(line.amount(), "line " + line.position() + " amount").multiply(sign).toPlainString(),
                "currencyID", EUR);
        x.start(CAC, "Item");
        x.leaf(CBC, "Name", line.description() != null && !line.description().isBlank() ? line.description()
                : line.service() + " " + line.resource());
        x.start(CAC, "SellersItemIdentification");
        x.leaf(CBC, "ID", line.service() + "/" + line.resource());
        x.end();
        x.start(CAC, "ClassifiedTaxCategory");
        x.leaf(CBC, "ID", category);
        x.leaf(CBC, "Percent", percent);
        taxScheme(x);
        x.end();
        x.end();
        x.start(CAC, "Price");
        x.leaf(CBC, "PriceAmount", price.toPlainString(), "currencyID", EUR);
        x.end();
        x.end();
    }

    private static void period(XmlOut x, BillingPeriod period) throws XMLStreamException {
        x.leaf(CBC, "StartDate", period.month().atDay(1).toString());
        x.leaf(CBC, "EndDate", period.month().atEndOfMonth().toString());
    }

    private static void party(XmlOut x, Party p, boolean seller) throws XMLStreamException {
        x.start(CAC, "Party");
        x.leaf(CBC, "EndpointID", p.electronicAddress(), "schemeID", "EM");
        x.start(CAC, "PostalAddress");
        x.leaf(CBC, "StreetName", p.line1());
        x.leaf(CBC, "AdditionalStreetName", p.line2());
        x.leaf(CBC, "CityName", p.city());
        x.leaf(CBC, "PostalZone", p.postalCode());
        x.start(CAC, "Country");
        x.leaf(CBC, "IdentificationCode", p.countryCode());
        x.end();
        x.end();
        if (p.vatId() != null && !p.vatId().isBlank()) {
            x.start(CAC, "PartyTaxScheme");
            x.leaf(CBC, "CompanyID", p.vatId());
            taxScheme(x);
            x.end();
        }
        x.start(CAC, "PartyLegalEntity");
        x.leaf(CBC, "RegistrationName", p.name());
        x.end();
        if (seller || p.contactName() != null || p.contactPhone() != null || p.contactEmail() != null) {
            x.start(CAC, "Contact");
            x.leaf(CBC, "Name", p.contactName());
            x.leaf(CBC, "Telephone", p.contactPhone());
            x.leaf(CBC, "ElectronicMail", p.contactEmail());
            x.end();
        }
        x.end();
    }

    private static void taxScheme(XmlOut x) throws XMLStreamException {
        x.start(CAC, "TaxScheme");
        x.leaf(CBC, "ID", "VAT");
        x.end();
    }
}

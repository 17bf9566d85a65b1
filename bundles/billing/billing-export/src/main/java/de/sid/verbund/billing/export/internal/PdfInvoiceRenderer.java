package de.sid.verbund.billing.export.internal;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceLine;
import de.sid.verbund.billing.InvoiceRenderer;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.billing.Party;
import de.sid.verbund.billing.PaymentInstructions;
import java.awt.Color;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.graphics.state.PDExtendedGraphicsState;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.apache.pdfbox.util.Matrix;
import org.osgi.service.component.annotations.Component;

/**
 * A billing document as a PDF for people (Apache PDFBox): A4, German labels, amounts as
 * {@code 1.234,56 €}; sender and recipient, document number, date, period, Leitweg-ID or cost
 * centre, every line (position, service, quantity, unit, unit price, amount; a correction line names
 * the month it corrects), net total, VAT, gross total, payment details (due date, IBAN, BIC, account,
 * reference), page numbers. A draft carries "ENTWURF" in its title and as a grey watermark on each
 * page. The text is set in Liberation Sans, the font PDFBox ships, embedded as a subset (so the PDF
 * looks the same everywhere and no system fonts are looked up); bold is drawn by stroking the glyph
 * outlines. Characters the font lacks are shown as {@code ?}.
 */
@Component(service = InvoiceRenderer.class, property = InvoiceRenderer.MEDIA_TYPE + "=" + PdfInvoiceRenderer.MEDIA)
public class PdfInvoiceRenderer implements InvoiceRenderer {
    static final String MEDIA = "application/pdf";
    /** The draft marker in the title and the watermark. */
    public static final String DRAFT = "ENTWURF";

    private static final float LEFT = 56;
    private static final float RIGHT = PDRectangle.A4.getWidth() - 48;
    private static final float TOP = PDRectangle.A4.getHeight() - 50;
    private static final float BOTTOM = 80;
    // table columns: left edges, or right edges for figures
    private static final float COL_POS = LEFT;
    private static final float COL_TEXT = LEFT + 26;
    private static final float TEXT_WIDTH = 215;
    private static final float COL_QTY_RIGHT = 358;
    private static final float COL_UNIT = 364;
    private static final float COL_PRICE_RIGHT = 475;
    private static final float COL_AMOUNT_RIGHT = RIGHT;
    /** The font PDFBox ships in its jar (SIL Open Font License). */
    private static final String FONT = "/org/apache/pdfbox/resources/ttf/LiberationSans-Regular.ttf";

    @Override
    public String mediaType() {
        return MEDIA;
    }

    /** Renders any document kind and state; drafts are marked {@value #DRAFT}. */
    @Override
    public void render(Invoice invoice, OutputStream out) throws IOException {
        try (PDDocument doc = new PDDocument()) {
            new Layout(doc, invoice).write();
            PDDocumentInformation info = doc.getDocumentInformation();
            info.setTitle(title(invoice));
            info.setAuthor(invoice.seller().name());
            doc.save(out);
        }
    }

    static String kindLabel(InvoiceKind kind) {
        return switch (kind) {
            case INVOICE -> "Rechnung";
            case COST_ALLOCATION -> "Kostenverrechnung";
            case CREDIT_NOTE -> "Rechnungskorrektur (Gutschrift)";
        };
    }

    static String title(Invoice inv) {
        String t = kindLabel(inv.kind()) + (inv.number() != null ? " " + inv.number() : "");
        return inv.state() == InvoiceState.DRAFT ? DRAFT + " – " + t : t;
    }

    private enum Style {
        REGULAR, BOLD
    }

    /** One document being laid out top to bottom, page after page. */
    private static final class Layout {
        private final PDDocument doc;
        private final Invoice inv;
        private final PDFont font;
        private final Style regular = Style.REGULAR;
        private final Style bold = Style.BOLD;
        private PDPageContentStream cs;
        private float y;

        Layout(PDDocument doc, Invoice inv) throws IOException {
            this.doc = doc;
            this.inv = inv;
            try (InputStream ttf = PDDocument.class.getResourceAsStream(FONT)) {
                if (ttf == null) {
                    throw new IOException("font " + FONT + " not found in the PDFBox bundle");
                }
                this.font = PDType0Font.load(doc, ttf);
            }
        }

        void write() throws IOException {
            newPage();
            header();
            tableHeader();
            for (InvoiceLine line : inv.lines()) {
                line(line);
            }
            totals();
            payment();
            cs.close();
            footers();
        }

        private void newPage() throws IOException {
            if (cs != null) {
                cs.close();
            }
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            cs = new PDPageContentStream(doc, page);
            if (inv.state() == InvoiceState.DRAFT) {
                watermark();
            }
            y = TOP;
        }

        private void watermark() throws IOException {
            PDExtendedGraphicsState faint = new PDExtendedGraphicsState();
            faint.setNonStrokingAlphaConstant(0.25f);
            cs.saveGraphicsState();
            cs.setGraphicsStateParameters(faint);
            cs.setNonStrokingColor(Color.GRAY);
            cs.beginText();
            cs.setFont(font, 110);
            cs.setTextMatrix(Matrix.getRotateInstance(Math.toRadians(50), 130, 220));
            cs.showText(DRAFT);
            cs.endText();
            cs.restoreGraphicsState();
        }

        private void header() throws IOException {
            Party s = inv.seller();
            Party b = inv.buyer();
            text(bold, 14, LEFT, y, s.name());
            y -= 14;
            text(regular, 8, LEFT, y, String.join(" · ", nonBlank(s.line1(), s.line2(), place(s))));
            y -= 40;
            float top = y;
            for (String l : nonBlank(b.name(), b.line1(), b.line2(), place(b))) {
                text(regular, 10, LEFT, y, l);
                y -= 13;
            }
            float ry = top;
            float labelX = 340;
            float valueX = 440;
            List<String[]> facts = new ArrayList<>();
            facts.add(new String[] {"Nummer", inv.number() != null ? inv.number() : "– (Entwurf)"});
            if (inv.issueDate() != null) {
                facts.add(new String[] {"Datum", German.date(inv.issueDate())});
            }
            facts.add(new String[] {"Leistungszeitraum", German.period(inv.period())});
            if (inv.kind() == InvoiceKind.COST_ALLOCATION) {
                facts.add(new String[] {"Kostenstelle", inv.costCentre()});
            } else {
                facts.add(new String[] {"Leitweg-ID", inv.buyerReference()});
                facts.add(new String[] {"Kostenstelle", inv.costCentre()});
            }
            if (inv.precedingInvoiceNumber() != null) {
                facts.add(new String[] {"Zur Rechnung", inv.precedingInvoiceNumber()});
            }
            if (b.vatId() != null && !b.vatId().isBlank()) {
                facts.add(new String[] {"USt-IdNr. Empfänger", b.vatId()});
            }
            for (String[] f : facts) {
                if (f[1] == null || f[1].isBlank()) {
                    continue;
                }
                text(regular, 9, labelX, ry, f[0] + ":");
                text(regular, 9, valueX, ry, f[1]);
                ry -= 12;
            }
            y = Math.min(y, ry) - 30;
            text(bold, 16, LEFT, y, title(inv));
            y -= 28;
        }

        private void tableHeader() throws IOException {
            text(bold, 9, COL_POS, y, "Pos.");
            text(bold, 9, COL_TEXT, y, "Leistung");
            right(bold, 9, COL_QTY_RIGHT, y, "Menge");
            text(bold, 9, COL_UNIT, y, "Einheit");
            right(bold, 9, COL_PRICE_RIGHT, y, "Einzelpreis");
            right(bold, 9, COL_AMOUNT_RIGHT, y, "Betrag");
            y -= 5;
            rule(y);
            y -= 12;
        }

        private void line(InvoiceLine line) throws IOException {
            List<String> text = wrap(regular, 9, line.description() != null && !line.description().isBlank()
                    ? line.description() : line.service() + " " + line.resource(), TEXT_WIDTH);
            text.add(line.service() + " / " + line.resource());
            if (line.correctionOf() != null) {
                text.add("Korrektur für " + German.month(line.correctionOf()));
            }
            float height = text.size() * 11 + 4;
            if (y - height < BOTTOM) {
                newPage();
                tableHeader();
            }
            text(regular, 9, COL_POS, y, Integer.toString(line.position()));
            right(regular, 9, COL_QTY_RIGHT, y, German.quantity(line.quantity()));
            text(regular, 9, COL_UNIT, y, German.unit(line.unit()));
            right(regular, 9, COL_PRICE_RIGHT, y, German.unitPrice(line.unitPrice()));
            right(regular, 9, COL_AMOUNT_RIGHT, y, German.money(line.amount()));
            for (int i = 0; i < text.size(); i++) {
                boolean detail = i >= text.size() - (line.correctionOf() != null ? 2 : 1);
                text(regular, detail ? 7.5f : 9, COL_TEXT, y, text.get(i));
                y -= 11;
            }
            y -= 4;
        }

        private void totals() throws IOException {
            if (y - 70 < BOTTOM) {
                newPage();
            }
            rule(y + 6);
            y -= 8;
            float labelX = 330;
            total(regular, labelX, "Summe netto", German.money(inv.net()));
            boolean vat = inv.vatRatePercent().signum() > 0;
            total(regular, labelX, "Umsatzsteuer " + German.percent(inv.vatRatePercent()), German.money(inv.vat()));
            y -= 2;
            total(bold, labelX, inv.kind() == InvoiceKind.CREDIT_NOTE ? "Gutschriftsbetrag" : "Gesamtbetrag",
                    German.money(inv.gross()));
            if (!vat && inv.kind() != InvoiceKind.COST_ALLOCATION) {
                y -= 4;
                for (String l : wrap(regular, 8, XRechnungRenderer.EXEMPTION_REASON + ".", RIGHT - LEFT)) {
                    text(regular, 8, LEFT, y, l);
                    y -= 10;
                }
            }
            if (inv.kind() == InvoiceKind.COST_ALLOCATION) {
                y -= 4;
                text(regular, 8, LEFT, y, "Interne Leistungsverrechnung ohne Umsatzsteuer; keine Zahlung, "
                        + "Buchung auf Kostenstelle " + inv.costCentre() + ".");
                y -= 10;
            }
            y -= 14;
        }

        private void total(Style font, float labelX, String label, String value) throws IOException {
            text(font, 10, labelX, y, label);
            right(font, 10, COL_AMOUNT_RIGHT, y, value);
            y -= 14;
        }

        private void payment() throws IOException {
            PaymentInstructions p = inv.payment();
            List<String> lines = new ArrayList<>();
            if (inv.kind() == InvoiceKind.CREDIT_NOTE && p == null) {
                lines.add("Die Gutschrift wird mit der nächsten Rechnung verrechnet.");
            }
            if (p != null) {
                if (p.dueDate() != null) {
                    lines.add("Bitte überweisen Sie " + German.money(inv.gross()) + " bis zum "
                            + German.date(p.dueDate()) + ".");
                }
                if (p.terms() != null && !p.terms().isBlank()) {
                    lines.add(p.terms());
                }
                lines.add("Bankverbindung: IBAN " + p.iban()
                        + (p.bic() != null && !p.bic().isBlank() ? ", BIC " + p.bic() : "")
                        + (p.accountName() != null && !p.accountName().isBlank() ? ", Kontoinhaber " + p.accountName() : ""));
                if (inv.number() != null) {
                    lines.add("Verwendungszweck: " + inv.number());
                }
            }
            if (lines.isEmpty()) {
                return;
            }
            if (y - lines.size() * 12 - 14 < BOTTOM) {
                newPage();
            }
            text(bold, 10, LEFT, y, "Zahlung");
            y -= 13;
            for (String l : lines) {
                for (String w : wrap(regular, 9, l, RIGHT - LEFT)) {
                    text(regular, 9, LEFT, y, w);
                    y -= 12;
                }
            }
        }

        private void footers() throws IOException {
            Party s = inv.seller();
            String first = String.join(" · ", nonBlank(s.name(),
                    s.vatId() == null || s.vatId().isBlank() ? null : "USt-IdNr. " + s.vatId()));
            String second = String.join(" · ", nonBlank(s.contactName(), s.contactPhone(), s.contactEmail()));
            int pages = doc.getNumberOfPages();
            for (int i = 0; i < pages; i++) {
                try (PDPageContentStream f = new PDPageContentStream(doc, doc.getPage(i),
                        PDPageContentStream.AppendMode.APPEND, true, true)) {
                    cs = f;
                    rule(52);
                    text(regular, 7.5f, LEFT, 42, first);
                    text(regular, 7.5f, LEFT, 32, second);
                    right(regular, 7.5f, RIGHT, 42, "Seite " + (i + 1) + " von " + pages);
                }
            }
        }

        private void rule(float at) throws IOException {
            cs.setLineWidth(0.5f);
            cs.moveTo(LEFT, at);
            cs.lineTo(RIGHT, at);
            cs.stroke();
        }

        private void text(Style style, float size, float x, float at, String s) throws IOException {
            cs.beginText();
            cs.setFont(font, size);
            if (style == Style.BOLD) {
                cs.setRenderingMode(RenderingMode.FILL_STROKE);
                cs.setLineWidth(size / 30);
            }
            cs.newLineAtOffset(x, at);
            cs.showText(encodable(font, s));
            cs.endText();
            if (style == Style.BOLD) {
                cs.setRenderingMode(RenderingMode.FILL);
            }
        }

        private void right(Style style, float size, float rightEdge, float at, String s) throws IOException {
            String t = encodable(font, s);
            text(style, size, rightEdge - width(size, t), at, t);
        }

        private float width(float size, String s) throws IOException {
            return font.getStringWidth(s) / 1000 * size;
        }

        /** Greedy word wrap to {@code max} points. */
        private List<String> wrap(Style style, float size, String s, float max) throws IOException {
            List<String> out = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            for (String word : encodable(font, s).split(" ")) {
                String next = cur.isEmpty() ? word : cur + " " + word;
                if (width(size, next) > max && !cur.isEmpty()) {
                    out.add(cur.toString());
                    cur = new StringBuilder(word);
                } else {
                    cur = new StringBuilder(next);
                }
            }
            out.add(cur.toString());
            return out;
        }

        /** The text with every character the font lacks (and line breaks, tabs) replaced by {@code ?}. */
        private static String encodable(PDFont font, String s) {
            StringBuilder b = new StringBuilder(s.length());
            s.codePoints().forEach(cp -> {
                String c = new String(Character.toChars(cp));
                try {
                    if (Character.isISOControl(cp)) {
                        b.append('?');
                    } else {
                        font.encode(c); // refuses a character without glyph
                        b.append(c);
                    }
                } catch (IOException | IllegalArgumentException e) {
                    b.append('?');
                }
            });
            return b.toString();
        }

        /** @return e.g. {@code 01129 Dresden}, without the parts that are missing */
        private static String place(Party p) {
            return String.join(" ", nonBlank(p.postalCode(), p.city()));
        }

        private static List<String> nonBlank(String... parts) {
            List<String> out = new ArrayList<>();
            for (String p : parts) {
                if (p != null && !p.isBlank()) {
                    out.add(p);
                }
            }
            return out;
        }
    }
}

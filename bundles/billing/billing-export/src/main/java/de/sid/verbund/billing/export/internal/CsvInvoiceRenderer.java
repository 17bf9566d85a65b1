package de.sid.verbund.billing.export.internal;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceLine;
import de.sid.verbund.billing.InvoiceRenderer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.osgi.service.component.annotations.Component;

/**
 * A billing document as CSV for the finance system: RFC 4180 (comma separated, fields quoted where
 * needed, CRLF line ends), UTF-8 without byte-order mark, a header row, then one row per invoice
 * line in position order. Numbers use a decimal point and no grouping; empty fields stand for
 * absent values. The columns, in order:
 *
 * <ol>
 * <li>{@code document_number} – invoice number (BT-1), empty while the document is a draft</li>
 * <li>{@code document_type} – {@code INVOICE}, {@code COST_ALLOCATION} or {@code CREDIT_NOTE}</li>
 * <li>{@code period} – billing period {@code yyyy-MM} (Europe/Berlin month)</li>
 * <li>{@code authority} – the buyer authority's id (tenant id)</li>
 * <li>{@code cost_centre} – the authority's cost centre</li>
 * <li>{@code buyer_reference} – Leitweg-ID (BT-10), or the cost centre for a cost allocation</li>
 * <li>{@code position} – line number, 1, 2, …</li>
 * <li>{@code service} – e.g. {@code compute}</li>
 * <li>{@code resource} – e.g. {@code vm-m}, {@code vcpu}, {@code disk}</li>
 * <li>{@code description} – human text of the line</li>
 * <li>{@code quantity} – in {@code unit}, as rated (unrounded)</li>
 * <li>{@code unit} – UN/ECE Recommendation 20 code: {@code HUR}, {@code MON}, {@code C62}</li>
 * <li>{@code unit_price} – EUR per unit, 4 decimals</li>
 * <li>{@code amount} – EUR, 2 decimals (rounded HALF_UP per line); negative on a lowering correction</li>
 * <li>{@code correction_of} – {@code yyyy-MM} of the earlier period a correction line refers to, else empty</li>
 * <li>{@code price_sheet_id} – the price sheet the unit price comes from</li>
 * </ol>
 */
@Component(service = InvoiceRenderer.class, property = InvoiceRenderer.MEDIA_TYPE + "=" + CsvInvoiceRenderer.MEDIA)
public class CsvInvoiceRenderer implements InvoiceRenderer {
    static final String MEDIA = "text/csv";

    /** The header row, in column order (see the class documentation). */
    static final String[] COLUMNS = {"document_number", "document_type", "period", "authority", "cost_centre",
            "buyer_reference", "position", "service", "resource", "description", "quantity", "unit", "unit_price",
            "amount", "correction_of", "price_sheet_id"};

    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder().setHeader(COLUMNS).get();

    @Override
    public String mediaType() {
        return MEDIA;
    }

    /** Writes the header and one row per line; drafts are written like final documents, without a number. */
    @Override
    public void render(Invoice invoice, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(writer, FORMAT);
        for (InvoiceLine line : invoice.lines()) {
            csv.printRecord(
                    text(invoice.number()),
                    invoice.kind().name(),
                    invoice.period().toString(),
                    invoice.authorityId(),
                    text(invoice.costCentre()),
                    text(invoice.buyerReference()),
                    line.position(),
                    line.service(),
                    line.resource(),
                    text(line.description()),
                    line.quantity().toPlainString(),
                    line.unit(),
                    Amounts.unitPrice(line.unitPrice()).toPlainString(),
                    Amounts.cents(line.amount(), "line " + line.position() + " amount").toPlainString(),
                    line.correctionOf() == null ? "" : line.correctionOf().toString(),
                    text(line.priceSheetId()));
        }
        // flush, never close: the caller owns the stream
        csv.flush();
    }

    private static String text(String s) {
        return Objects.toString(s, "");
    }
}

package de.sid.verbund.billing.command.internal;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceLine;
import de.sid.verbund.billing.InvoiceRenderer;
import de.sid.verbund.billing.InvoiceService;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code verbund:invoice-show 2026-000042}: a document's header and lines; with {@code --format csv|xml}
 * its CSV or XRechnung on the console, with {@code --output FILE} any format (also {@code pdf}) to a file.
 */
@Service
@Command(scope = "verbund", name = "invoice-show", description = "Shows a billing document, or writes it as CSV, XRechnung or PDF")
public class InvoiceShowCommand implements Action {
    private static final Pattern NUMBER = Pattern.compile("\\d{4}-\\d{6}");

    @Reference
    InvoiceService invoices;

    @Reference(optional = true)
    List<InvoiceRenderer> renderers;

    @Argument(index = 0, name = "number", required = true, description = "The document number (e.g. 2026-000042), or a draft's id")
    String key;

    @Option(name = "--format", description = "csv, xml (XRechnung) or pdf (pdf needs --output)")
    String format;

    @Option(name = "--output", description = "Write the formatted document to this file")
    String output;

    @Override
    public Object execute() throws IOException {
        Invoice inv = (NUMBER.matcher(key).matches() ? invoices.findByNumber(key) : invoices.find(key))
                .orElseThrow(() -> new IllegalArgumentException("no document " + key));
        if (format == null && output == null) {
            print(inv);
            return null;
        }
        String type = mediaType(format == null ? extension(output) : format);
        InvoiceRenderer renderer = (renderers == null ? List.<InvoiceRenderer>of() : renderers).stream()
                .filter(r -> r.mediaType().equals(type)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no renderer for " + type + " is installed"));
        if (output != null) {
            try (OutputStream out = Files.newOutputStream(Path.of(output))) {
                renderer.render(inv, out);
            }
            System.out.println("Wrote " + type + " of " + label(inv) + " to " + output);
        } else if (type.equals("application/pdf")) {
            throw new IllegalArgumentException("a PDF goes to a file: add --output FILE");
        } else {
            renderer.render(inv, System.out);
            System.out.flush();
        }
        return null;
    }

    private static void print(Invoice i) {
        System.out.println(label(i) + " · " + i.state() + " · period " + i.period() + " · authority " + i.authorityId());
        System.out.println("Buyer: " + i.buyer().name() + " · reference " + i.buyerReference() + " · cost centre "
                + i.costCentre() + (i.issueDate() == null ? "" : " · issued " + i.issueDate())
                + (i.precedingInvoiceNumber() == null ? "" : " · corrects " + i.precedingInvoiceNumber()));
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Pos", "Service", "Resource", "Description", "Quantity", "Unit", "Unit price", "Amount",
            "Corrects"}) {
            t.column(c);
        }
        for (InvoiceLine l : i.lines()) {
            t.addRow().addContent(l.position(), l.service(), l.resource(), l.description(), l.quantity().toPlainString(),
                    l.unit(), l.unitPrice().amount().toPlainString(), l.amount().amount().toPlainString(),
                    l.correctionOf() == null ? "" : l.correctionOf());
        }
        t.print(System.out);
        System.out.println("Net " + i.net().amount().toPlainString() + " EUR · VAT " + i.vatRatePercent().toPlainString()
                + " % " + i.vat().amount().toPlainString() + " EUR · gross " + i.gross().amount().toPlainString() + " EUR");
    }

    private static String label(Invoice i) {
        return i.kind() + " " + (i.number() == null ? "(draft " + i.id() + ")" : i.number());
    }

    private static String extension(String file) {
        int dot = file.lastIndexOf('.');
        return dot < 0 ? "" : file.substring(dot + 1);
    }

    /** @throws IllegalArgumentException for a format other than csv, xml, pdf */
    static String mediaType(String format) {
        return switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "csv" -> "text/csv";
            case "xml", "xrechnung", "ubl" -> "application/xml";
            case "pdf" -> "application/pdf";
            default -> throw new IllegalArgumentException("format must be csv, xml or pdf, was '" + format + "'");
        };
    }
}

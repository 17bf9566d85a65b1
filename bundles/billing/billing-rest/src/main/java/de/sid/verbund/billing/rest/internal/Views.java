package de.sid.verbund.billing.rest.internal;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceLine;
import de.sid.verbund.billing.InvoiceRun;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.billing.Party;
import de.sid.verbund.billing.PaymentInstructions;
import de.sid.verbund.billing.Price;
import de.sid.verbund.billing.PriceSheet;
import de.sid.verbund.core.Money;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The JSON shapes of the billing API: money as decimal EUR amounts ({@code "1234.50"} as a JSON
 * number with its scale), periods as {@code yyyy-MM}.
 */
final class Views {
    private Views() {
    }

    static BigDecimal eur(Money m) {
        return m == null ? null : m.amount();
    }

    /** A billing document (invoice, cost allocation or credit note). */
    record InvoiceView(String id, String number, InvoiceKind kind, InvoiceState state, String authorityId, String period,
            LocalDate issueDate, Party seller, Party buyer, String buyerReference, String costCentre,
            String precedingInvoiceNumber, List<LineView> lines, BigDecimal net, BigDecimal vatRatePercent,
            BigDecimal vat, BigDecimal gross, String currency, PaymentInstructions payment, Instant createdAt,
            Instant finalizedAt) {
        static InvoiceView of(Invoice i) {
            return new InvoiceView(i.id(), i.number(), i.kind(), i.state(), i.authorityId(), i.period().toString(),
                    i.issueDate(), i.seller(), i.buyer(), i.buyerReference(), i.costCentre(), i.precedingInvoiceNumber(),
                    i.lines().stream().map(LineView::of).toList(), eur(i.net()), i.vatRatePercent(), eur(i.vat()),
                    eur(i.gross()), Money.CURRENCY, i.payment(), i.createdAt(), i.finalizedAt());
        }
    }

    /** One line of a document. */
    record LineView(int position, String service, String resource, String description, BigDecimal quantity, String unit,
            BigDecimal unitPrice, BigDecimal amount, String correctionOf, String priceSheetId) {
        static LineView of(InvoiceLine l) {
            return new LineView(l.position(), l.service(), l.resource(), l.description(), l.quantity(), l.unit(),
                    eur(l.unitPrice()), eur(l.amount()), l.correctionOf() == null ? null : l.correctionOf().toString(),
                    l.priceSheetId());
        }
    }

    /** What a rating run did. */
    record RunView(String period, Instant startedAt, Instant finishedAt, List<String> drafts, int finalUnchanged) {
        static RunView of(InvoiceRun r) {
            return new RunView(r.period().toString(), r.startedAt(), r.finishedAt(), r.drafts(), r.finalUnchanged());
        }
    }

    /** A version of a price sheet. */
    record PriceSheetView(String id, String sheetId, int version, String name, Instant validFrom, Instant validTo,
            List<PriceView> prices, String supersededBy, Instant createdAt) {
        static PriceSheetView of(PriceSheet s) {
            return new PriceSheetView(s.id(), s.sheetId(), s.version(), s.name(), s.validFrom(), s.validTo(),
                    s.prices().stream().map(PriceView::of).toList(), s.supersededBy(), s.createdAt());
        }
    }

    /** One price: metric (e.g. {@code VM_HOUR}), qualifier (e.g. {@code vm-m}), EUR per unit, the unit code. */
    record PriceView(String metric, String qualifier, BigDecimal unitPrice, String unit) {
        static PriceView of(Price p) {
            return new PriceView(p.metric().name(), p.qualifier(), eur(p.unitPrice()), p.metric().unitCode());
        }
    }
}

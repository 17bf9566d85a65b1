package de.sid.verbund.billing.core.internal;

import de.sid.verbund.billing.CreditLine;
import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceFilter;
import de.sid.verbund.billing.InvoiceRun;
import de.sid.verbund.billing.InvoiceService;
import de.sid.verbund.billing.UsageRecord;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Page;
import java.util.List;
import java.util.Optional;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** The {@link InvoiceService} of the billing core ({@link BillingComponent}); 503 until it is ready. */
@Component(service = InvoiceService.class)
public class InvoicesComponent implements InvoiceService {
    private final BillingComponent core;

    @Activate
    public InvoicesComponent(@Reference BillingComponent core) {
        this.core = core;
    }

    @Override
    public InvoiceRun run(BillingPeriod period) {
        return core.billing().invoices.run(period);
    }

    @Override
    public Page<Invoice> list(InvoiceFilter filter, int limit, String cursor) {
        return core.billing().invoices.list(filter, limit, cursor);
    }

    @Override
    public Optional<Invoice> find(String id) {
        return core.billing().invoices.find(id);
    }

    @Override
    public Optional<Invoice> findByNumber(String number) {
        return core.billing().invoices.findByNumber(number);
    }

    @Override
    public Invoice finalizeInvoice(String id) {
        return core.billing().invoices.finalizeInvoice(id);
    }

    @Override
    public Invoice rerate(String id) {
        return core.billing().invoices.rerate(id);
    }

    @Override
    public Invoice creditNote(String invoiceNumber, String reason, List<CreditLine> lines) {
        return core.billing().invoices.creditNote(invoiceNumber, reason, lines);
    }

    @Override
    public Page<UsageRecord> lineUsage(String invoiceId, int position, int limit, String cursor) {
        return core.billing().invoices.lineUsage(invoiceId, position, limit, cursor);
    }

    @Override
    public List<BillingPeriod> closedPeriods() {
        return core.billing().invoices.closedPeriods();
    }
}

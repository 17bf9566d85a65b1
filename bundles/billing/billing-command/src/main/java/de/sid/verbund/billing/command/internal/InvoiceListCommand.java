package de.sid.verbund.billing.command.internal;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceFilter;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceService;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Page;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:invoice-list}: billing documents, newest period first. */
@Service
@Command(scope = "verbund", name = "invoice-list", description = "Lists invoices, cost allocations and credit notes")
public class InvoiceListCommand implements Action {
    @Reference
    InvoiceService invoices;

    @Option(name = "--period", description = "Only this month, yyyy-MM")
    String period;

    @Option(name = "--authority", description = "Only this authority's documents (id)")
    String authority;

    @Option(name = "--kind", description = "INVOICE, COST_ALLOCATION or CREDIT_NOTE")
    InvoiceKind kind;

    @Option(name = "--state", description = "DRAFT or FINAL")
    InvoiceState state;

    @Option(name = "--limit", description = "At most this many (default 100)")
    int limit = 100;

    @Override
    public Object execute() {
        Page<Invoice> page = invoices.list(new InvoiceFilter(authority, period == null ? null : BillingPeriod.parse(period),
                kind, state), Math.min(Math.max(limit, 1), Page.MAX_LIMIT), null);
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Number", "Kind", "State", "Period", "Authority", "Buyer"}) {
            t.column(c);
        }
        for (String c : new String[] {"Net", "VAT", "Gross"}) {
            t.column(c).alignRight();
        }
        t.column("Id");
        for (Invoice i : page.items()) {
            t.addRow().addContent(i.number() == null ? "-" : i.number(), i.kind(), i.state(), i.period(), i.authorityId(),
                    i.buyer().name(), i.net().amount().toPlainString(), i.vat().amount().toPlainString(),
                    i.gross().amount().toPlainString(), i.id());
        }
        t.print(System.out);
        return null;
    }
}

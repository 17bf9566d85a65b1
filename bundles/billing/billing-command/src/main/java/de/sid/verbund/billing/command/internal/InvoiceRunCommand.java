package de.sid.verbund.billing.command.internal;

import de.sid.verbund.billing.InvoiceRun;
import de.sid.verbund.billing.InvoiceService;
import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.core.BillingPeriod;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:invoice-run 2026-11}: rates a period now (drafts; finals stay as they are). */
@Service
@Command(scope = "verbund", name = "invoice-run", description = "Rates a billing period now: one draft per authority")
public class InvoiceRunCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    InvoiceService invoices;

    @Argument(index = 0, name = "period", required = true, description = "The month, yyyy-MM, e.g. 2026-11")
    String period;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:invoice-run");
        InvoiceRun run = invoices.run(BillingPeriod.parse(period));
        System.out.println("Period " + run.period() + " rated: " + run.drafts().size() + " draft(s) created or re-rated, "
                + run.finalUnchanged() + " authorit" + (run.finalUnchanged() == 1 ? "y" : "ies")
                + " already final and left unchanged");
        return null;
    }
}

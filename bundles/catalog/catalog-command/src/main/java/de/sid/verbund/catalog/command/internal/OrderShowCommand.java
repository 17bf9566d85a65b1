package de.sid.verbund.catalog.command.internal;

import de.sid.verbund.catalog.Approval;
import de.sid.verbund.catalog.CatalogService;
import de.sid.verbund.catalog.Order;
import de.sid.verbund.catalog.OrderTransition;
import de.sid.verbund.core.ProblemException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:order-show ID}: an order with its approvals and every transition. */
@Service
@Command(scope = "verbund", name = "order-show", description = "Shows an order and its history")
public class OrderShowCommand implements Action {
    @Reference
    CatalogService catalog;

    @Argument(index = 0, name = "id", required = true, description = "Order id (verbund:order-list shows them)")
    String id;

    @Override
    public Object execute() {
        Order o = catalog.order(id).orElseThrow(() -> ProblemException.notFound("no order " + id));
        System.out.println("Order      " + o.id() + " (" + o.kind() + ")");
        System.out.println("State      " + o.state() + (o.reason() == null ? "" : ": " + o.reason()));
        System.out.println("Tenant     " + o.tenantId());
        if (o.offered() != null) {
            System.out.println("Offering   " + o.offered().code() + " v" + o.offered().version() + " (" + o.offered().sizing().vcpu()
                    + " vCPU, " + o.offered().sizing().ramMib() + " MiB, " + o.offered().sizing().diskGib() + " GiB) × "
                    + o.quantity() + " as " + o.name());
        } else {
            System.out.println("VMs        " + o.targetVmIds());
        }
        System.out.println("Requested  " + o.requestedByName() + " at " + o.createdAt());
        System.out.println("Approvals  " + o.approvals().size() + " of " + o.approvalsNeeded() + ": "
                + o.approvals().stream().map(Approval::username).toList());
        if (!o.vmIds().isEmpty()) {
            System.out.println("VMs made   " + o.vmIds());
        }
        ShellTable t = new ShellTable();
        for (String c : new String[] {"At", "From", "To", "By", "Detail"}) {
            t.column(c);
        }
        for (OrderTransition tr : catalog.transitions(o.id())) {
            t.addRow().addContent(tr.at(), tr.from() == null ? "" : tr.from(), tr.to(), tr.actor(), tr.detail());
        }
        t.print(System.out);
        return null;
    }
}

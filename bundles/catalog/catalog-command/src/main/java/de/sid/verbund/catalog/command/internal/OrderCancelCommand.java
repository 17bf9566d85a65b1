package de.sid.verbund.catalog.command.internal;

import de.sid.verbund.catalog.CatalogService;
import de.sid.verbund.catalog.Order;
import de.sid.verbund.cluster.ClusterService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code verbund:order-cancel ID}: cancels a SUBMITTED or APPROVED order (SID staff at the console
 * may cancel anyone's); its quota is released. A provisioning or finished order is refused.
 */
@Service
@Command(scope = "verbund", name = "order-cancel", description = "Cancels an order that is not yet provisioning")
public class OrderCancelCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    CatalogService catalog;

    @Reference
    Session session;

    @Argument(index = 0, name = "id", required = true, description = "Order id")
    String id;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:order-cancel");
        Order o = catalog.cancel(id, ShellActor.of(session), true);
        System.out.println("order " + o.id() + " is " + o.state());
        return null;
    }
}

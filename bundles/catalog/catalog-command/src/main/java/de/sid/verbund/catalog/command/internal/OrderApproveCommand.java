package de.sid.verbund.catalog.command.internal;

import de.sid.verbund.catalog.CatalogService;
import de.sid.verbund.catalog.Order;
import de.sid.verbund.cluster.ClusterService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code verbund:order-approve [--comment TEXT] ID}: gives the SID operator's approval, as
 * {@code shell:<console user>} (SID staff: the second step of a two-step order; an order still
 * waiting for its authority's admin is refused).
 */
@Service
@Command(scope = "verbund", name = "order-approve", description = "Approves an order as SID operations")
public class OrderApproveCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    CatalogService catalog;

    @Reference
    Session session;

    @Option(name = "--comment", description = "A comment stored with the approval")
    String comment;

    @Argument(index = 0, name = "id", required = true, description = "Order id")
    String id;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:order-approve");
        Order o = catalog.approve(id, ShellActor.of(session), comment);
        System.out.println("order " + o.id() + " is " + o.state() + (o.reason() == null ? "" : ": " + o.reason()));
        return null;
    }
}

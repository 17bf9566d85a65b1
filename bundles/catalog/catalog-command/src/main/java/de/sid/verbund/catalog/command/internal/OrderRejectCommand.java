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

/** {@code verbund:order-reject --reason TEXT ID}: rejects a SUBMITTED order; its quota is released. */
@Service
@Command(scope = "verbund", name = "order-reject", description = "Rejects a submitted order")
public class OrderRejectCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    CatalogService catalog;

    @Reference
    Session session;

    @Option(name = "--reason", required = true, description = "Why, shown to the requester")
    String reason;

    @Argument(index = 0, name = "id", required = true, description = "Order id")
    String id;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:order-reject");
        Order o = catalog.reject(id, ShellActor.of(session), reason);
        System.out.println("order " + o.id() + " is " + o.state() + ": " + o.reason());
        return null;
    }
}

package de.sid.verbund.catalog.command.internal;

import de.sid.verbund.catalog.CatalogService;
import de.sid.verbund.catalog.Order;
import de.sid.verbund.catalog.OrderFilter;
import de.sid.verbund.catalog.OrderState;
import de.sid.verbund.core.Page;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:order-list [--tenant ID] [--state S]}: orders, newest first. */
@Service
@Command(scope = "verbund", name = "order-list", description = "Lists orders, newest first")
public class OrderListCommand implements Action {
    @Reference
    CatalogService catalog;

    @Option(name = "--tenant", description = "Only this authority's orders (id)")
    String tenant;

    @Option(name = "--state", description = "Only orders in this state, e.g. SUBMITTED")
    OrderState state;

    @Option(name = "--limit", description = "At most this many (default 100)")
    int limit = 100;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Id", "State", "Kind", "Offering", "Qty", "Name", "Requested by", "Tenant", "Created"}) {
            t.column(c);
        }
        Page<Order> page = catalog.orders(new OrderFilter(tenant, state), Math.min(Math.max(limit, 1), Page.MAX_LIMIT), null);
        for (Order o : page.items()) {
            t.addRow().addContent(o.id(), o.state(), o.kind(), o.offered() == null ? "" : o.offered().code() + " v"
                    + o.offered().version(), o.quantity(), o.name() == null ? "" : o.name(), o.requestedByName(), o.tenantId(),
                    o.createdAt());
        }
        t.print(System.out);
        return null;
    }
}

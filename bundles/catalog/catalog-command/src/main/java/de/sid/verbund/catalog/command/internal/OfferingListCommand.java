package de.sid.verbund.catalog.command.internal;

import de.sid.verbund.catalog.CatalogService;
import de.sid.verbund.catalog.Offering;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:offering-list [--all]}: the catalogue's offerings, by code, with their current price. */
@Service
@Command(scope = "verbund", name = "offering-list", description = "Lists the catalogue's offerings")
public class OfferingListCommand implements Action {
    @Reference
    CatalogService catalog;

    @Option(name = "--all", description = "Retired offerings too")
    boolean all;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Code", "Version", "Name", "vCPU", "RAM MiB", "Disk GiB", "Image", "Approval", "Active",
                "EUR/month"}) {
            t.column(c);
        }
        for (Offering o : catalog.offerings(all)) {
            t.addRow().addContent(o.code(), o.version(), o.name(), o.sizing().vcpu(), o.sizing().ramMib(), o.sizing().diskGib(),
                    o.sizing().image() == null ? "" : o.sizing().image(), o.approval(), o.active() ? "yes" : "retired",
                    o.price() == null ? "" : o.price().perMonthEur().toPlainString());
        }
        t.print(System.out);
        return null;
    }
}

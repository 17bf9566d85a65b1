package de.sid.verbund.tenancy.command.internal;

import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityService;
import java.util.HashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:authority-list}: the authorities as a tree (indented names), parents first. */
@Service
@Command(scope = "verbund", name = "authority-list", description = "Lists the authorities (tenants) and their hierarchy")
public class AuthorityListCommand implements Action {
    @Reference
    AuthorityService authorities;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Name", "Kind", "Billing", "Leitweg-ID / cost centre", "Id"}) {
            t.column(c);
        }
        Map<String, Integer> depth = new HashMap<>();
        for (Authority a : authorities.list()) {
            int d = a.parentId() == null ? 0 : depth.getOrDefault(a.parentId(), 0) + 1;
            depth.put(a.id(), d);
            t.addRow().addContent("  ".repeat(d) + a.name(), a.kind(), a.billingMode() + (a.vatLiable() ? " +VAT" : ""),
                    a.leitwegId() != null ? a.leitwegId() : a.costCentre() == null ? "" : a.costCentre(), a.id());
        }
        t.print(System.out);
        return null;
    }
}

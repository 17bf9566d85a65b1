package de.sid.verbund.tenancy.command.internal;

import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.Quota;
import de.sid.verbund.tenancy.QuotaLedger;
import de.sid.verbund.tenancy.QuotaUsage;
import de.sid.verbund.tenancy.Resources;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code verbund:quota-show [authority]}: quota and reservations (the authority with everything
 * below it), of one authority or of all.
 */
@Service
@Command(scope = "verbund", name = "quota-show", description = "Shows quotas and what is reserved against them")
public class QuotaShowCommand implements Action {
    @Reference
    AuthorityService authorities;

    @Reference
    QuotaLedger ledger;

    @Argument(index = 0, name = "authority", description = "Authority id or name; all when left out")
    String key;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Authority", "vCPU", "RAM MiB", "Disk GiB", "VMs", "Id"}) {
            t.column(c);
        }
        for (Authority a : key == null ? authorities.list() : java.util.List.of(Authorities.find(authorities, key))) {
            QuotaUsage u = ledger.usage(a.id());
            Quota q = u.quota();
            Resources r = u.reserved();
            t.addRow().addContent(a.name(), of(r.vcpu(), q.vcpu()), of(r.ramMib(), q.ramMib()), of(r.diskGib(), q.diskGib()),
                    of(r.vms(), q.vms()), a.id());
        }
        t.print(System.out);
        return null;
    }

    private static String of(long reserved, Number limit) {
        return reserved + " / " + (limit == null ? "-" : limit);
    }

    static String limits(Quota q) {
        return "vCPU " + dash(q.vcpu()) + ", RAM " + dash(q.ramMib()) + " MiB, disk " + dash(q.diskGib()) + " GiB, VMs "
                + dash(q.vms());
    }

    private static String dash(Number n) {
        return n == null ? "-" : n.toString();
    }
}

package de.sid.verbund.compute.command.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.core.Page;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:vm-list}: VMs, newest first. */
@Service
@Command(scope = "verbund", name = "vm-list", description = "Lists virtual machines")
public class VmListCommand implements Action {
    @Reference
    ComputeService compute;

    @Option(name = "--tenant", description = "Only this authority's VMs (id)")
    String tenant;

    @Option(name = "--state", description = "Only VMs in this state")
    VmState state;

    @Option(name = "--limit", description = "At most this many (default 100)")
    int limit = 100;

    @Override
    public Object execute() {
        Map<String, String> hostNames = compute.hosts().stream().collect(Collectors.toMap(Host::id, Host::name));
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Name", "State", "Host", "vCPU", "RAM MiB", "Disk GiB", "Tenant", "Id"}) {
            t.column(c);
        }
        Page<Vm> page = compute.vms(new VmFilter(tenant, null, state), Math.min(Math.max(limit, 1), Page.MAX_LIMIT), null);
        for (Vm v : page.items()) {
            t.addRow().addContent(v.name(), v.state(), hostNames.getOrDefault(v.hostId(), v.hostId()), v.vcpu(), v.ramMib(),
                    v.diskGib(), v.tenantId(), v.id());
        }
        t.print(System.out);
        return null;
    }

}

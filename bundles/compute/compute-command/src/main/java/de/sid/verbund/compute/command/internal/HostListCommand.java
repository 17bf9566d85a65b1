package de.sid.verbund.compute.command.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:host-list}: hosts with capacity and state. */
@Service
@Command(scope = "verbund", name = "host-list", description = "Lists hypervisor hosts")
public class HostListCommand implements Action {
    @Reference
    ComputeService compute;

    @Override
    public Object execute() {
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Name", "State", "Site", "Cores", "RAM MiB", "Disk GiB", "vCPU cap", "RAM cap MiB", "URI", "Id"}) {
            t.column(c);
        }
        for (Host h : compute.hosts()) {
            t.addRow().addContent(h.name(), h.state(), h.site(), h.cpuCores(), h.ramMib(), h.diskGib(), h.vcpuCapacity(),
                    h.ramCapacityMib(), h.uri(), h.id());
        }
        t.print(System.out);
        return null;
    }
}

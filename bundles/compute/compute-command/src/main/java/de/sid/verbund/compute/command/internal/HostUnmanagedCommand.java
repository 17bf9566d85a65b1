package de.sid.verbund.compute.command.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.spi.DomainInfo;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:host-unmanaged <host>}: domains on a host that Verbund does not manage. */
@Service
@Command(scope = "verbund", name = "host-unmanaged", description = "Lists the domains on a host that Verbund does not "
        + "manage (defined outside it, or left over)")
public class HostUnmanagedCommand implements Action {
    @Reference
    ComputeService compute;

    @Argument(index = 0, name = "host", required = true, description = "Host name")
    @Completion(HostCompleter.class)
    String name;

    @Override
    public Object execute() {
        Host host = Hosts.find(compute, name);
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Name", "State", "vCPU", "RAM MiB", "UUID"}) {
            t.column(c);
        }
        for (DomainInfo d : compute.unmanagedDomains(host.id())) {
            t.addRow().addContent(d.name(), d.state(), d.vcpu(), d.ramMib(), d.uuid());
        }
        t.print(System.out);
        return null;
    }
}

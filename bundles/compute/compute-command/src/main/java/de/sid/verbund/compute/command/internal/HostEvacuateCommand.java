package de.sid.verbund.compute.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Evacuation;
import de.sid.verbund.compute.Host;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:host-evacuate <host>}: cold-migrates the stopped VMs of a host in maintenance. */
@Service
@Command(scope = "verbund", name = "host-evacuate", description = "Cold-migrates every stopped VM off a host in "
        + "maintenance and lists the VMs that need a decision")
public class HostEvacuateCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    ComputeService compute;

    @Argument(index = 0, name = "host", required = true, description = "Host name")
    @Completion(HostCompleter.class)
    String name;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:host-evacuate");
        Host host = Hosts.find(compute, name);
        Evacuation e = compute.evacuate(host.id());
        ShellTable t = new ShellTable();
        for (String c : new String[] {"VM", "Outcome", "Details", "Id"}) {
            t.column(c);
        }
        for (Evacuation.Migrated m : e.migrated()) {
            t.addRow().addContent(m.name(), "migrated", "to " + m.targetHostName(), m.vmId());
        }
        for (Evacuation.NotMoved n : e.notMoved()) {
            t.addRow().addContent(n.name(), "not moved", n.reason(), n.vmId());
        }
        for (Evacuation.NeedsDecision d : e.needsDecision()) {
            t.addRow().addContent(d.name(), "needs a decision", d.state() + ": stop it and evacuate again, or wait", d.vmId());
        }
        t.print(System.out);
        System.out.println("host " + e.hostName() + ": " + e.migrated().size() + " migrated, " + e.notMoved().size()
                + " not moved, " + e.needsDecision().size() + " need a decision");
        return null;
    }
}

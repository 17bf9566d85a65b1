package de.sid.verbund.compute.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Vm;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:vm-migrate <vm> [target-host]}: cold-migrates a stopped VM. */
@Service
@Command(scope = "verbund", name = "vm-migrate", description = "Cold-migrates a stopped VM to another host "
        + "(placement chooses when no host is given)")
public class VmMigrateCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    ComputeService compute;

    @Argument(index = 0, name = "vm", required = true, description = "VM id")
    String id;

    @Argument(index = 1, name = "target-host", description = "Host name; placement chooses when omitted")
    @Completion(HostCompleter.class)
    String target;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:vm-migrate");
        String from = compute.vm(id).map(v -> Hosts.name(compute, v.hostId())).orElse("?");
        Vm vm = compute.migrate(id, target == null ? null : Hosts.find(compute, target).id());
        System.out.println("VM " + vm.name() + " migrated from host " + from + " to host " + Hosts.name(compute, vm.hostId())
                + "; it is " + vm.state());
        return null;
    }
}

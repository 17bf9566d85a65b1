package de.sid.verbund.compute.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Vm;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:vm-stop <id>}. */
@Service
@Command(scope = "verbund", name = "vm-stop", description = "Stops a VM")
public class VmStopCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    ComputeService compute;

    @Argument(index = 0, name = "id", required = true, description = "VM id")
    String id;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:vm-stop");
        Vm vm = compute.stop(id);
        System.out.println("VM " + vm.name() + " is " + vm.state());
        return null;
    }
}

package de.sid.verbund.compute.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmRequest;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:vm-create <name> --tenant <id> --vcpu N --ram MiB --disk GiB}: places, defines and starts a VM. */
@Service
@Command(scope = "verbund", name = "vm-create", description = "Creates and starts a VM")
public class VmCreateCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    ComputeService compute;

    @Argument(index = 0, name = "name", required = true, description = "VM name")
    String name;

    @Option(name = "--tenant", required = true, description = "Owning authority (id)")
    String tenant;

    @Option(name = "--vcpu", description = "vCPUs (default 1)")
    int vcpu = 1;

    @Option(name = "--ram", description = "RAM in MiB (default 1024)")
    long ram = 1024;

    @Option(name = "--disk", description = "Disk in GiB (default 10)")
    int disk = 10;

    @Option(name = "--image", description = "Image volume to clone")
    String image;

    @Option(name = "--group", description = "Anti-affinity group")
    String group;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:vm-create");
        Vm vm = compute.createVm(new VmRequest(name, tenant, null, vcpu, ram, disk, image, group, null, null));
        System.out.println("VM " + vm.name() + " (" + vm.id() + ") is " + vm.state() + " on host " + vm.hostId());
        return null;
    }
}

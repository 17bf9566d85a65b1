package de.sid.verbund.compute.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.Vm;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:host-adopt <host> <domain-uuid> <tenant> [name]}: takes an unmanaged domain over as a VM. */
@Service
@Command(scope = "verbund", name = "host-adopt", description = "Adopts an unmanaged domain as a VM of an authority, "
        + "if it fits the host's free capacity")
public class HostAdoptCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    ComputeService compute;

    @Argument(index = 0, name = "host", required = true, description = "Host name")
    @Completion(HostCompleter.class)
    String name;

    @Argument(index = 1, name = "domain-uuid", required = true, description = "UUID of the domain (see host-unmanaged)")
    String uuid;

    @Argument(index = 2, name = "tenant", required = true, description = "Owning authority (id)")
    String tenant;

    @Argument(index = 3, name = "name", description = "VM name; default: the domain's name in lower case")
    String vmName;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:host-adopt");
        Host host = Hosts.find(compute, name);
        Vm vm = compute.adoptDomain(host.id(), uuid, tenant, vmName);
        System.out.println("adopted domain " + uuid + " on host " + host.name() + " as VM " + vm.name() + " (" + vm.state()
                + ", " + vm.vcpu() + " vCPU, " + vm.ramMib() + " MiB)");
        return null;
    }
}

package de.sid.verbund.compute.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:host-maintenance <name> [--off]}: takes a host out of placement, or back. */
@Service
@Command(scope = "verbund", name = "host-maintenance", description = "Puts a host into maintenance (no new VMs), or back with --off")
public class HostMaintenanceCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    ComputeService compute;

    @Argument(index = 0, name = "host", required = true, description = "Host name")
    String name;

    @Option(name = "--off", description = "End maintenance")
    boolean off;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:host-maintenance");
        Host h = compute.hosts().stream().filter(x -> x.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no host named " + name));
        Host now = compute.setMaintenance(h.id(), !off);
        System.out.println("host " + now.name() + " is " + now.state());
        return null;
    }
}

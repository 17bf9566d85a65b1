package de.sid.verbund.compute.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.NewHost;
import java.math.BigDecimal;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:host-add <name> <uri> <site>}: registers a host. */
@Service
@Command(scope = "verbund", name = "host-add", description = "Registers a hypervisor host")
public class HostAddCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    ComputeService compute;

    @Argument(index = 0, name = "name", required = true, description = "Host name, e.g. kvm-3")
    String name;

    @Argument(index = 1, name = "uri", required = true, description = "libvirt URI, e.g. qemu+ssh://kvm-3/system")
    String uri;

    @Argument(index = 2, name = "site", required = true, description = "Data centre")
    String site;

    @Option(name = "--cpu-overcommit", description = "vCPUs per core (default 4.0)")
    BigDecimal cpuOvercommit;

    @Option(name = "--ram-overcommit", description = "RAM factor (default 1.0)")
    BigDecimal ramOvercommit;

    @Option(name = "--ram-reserve", description = "RAM kept for the host, MiB (default 2048)")
    Long ramReserve;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:host-add");
        Host h = compute.registerHost(new NewHost(name, uri, site, cpuOvercommit, ramOvercommit, ramReserve));
        System.out.println("registered host " + h.name() + " (" + h.id() + "); connecting in the background");
        return null;
    }
}

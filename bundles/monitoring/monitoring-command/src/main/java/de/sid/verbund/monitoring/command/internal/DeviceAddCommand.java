package de.sid.verbund.monitoring.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.NewDevice;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:device-add <name> <address> <site> <kind> --credential <name>}: registers a device. */
@Service
@Command(scope = "verbund", name = "device-add", description = "Registers an SNMP device")
public class DeviceAddCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    DeviceInventory inventory;

    /** To check profiles set by hand; optional (absent without the poller). */
    @Reference(optional = true)
    de.sid.verbund.monitoring.inventory.DevicePoller poller;

    @Argument(index = 0, name = "name", required = true, description = "Device name, e.g. sw-core-1")
    String name;

    @Argument(index = 1, name = "address", required = true, description = "IP address or DNS name of its agent")
    String address;

    @Argument(index = 2, name = "site", required = true, description = "Data centre or room")
    String site;

    @Argument(index = 3, name = "kind", required = true,
            description = "switch, router, firewall, ups, pdu, cooling, sensor, server or storage")
    String kind;

    @Option(name = "--credential", required = true, description = "Name (or id) of the credential to poll with")
    String credential;

    @Option(name = "--port", description = "UDP port of the agent (default 161)")
    Integer port;

    @Option(name = "--interval", description = "Seconds between polls (default 60)")
    Integer interval;

    @Option(name = "--profile", multiValued = true, description = "Profile name; repeat for several (default: by sysObjectID)")
    List<String> profiles;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:device-add");
        de.sid.verbund.monitoring.inventory.DevicePoller.requireKnownProfiles(poller, profiles);
        Device d = inventory.createDevice(new NewDevice(name, address, port, site, kind, interval, profiles,
                Devices.credential(inventory, credential).id()));
        System.out.println("registered device " + d.name() + " (" + d.id() + "), polled every " + d.pollIntervalS() + " s");
        return null;
    }
}

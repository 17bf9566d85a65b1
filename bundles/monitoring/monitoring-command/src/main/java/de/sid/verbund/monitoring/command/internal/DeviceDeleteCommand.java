package de.sid.verbund.monitoring.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:device-delete <name>}: stops polling a device and forgets it. */
@Service
@Command(scope = "verbund", name = "device-delete", description = "Deletes an SNMP device")
public class DeviceDeleteCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    DeviceInventory inventory;

    @Argument(index = 0, name = "device", required = true, description = "Device name or id")
    String device;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:device-delete");
        Device d = Devices.device(inventory, device);
        inventory.deleteDevice(d.id());
        System.out.println("deleted device " + d.name());
        return null;
    }
}

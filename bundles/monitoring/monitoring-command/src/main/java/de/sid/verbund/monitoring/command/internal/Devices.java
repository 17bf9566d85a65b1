package de.sid.verbund.monitoring.command.internal;

import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;

/** Finding devices and credentials by name or id, as operators type them. */
final class Devices {
    private Devices() {
    }

    static Device device(DeviceInventory inventory, String nameOrId) {
        return inventory.allDevices().stream().filter(d -> d.name().equals(nameOrId) || d.id().equalsIgnoreCase(nameOrId))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no device named " + nameOrId
                        + " (verbund:device-list shows them)"));
    }

    static Credential credential(DeviceInventory inventory, String nameOrId) {
        return inventory.credentials().stream().filter(c -> c.name().equals(nameOrId) || c.id().equalsIgnoreCase(nameOrId))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no credential named " + nameOrId
                        + " (verbund:credential-list shows them)"));
    }
}

package de.sid.verbund.monitoring.command.internal;

import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:device-list}: the devices polled, with their credential's name (never its secret). */
@Service
@Command(scope = "verbund", name = "device-list", description = "Lists SNMP devices")
public class DeviceListCommand implements Action {
    @Reference
    DeviceInventory inventory;

    @Override
    public Object execute() {
        Map<String, String> credentials = inventory.credentials().stream()
                .collect(Collectors.toMap(Credential::id, Credential::name, (a, b) -> a));
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Name", "Kind", "Site", "Address", "Port", "Interval s", "Profiles", "Credential",
            "Origin", "Id"}) {
            t.column(c);
        }
        for (Device d : inventory.allDevices()) {
            t.addRow().addContent(d.name(), d.kind().name().toLowerCase(java.util.Locale.ROOT), d.site(), d.address(), d.port(),
                    d.pollIntervalS(), d.profiles().isEmpty() ? "(by sysObjectID)" : String.join(",", d.profiles()),
                    credentials.getOrDefault(d.credentialId(), d.credentialId()),
                    d.origin() == Device.Origin.FILE ? "devices file" : "api", d.id());
        }
        t.print(System.out);
        return null;
    }
}

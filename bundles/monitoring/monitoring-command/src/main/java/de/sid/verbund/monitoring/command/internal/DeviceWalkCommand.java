package de.sid.verbund.monitoring.command.internal;

import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.DevicePoller;
import de.sid.verbund.monitoring.inventory.DeviceWalk;
import de.sid.verbund.monitoring.smi.Oid;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code verbund:device-walk <device> [oid] [--limit N]}: walks a subtree of a device now, through
 * its own address and credential, and prints OID, type and value of each row (text as text, other
 * bytes as hex), then how the walk ended.
 */
@Service
@Command(scope = "verbund", name = "device-walk", description = "Walks a subtree of an SNMP device and prints its rows")
public class DeviceWalkCommand implements Action {
    /** The SNMPv2-MIB system group, walked when no OID is given. */
    static final String SYSTEM = "1.3.6.1.2.1.1";

    @Reference
    DeviceInventory inventory;

    @Reference(optional = true)
    DevicePoller poller;

    @Argument(index = 0, name = "device", required = true, description = "Device name or id")
    String device;

    @Argument(index = 1, name = "oid", description = "The subtree, dotted (default 1.3.6.1.2.1.1, the system group)")
    String oid;

    @Option(name = "--limit", description = "Most rows to print, 1 to 10000 (default 1000)")
    int limit = 1000;

    @Override
    public Object execute() throws Exception {
        Device d = Devices.device(inventory, device);
        Oid root;
        try {
            String text = oid == null ? SYSTEM : oid.trim();
            root = Oid.parse(text.startsWith(".") ? text.substring(1) : text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + oid + "' is not a dotted OID such as " + SYSTEM);
        }
        if (limit < 1 || limit > DevicePoller.MAX_WALK_ROWS) {
            throw new IllegalArgumentException("--limit must be 1 to " + DevicePoller.MAX_WALK_ROWS + ", was " + limit);
        }
        if (poller == null) {
            throw new IllegalStateException("device polling is not running (no poller installed)");
        }
        DeviceWalk w;
        try {
            w = poller.walk(d, root, limit).toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("walk of " + d.name() + ": " + e.getCause().getMessage(), e.getCause());
        }
        ShellTable t = new ShellTable();
        t.column("OID");
        t.column("Type");
        t.column("Value");
        for (DeviceWalk.Row r : w.rows()) {
            t.addRow().addContent(r.oid(), r.type(), r.value());
        }
        t.print(System.out);
        System.out.println(w.rows().size() + " row(s) of " + w.root() + " from " + d.name() + " in " + w.requests()
                + " request(s); " + ending(w));
        return null;
    }

    private String ending(DeviceWalk w) {
        if (w.truncated()) {
            return "stopped at the limit of " + limit + " rows, more follow (--limit)";
        }
        if (w.partial()) {
            return "PARTIAL: " + w.end() + (w.detail().isEmpty() ? "" : " (" + w.detail() + ")");
        }
        return "complete";
    }
}

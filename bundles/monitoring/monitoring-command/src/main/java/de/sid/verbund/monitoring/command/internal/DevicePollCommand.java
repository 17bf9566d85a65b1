package de.sid.verbund.monitoring.command.internal;

import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.DevicePoller;
import de.sid.verbund.monitoring.inventory.PollSummary;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:device-poll <name>}: polls a device now and prints the outcome. */
@Service
@Command(scope = "verbund", name = "device-poll", description = "Polls an SNMP device now")
public class DevicePollCommand implements Action {
    @Reference
    DeviceInventory inventory;

    @Reference(optional = true)
    DevicePoller poller;

    @Argument(index = 0, name = "device", required = true, description = "Device name or id")
    String device;

    @Override
    public Object execute() throws Exception {
        Device d = Devices.device(inventory, device);
        if (poller == null) {
            throw new IllegalStateException("device polling is not running (no poller installed)");
        }
        PollSummary s;
        try {
            s = poller.pollNow(d).toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("poll of " + d.name() + ": " + e.getCause().getMessage(), e.getCause());
        }
        System.out.println(d.name() + ": " + (s.up() ? "up" : "DOWN") + ", " + s.durationMs() + " ms, " + s.requests()
                + " requests, " + s.varbinds() + " varbinds, " + s.samples() + " samples"
                + (s.problem() == null ? "" : "; " + s.problem()));
        return null;
    }
}

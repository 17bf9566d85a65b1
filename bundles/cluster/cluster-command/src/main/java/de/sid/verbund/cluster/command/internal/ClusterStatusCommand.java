package de.sid.verbund.cluster.command.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.cluster.ClusterStatus;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/**
 * {@code verbund:cluster-status}: the cluster as this node sees it: one row per member (address,
 * uptime, how many hosts and devices it owns), whether this node has quorum, then which member owns
 * each host and device (the same facts as {@code GET /api/cluster}).
 */
@Service
@Command(scope = "verbund", name = "cluster-status",
        description = "Shows the cluster members, quorum, and which member owns which hosts and devices")
public class ClusterStatusCommand implements Action {
    @Reference
    ClusterService cluster;

    @Reference(optional = true)
    ComputeService compute;

    @Reference(optional = true)
    DeviceInventory devices;

    @Option(name = "-s", aliases = "--summary", description = "Members only, without the host and device list")
    boolean summary;

    PrintStream out = System.out;
    Clock clock = Clock.systemUTC();

    @Override
    public Object execute() {
        Map<String, String> hostNames = new LinkedHashMap<>();
        if (compute != null) {
            for (Host h : compute.hosts()) {
                hostNames.put(h.id(), h.name());
            }
        }
        Map<String, String> deviceNames = new LinkedHashMap<>();
        if (devices != null) {
            for (Device d : devices.allDevices()) {
                deviceNames.put(d.id(), d.name());
            }
        }
        ClusterStatus s = ClusterStatus.of(cluster, hostNames, deviceNames, clock.instant());
        out.println("Cluster " + s.clusterName() + ": " + s.members().size() + " member(s), quorum "
                + (s.quorum() ? "yes" : "NO: changes are refused here")
                + " (min.cluster.size " + s.minClusterSize() + "), seen from " + s.localMemberId());
        ShellTable members = new ShellTable();
        members.column("Member");
        members.column("Address");
        members.column("Local");
        members.column("Uptime");
        members.column("Hosts");
        members.column("Devices");
        for (ClusterStatus.Member m : s.members()) {
            members.addRow().addContent(m.id(), m.address(), m.local() ? "*" : "", uptime(m.uptimeS()),
                    m.hosts().size(), m.devices().size());
        }
        members.print(out);
        if (!summary) {
            ShellTable work = new ShellTable();
            work.column("Kind");
            work.column("Name");
            work.column("Id");
            work.column("Owner");
            for (ClusterStatus.Member m : s.members()) {
                m.hosts().forEach(h -> work.addRow().addContent("host", h.name(), h.id(), m.id()));
            }
            s.unowned().hosts().forEach(h -> work.addRow().addContent("host", h.name(), h.id(), "(unknown)"));
            for (ClusterStatus.Member m : s.members()) {
                m.devices().forEach(d -> work.addRow().addContent("device", d.name(), d.id(), m.id()));
            }
            s.unowned().devices().forEach(d -> work.addRow().addContent("device", d.name(), d.id(), "(unknown)"));
            work.print(out);
        }
        return null;
    }

    static String uptime(Long seconds) {
        if (seconds == null) {
            return "?";
        }
        long d = seconds / 86_400;
        long h = seconds % 86_400 / 3600;
        long m = seconds % 3600 / 60;
        long s = seconds % 60;
        return d > 0 ? d + "d " + h + "h" : h > 0 ? h + "h " + m + "m" : m + "m " + s + "s";
    }
}

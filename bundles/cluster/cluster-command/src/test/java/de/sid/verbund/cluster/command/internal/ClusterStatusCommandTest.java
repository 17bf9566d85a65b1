package de.sid.verbund.cluster.command.internal;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.cluster.ClusterMember;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.testsupport.FakeCluster;
import de.sid.verbund.testsupport.FakeInventory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterStatusCommandTest {
    private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

    @Test
    void printsMembersQuorumAndOwners() {
        Device sw = new Device("d1", "sw-1", "127.0.0.1", 161, "ber-1", DeviceKind.SWITCH, 60, List.of(), null, NOW);
        Device ups = new Device("d2", "ups-1", "127.0.0.1", 161, "ber-1", DeviceKind.UPS, 60, List.of(), null, NOW);
        FakeCluster cluster = new FakeCluster(List.of(
                new ClusterMember("node-1", "127.0.0.1:5701", true, NOW.minusSeconds(7260)),
                new ClusterMember("node-2", "127.0.0.1:5702", false, NOW.minusSeconds(42))))
                .minClusterSize(2).own("device:d1", "node-2").own("device:d2", "node-1");
        FakeInventory inventory = new FakeInventory();
        inventory.devices.put("d1", sw);
        inventory.devices.put("d2", ups);

        String out = run(cluster, inventory, false);
        assertThat(out).contains("Cluster verbund: 2 member(s), quorum yes (min.cluster.size 2), seen from node-1");
        assertThat(out).containsPattern("node-1 +\\| 127.0.0.1:5701 \\| \\* +\\| 2h 1m +\\| 0 +\\| 1");
        assertThat(out).containsPattern("node-2 +\\| 127.0.0.1:5702 \\| +\\| 0m 42s +\\| 0 +\\| 1");
        assertThat(out).containsPattern("device \\| sw-1 +\\| d1 \\| node-2");
        assertThat(out).containsPattern("device \\| ups-1 +\\| d2 \\| node-1");

        cluster.members(List.of(new ClusterMember("node-1", "127.0.0.1:5701", true, NOW.minusSeconds(7260))));
        String minority = run(cluster, inventory, true);
        assertThat(minority).contains("quorum NO: changes are refused here").doesNotContain("sw-1");
    }

    @Test
    void uptimeIsReadable() {
        assertThat(ClusterStatusCommand.uptime(null)).isEqualTo("?");
        assertThat(ClusterStatusCommand.uptime(59L)).isEqualTo("0m 59s");
        assertThat(ClusterStatusCommand.uptime(3 * 86_400L + 5 * 3600L)).isEqualTo("3d 5h");
    }

    private static String run(FakeCluster cluster, FakeInventory inventory, boolean summary) {
        ClusterStatusCommand c = new ClusterStatusCommand();
        c.cluster = cluster;
        c.devices = inventory;
        c.summary = summary;
        c.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        c.out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        c.execute();
        return bytes.toString(StandardCharsets.UTF_8);
    }
}

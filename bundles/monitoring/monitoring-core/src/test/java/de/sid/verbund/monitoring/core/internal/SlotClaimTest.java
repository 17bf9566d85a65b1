package de.sid.verbund.monitoring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.profile.ProfileLoader;
import de.sid.verbund.monitoring.snmp.internal.Snmp4jClient;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.FakeCluster;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In a cluster a poll slot is claimed in the database only when its poll is sent: a node that
 * dies while slot polls wait in its queue leaves those slots to the next owner (issue #7: the
 * survivors poll the dead node's devices within seconds, not one interval later).
 */
class SlotClaimTest {
    @TempDir
    Path dir;
    JdbcDatabase db;
    DatagramSocket silentAgent;
    ScheduledExecutorService scheduler;
    Snmp4jClient snmp;
    DevicePolling polling;
    final AtomicInteger received = new AtomicInteger();

    @AfterEach
    void tearDown() throws Exception {
        if (polling != null) {
            polling.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (snmp != null) {
            snmp.close();
        }
        if (silentAgent != null) {
            silentAgent.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aSlotPollWaitingInTheQueueHasNotClaimedItsSlot() throws Exception {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir.resolve("db")), "verbund", "", 8, 10_000);
        db.migrate("monitoring", Inventory.class.getClassLoader());
        Inventory inventory = new Inventory(db);
        // an agent that takes every request and never answers, so the one poll allowed in flight stays there
        silentAgent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        silentAgent.setSoTimeout(200);
        Thread listener = new Thread(() -> {
            byte[] buf = new byte[65_535];
            while (!silentAgent.isClosed()) {
                try {
                    silentAgent.receive(new DatagramPacket(buf, buf.length));
                    received.incrementAndGet();
                } catch (SocketTimeoutException e) {
                    // keep listening
                } catch (java.io.IOException e) {
                    return;
                }
            }
        }, "silent-agent");
        listener.setDaemon(true);
        listener.start();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Credential c = inventory.createCredential(new NewCredential("c" + i, "v2c", "c" + i, null, null, null, null, null));
            Device d = inventory.createDevice(new NewDevice("sw-" + i, "127.0.0.1", silentAgent.getLocalPort(), "dc1", "switch",
                    60, List.of("system"), c.id()));
            ids.add(d.id());
        }
        scheduler = Executors.newScheduledThreadPool(2);
        snmp = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2);
        polling = new DevicePolling(inventory, snmp, new ProfileLoader().loadDirectory(PollingTest.PROFILES), scheduler,
                1, Duration.ofSeconds(30), 0, List.of(), FakeCluster.single(), new PollLeases(db, "node-1", 3));
        polling.sync(); // owns all three: each polls its current slot at once, one at a time

        await().atMost(Duration.ofSeconds(20)).until(() -> received.get() >= 1);
        // the other two wait behind the unanswered poll; give them time to be claimed if they were claimed early
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(received.get()).as("requests sent while one poll may be in flight").isEqualTo(1);
        List<String> claimed = claimedDevices();
        assertThat(claimed).as("devices whose current slot is claimed: only the one polled").hasSize(1);
        assertThat(ids).containsAll(claimed);
    }

    /** @return the devices whose lease row carries a claimed slot (not only the lease taken at take-over) */
    private List<String> claimedDevices() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection conn = db.dataSource().getConnection();
             PreparedStatement ps = conn.prepareStatement("SELECT device_id FROM monitoring_poll_lease WHERE last_slot > ?")) {
            ps.setLong(1, Long.MIN_VALUE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }
}

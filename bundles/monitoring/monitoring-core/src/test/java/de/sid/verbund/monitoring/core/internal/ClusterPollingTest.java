package de.sid.verbund.monitoring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.cluster.hazelcast.internal.ClusterConfig;
import de.sid.verbund.cluster.hazelcast.internal.HazelcastClusterComponent;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.inventory.PollSlots;
import de.sid.verbund.monitoring.profile.Profile;
import de.sid.verbund.monitoring.profile.ProfileLoader;
import de.sid.verbund.monitoring.snmp.internal.Snmp4jClient;
import de.sid.verbund.monitoring.snmpsim.DataDirectory;
import de.sid.verbund.monitoring.snmpsim.RecordTable;
import de.sid.verbund.monitoring.snmpsim.ReplayAgent;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.Ports;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snmp4j.PDU;

/**
 * Devices polled by the member that owns them, with real Hazelcast members on loopback, each
 * with its own poller and SNMP socket, one database between them, and the replay agent
 * recording who asked for which device: when a member leaves, the others take its devices
 * over; when one joins, it takes some; no slot of a device is ever polled twice.
 */
class ClusterPollingTest {
    private static final int DEVICES = 30;
    private static final int INTERVAL_S = 10;
    private static final String SYS_OBJECT_ID = "1.3.6.1.2.1.1.2.0";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    JdbcDatabase db;
    Inventory inventory;
    ReplayAgent agent;
    Map<String, Profile> profiles;
    final String clusterName = "poll-" + UUID.randomUUID();
    final List<Integer> ports = List.of(Ports.freeTcpPort(), Ports.freeTcpPort(), Ports.freeTcpPort(), Ports.freeTcpPort());
    final List<Node> nodes = new ArrayList<>();
    final ConcurrentLinkedQueue<ReplayAgent.Request> requests = new ConcurrentLinkedQueue<>();
    final Map<String, Device> byCommunity = new HashMap<>();

    /** A member with its poller and its own SNMP socket (its source port tells the agent who asks). */
    final class Node {
        final HazelcastClusterComponent member;
        final Snmp4jClient snmp;
        final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
        final DevicePolling polling;
        boolean stopped;

        Node(String id, int port) throws java.io.IOException {
            snmp = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2);
            Map<String, Object> values = new HashMap<>();
            values.put("cluster_name", clusterName);
            values.put("member_id", id);
            values.put("port", port);
            values.put("port_auto_increment", false);
            values.put("members", ports.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
            values.put("heartbeat_interval_s", 1);
            values.put("max_no_heartbeat_s", 3);
            values.put("join_wait_s", 1);
            values.put("shutdown_max_wait_s", 5);
            member = new HazelcastClusterComponent(Configs.of(ClusterConfig.class, values));
            polling = new DevicePolling(inventory, snmp, profiles, scheduler, 16, Duration.ofMillis(1000), 1, List.of(),
                    member, new PollLeases(db, id, 3));
            member.addOwnershipListener(polling::ownershipChanged);
            polling.sync();
        }

        int sourcePort() {
            return snmp.localAddress().getPort();
        }

        void stop() {
            if (!stopped) {
                stopped = true;
                member.deactivate();
                polling.close();
                scheduler.shutdownNow();
                snmp.close();
            }
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir.resolve("db")), "verbund", "", 8, 10_000);
        db.migrate("monitoring", Inventory.class.getClassLoader());
        inventory = new Inventory(db);
        profiles = new ProfileLoader().loadDirectory(PollingTest.PROFILES);
        Path data = Files.createDirectories(dir.resolve("snmprec"));
        Files.copy(PollingTest.SNMPREC.resolve("netmanplus_204.snmprec"), data.resolve("ups.snmprec"));
        RecordTable table = DataDirectory.load(data).tables().get("ups");
        Map<String, RecordTable> tables = new HashMap<>();
        for (int i = 0; i < DEVICES; i++) {
            tables.put("dev" + i, table); // one recording, a community per device
        }
        agent = ReplayAgent.start(tables, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        agent.observe(requests::add);
        for (int i = 0; i < DEVICES; i++) {
            Credential c = inventory.createCredential(new NewCredential("dev" + i, "v2c", "dev" + i, null, null, null,
                    null, null));
            Device d = inventory.createDevice(new NewDevice("dev-" + i, "127.0.0.1", agent.address().getPort(), "dc1",
                    "ups", INTERVAL_S, List.of("system"), c.id()));
            byCommunity.put("dev" + i, d);
        }
    }

    @AfterEach
    void tearDown() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).stop();
        }
        agent.close();
        db.close();
    }

    private Node node(int i) throws java.io.IOException {
        Node n = new Node("m" + i, ports.get(i));
        nodes.add(n);
        return n;
    }

    @Test
    void devicesFollowTheirOwnersAsMembersLeaveAndJoin() throws Exception {
        Node m0 = node(0);
        Node m1 = node(1);
        Node m2 = node(2);
        List<Node> three = List.of(m0, m1, m2);
        await().atMost(WAIT).untilAsserted(() -> assertThat(three).allSatisfy(n ->
                assertThat(n.member.check().status()).isEqualTo(HealthStatus.UP)));
        // partitions reach every member (a member may own none for a moment after it joined)
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(three).allSatisfy(n -> assertThat(n.polling.owned()).isPositive());
            assertEachDevicePolledOnlyByItsOwner(three);
        });
        Map<String, Integer> sourceOf = sourcesByOwner(three);
        // every device polled by its owner's socket, all three members busy
        await().atMost(WAIT).untilAsserted(() -> assertThat(lastPollers(System.currentTimeMillis() - 11_000))
                .isEqualTo(expectedPollers(three, sourceOf)));

        // m2 leaves: its devices are polled by m0 and m1, each by the one that owns it now
        Set<String> m2Devices = ownedBy(m2);
        long left = System.currentTimeMillis();
        m2.stop();
        List<Node> two = List.of(m0, m1);
        await().atMost(WAIT).untilAsserted(() -> assertEachDevicePolledOnlyByItsOwner(two));
        assertThat(m2.polling.owned()).isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(lastPollers(left + 500)).isEqualTo(expectedPollers(two, sourceOf)));
        assertThat(m2Devices).allSatisfy(id -> assertThat(sourceOf.get(ownerOf(two, id))).isIn(m0.sourcePort(), m1.sourcePort()));

        // m3 joins: it takes devices over from the others and polls them
        Node m3 = node(3);
        List<Node> again = List.of(m0, m1, m3);
        await().atMost(WAIT).untilAsserted(() -> assertThat(m3.member.check().status()).isEqualTo(HealthStatus.UP));
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(m3.polling.owned()).isPositive();
            assertEachDevicePolledOnlyByItsOwner(again);
        });
        Map<String, Integer> sources = sourcesByOwner(again);
        long joined = System.currentTimeMillis();
        await().atMost(WAIT).untilAsserted(() -> assertThat(lastPollers(joined)).isEqualTo(expectedPollers(again, sources)));

        assertNoSlotPolledTwice();
    }

    /** Each device is active on exactly one poller: the one whose member owns it. */
    private void assertEachDevicePolledOnlyByItsOwner(List<Node> members) {
        for (Device d : byCommunity.values()) {
            List<Node> active = members.stream().filter(n -> n.polling.state(d.id()).isPresent()
                    && n.member.isLocalOwner(DevicePolling.key(d.id()))).toList();
            assertThat(active).as("owners of %s", d.name()).hasSize(1);
        }
        assertThat(members.stream().mapToInt(n -> n.polling.owned()).sum()).isEqualTo(DEVICES);
    }

    private static Map<String, Integer> sourcesByOwner(List<Node> members) {
        return members.stream().collect(Collectors.toMap(n -> n.member.localMemberId(), Node::sourcePort));
    }

    private static String ownerOf(List<Node> members, String deviceId) {
        return members.get(0).member.ownerOf(DevicePolling.key(deviceId));
    }

    private Set<String> ownedBy(Node n) {
        return byCommunity.values().stream().map(Device::id).filter(id -> n.member.isLocalOwner(DevicePolling.key(id)))
                .collect(Collectors.toSet());
    }

    private Map<String, Integer> expectedPollers(List<Node> members, Map<String, Integer> sourceOf) {
        Map<String, Integer> out = new HashMap<>();
        byCommunity.forEach((community, d) -> out.put(community, sourceOf.get(ownerOf(members, d.id()))));
        return out;
    }

    /** @return by community, the source port of the latest poll started at or after {@code since} */
    private Map<String, Integer> lastPollers(long since) {
        Map<String, Integer> out = new HashMap<>();
        for (ReplayAgent.Request r : requests) {
            if (r.epochMillis() >= since && isPollStart(r)) {
                out.put(r.community(), r.source().getPort());
            }
        }
        return out;
    }

    private static boolean isPollStart(ReplayAgent.Request r) {
        return r.pduType() == PDU.GET && r.oids().contains(SYS_OBJECT_ID);
    }

    /** The agent's view: for each device and slot, at most one poll, whichever node sent it. */
    private void assertNoSlotPolledTwice() {
        Map<String, Set<String>> seen = new HashMap<>();
        Set<String> retries = new HashSet<>();
        List<String> doubles = new ArrayList<>();
        for (ReplayAgent.Request r : requests) {
            if (!isPollStart(r) || !retries.add(r.source() + "/" + r.requestId())) {
                continue; // a retry of a GET re-sends the same request-id
            }
            Device d = byCommunity.get(r.community());
            long slot = PollSlots.slotAt(d.id(), INTERVAL_S * 1000L, r.epochMillis());
            if (!seen.computeIfAbsent(r.community(), c -> new HashSet<>()).add(Long.toString(slot))) {
                doubles.add(d.name() + " slot " + slot + " (again from port " + r.source().getPort() + ")");
            }
        }
        assertThat(seen).hasSize(DEVICES);
        assertThat(doubles).as("slots polled twice").isEmpty();
    }
}

package de.sid.verbund.itests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import de.sid.verbund.monitoring.snmpsim.DataDirectory;
import de.sid.verbund.monitoring.snmpsim.RecordTable;
import de.sid.verbund.monitoring.snmpsim.ReplayAgent;
import de.sid.verbund.testsupport.SharedData;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The one cluster the process tests of issue #7 share ({@link ClusterFailoverIT},
 * {@link ClusterInFlightIT}, {@link MonthlyRunFailoverIT}, {@link ClusterPartitionIT}): three real
 * nodes booted once per test JVM instead of once per test class, which was most of their wall time.
 * A test class takes it with {@code @ExtendWith(SharedCluster.Use.class)} and a {@code SharedCluster}
 * parameter; the first class boots it, it is kept in JUnit's root store and stopped when the Jupiter
 * run ends (the {@link #ORDER} of the classes puts them last, so no other test runs beside it).
 *
 * <p>Every class finds all three nodes running and members ({@link #ready()} restarts a node an
 * earlier class killed). The nodes have what any of the classes needs, all of it as in
 * {@code ./verbund run --cluster}:
 * <ul>
 *   <li>one PostgreSQL schema and the shared broker process ({@link SharedBroker});</li>
 *   <li>each Hazelcast member on a loopback address of its own ({@link LoopbackPartition} needs it),
 *       {@code min.cluster.size = 2}; {@code merge.check.s = 5} (default 10): a healed partition
 *       merges within a few seconds;</li>
 *   <li>300 devices (in node 1's devices file), each its own community of the replay agent run
 *       here, polled every 10 s from the start; the agent records every request ({@link #requests()});
 *       the poller reads the device list every 3 s ({@code sync.interval.s}, default 30);</li>
 *   <li>the monthly invoice run checked every 10 s (see {@link MonthlyRunFixture#configureNodes()}).</li>
 * </ul>
 * What a class leaves behind (authorities, hosts, orders, a closed month) stays in the schema; the
 * classes are written so that it does not change what they prove: they look at the agent's
 * requests and the nodes' log lines from their own start on, and the billing classes reopen the
 * month ({@link MonthlyRunFixture#reopenMonth()}). Order: {@link ClusterFailoverIT} first, on the
 * freshly booted cluster as when it booted its own, then {@link ClusterPartitionIT},
 * {@link ClusterInFlightIT} and {@link MonthlyRunFailoverIT} (the last two kill a node; only the
 * first of them needs a restart).
 */
public final class SharedCluster implements ExtensionContext.Store.CloseableResource {
    /** Order of the cluster classes (JUnit {@code ClassOrderer.OrderAnnotation}): after every other class. */
    public static final int ORDER = Integer.MAX_VALUE - 100;
    public static final int NODES = 3;
    public static final int DEVICES = 300;
    /** Poll interval of the devices. */
    public static final long INTERVAL_MS = 10_000;
    public static final Duration BOOT = Duration.ofMinutes(4);

    private final ClusterNodes cluster;
    private final SharedBroker broker;
    private final ReplayAgent agent;
    private final ConcurrentLinkedQueue<ReplayAgent.Request> requests = new ConcurrentLinkedQueue<>();
    /** The authorities seeded at the first start, with their billing mode. */
    private final Map<String, String> seededAuthorities = new TreeMap<>();
    /** Authorities the classes gave usage in the previous month. */
    private final Set<String> usageAuthorities = ConcurrentHashMap.newKeySet();
    private final double bootSeconds;

    private SharedCluster() throws Exception {
        long t0 = System.nanoTime();
        agent = startAgent();
        ClusterNodes nodes = null;
        SharedBroker b = null;
        try {
            nodes = ClusterNodes.unpack(NODES).ownLoopbackAddresses().minClusterSize(2);
            b = SharedBroker.start(nodes.root().resolve("broker"), Duration.ofMinutes(1)).configure(nodes);
            new MonthlyRunFixture(nodes).configureNodes();
            nodes.setAll("de.sid.verbund.cluster.cfg", "merge.check.s", 5)
                    .setAll("de.sid.verbund.monitoring.poller.cfg", "sync.interval.s", 3)
                    .setAll("de.sid.verbund.monitoring.devices.cfg", "file", "");
            writeDevicesFile(nodes.node(1).home().resolve("etc/verbund-devices.yaml"));
            ClusterNodes.set(nodes.node(1), "de.sid.verbund.monitoring.devices.cfg", "file", "etc/verbund-devices.yaml");
            nodes.startAll(BOOT);
            nodes.awaitMembers(NODES, BOOT);
            for (JsonNode a : nodes.get(1, "/api/authorities?limit=500").path("items")) {
                seededAuthorities.put(a.path("id").asText(), a.path("billingMode").asText());
            }
        } catch (Exception | Error e) {
            if (nodes != null) {
                nodes.close();
            }
            if (b != null) {
                b.close();
            }
            agent.close();
            throw e;
        }
        cluster = nodes;
        broker = b;
        bootSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("shared cluster: %d nodes on one PostgreSQL schema and the shared broker, %d devices, up after "
                + "%.0f s (%s)%n", NODES, DEVICES, bootSeconds, cluster.root());
    }

    private ReplayAgent startAgent() throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "cluster-agent-" + java.util.UUID.randomUUID().toString().substring(0, 8)));
        Files.copy(SharedData.data("snmprec").resolve("netmanplus_204.snmprec"), dir.resolve("ups.snmprec"));
        RecordTable table = DataDirectory.load(dir).tables().get("ups");
        Map<String, RecordTable> tables = new HashMap<>();
        for (int i = 0; i < DEVICES; i++) {
            tables.put("dev" + i, table);
        }
        ReplayAgent a = ReplayAgent.start(tables, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        a.observe(requests::add);
        return a;
    }

    private void writeDevicesFile(Path file) throws IOException {
        StringBuilder y = new StringBuilder("credentials:\n");
        for (int i = 0; i < DEVICES; i++) {
            y.append("- {name: dev").append(i).append(", version: v2c, community: dev").append(i).append("}\n");
        }
        y.append("devices:\n");
        for (int i = 0; i < DEVICES; i++) {
            y.append("- {name: dev-").append(i).append(", address: 127.0.0.1, port: ").append(agent.address().getPort())
                    .append(", site: sim, kind: ups, interval: ").append(INTERVAL_MS / 1000)
                    .append(", profiles: [system], credential: dev").append(i).append("}\n");
        }
        Files.writeString(file, y);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    /**
     * Starts every node an earlier class killed (or stopped), continues a paused one, and waits
     * until all three are healthy members again.
     *
     * @return the cluster
     */
    public ClusterNodes ready() throws Exception {
        long t0 = System.nanoTime();
        boolean restarted = false;
        for (ClusterNodes.Node n : cluster.nodes()) {
            if (!n.isRunning()) {
                cluster.start(n.number());
                restarted = true;
            }
        }
        for (ClusterNodes.Node n : cluster.nodes()) {
            cluster.awaitHealthy(n.number(), BOOT);
        }
        cluster.awaitMembers(NODES, BOOT);
        if (restarted) {
            System.out.printf("shared cluster: restarted what an earlier test killed, all %d members again after %.0f s%n",
                    NODES, (System.nanoTime() - t0) / 1e9);
        }
        return cluster;
    }

    public ClusterNodes cluster() {
        return cluster;
    }

    public SharedBroker broker() {
        return broker;
    }

    /** @return every SNMP request the replay agent got since the cluster started, in arrival order */
    public ConcurrentLinkedQueue<ReplayAgent.Request> requests() {
        return requests;
    }

    /** @return how long the shared boot took */
    public double bootSeconds() {
        return bootSeconds;
    }

    /**
     * @return the authorities a monthly run of the previous month bills once each test has given
     *         them usage: the seeded ones and those a class gave usage in that month
     *         ({@link #usageGiven}), with their billing mode as node {@code n} reads it
     */
    public Map<String, String> billedAuthorities(int n) throws Exception {
        Map<String, String> out = new TreeMap<>(seededAuthorities);
        for (JsonNode a : cluster.get(n, "/api/authorities?limit=500").path("items")) {
            if (usageAuthorities.contains(a.path("id").asText())) {
                out.put(a.path("id").asText(), a.path("billingMode").asText());
            }
        }
        return out;
    }

    /** Notes authorities a class published usage of the previous month for. */
    public void usageGiven(java.util.Collection<String> authorityIds) {
        usageAuthorities.addAll(authorityIds);
    }

    @Override
    public void close() {
        try {
            cluster.close();
        } finally {
            try {
                broker.close();
            } finally {
                agent.close();
            }
        }
    }

    /** The JUnit extension: boots the shared cluster once, hands it to the class, readies it before each class. */
    public static final class Use implements BeforeAllCallback, ParameterResolver {
        @Override
        public void beforeAll(ExtensionContext context) throws Exception {
            shared(context).ready();
        }

        private static SharedCluster shared(ExtensionContext context) {
            return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL).getOrComputeIfAbsent(SharedCluster.class, k -> {
                try {
                    return new SharedCluster();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException("the shared cluster did not start", e);
                }
            }, SharedCluster.class);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SharedCluster.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return shared(context);
        }
    }
}

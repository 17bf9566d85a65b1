package de.sid.verbund.itests.cluster;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.testsupport.Ports;
import de.sid.verbund.testsupport.TestPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A cluster of real Verbund nodes on this machine for process-level tests: each node is the
 * distribution tar.gz (unpacked once per build under {@code target/}, then copied) in a directory
 * of its own, run as {@code bin/karaf server},
 * with its own HTTP, SSH, RMI, Hazelcast and Artemis ports (free ones), member id {@code node<N>}
 * (N from 1), all joined into one Hazelcast cluster of a fresh name and sharing one fresh schema
 * of the test PostgreSQL ({@code -Dverbund.test.postgres.url}, as {@code ./verbund test} passes).
 *
 * <p>Typical use:
 * <pre>{@code
 * try (ClusterNodes cluster = ClusterNodes.unpack(3)) {
 *     cluster.setAll("de.sid.verbund.monitoring.poller.cfg", "sync.interval.s", 5);
 *     cluster.startAll();                      // node 1 first (schema, seed data), then the rest
 *     cluster.awaitMembers(3, Duration.ofMinutes(3));
 *     cluster.kill(2);                         // SIGKILL to the node's JVM
 *     cluster.start(2); cluster.awaitHealthy(2, Duration.ofMinutes(2));
 *     cluster.pause(3); ... cluster.resume(3); // SIGSTOP / SIGCONT
 * }
 * }</pre>
 * Each node's console goes to {@code console.log} in its directory (under {@code target/}), kept
 * after the test for diagnosis. {@link #close()} kills every node that still runs.
 *
 * <p>Options before the start: {@link SharedBroker#configure} (one Artemis process for all nodes, as
 * {@code ./verbund run --cluster}), {@link #minClusterSize(int)} (split-brain protection),
 * {@link #ownLoopbackAddresses()} (a Hazelcast address per node, for {@link LoopbackPartition}).
 * Each node's database sessions carry its member id as {@code application_name}.
 */
public final class ClusterNodes implements AutoCloseable {
    /** Basic credentials of the seeded admin user. */
    public static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
    /** The monitoring area's credential key file in etc/ (shared by all nodes of a cluster). */
    public static final String CREDENTIAL_KEY = "verbund-credentials.key";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path root;
    private final String clusterName = "itest-" + UUID.randomUUID();
    private final TestPostgres postgres;
    private final String databaseUrl;
    private final List<Node> nodes = new ArrayList<>();
    private final Map<String, String> javaOptions = new LinkedHashMap<>();

    /** One node: its directory, ports and (while it runs) its process. */
    public static final class Node {
        private final int number;
        private final Path home;
        private final int httpPort = Ports.freeTcpPort();
        private final int hazelcastPort = Ports.freeTcpPort();
        private final int brokerPort = Ports.freeTcpPort();
        private String address = "127.0.0.1";
        private Process karaf;
        private ProcessHandle jvm;
        private boolean paused;

        private Node(int number, Path home) {
            this.number = number;
            this.home = home;
        }

        /** @return the node's number, from 1 */
        public int number() {
            return number;
        }

        /** @return its member id in the cluster */
        public String memberId() {
            return "node" + number;
        }

        public Path home() {
            return home;
        }

        public int httpPort() {
            return httpPort;
        }

        public int hazelcastPort() {
            return hazelcastPort;
        }

        /** @return the loopback address its Hazelcast member listens on and talks from ({@code bind.address}) */
        public String address() {
            return address;
        }

        public int brokerPort() {
            return brokerPort;
        }

        /** @return whether its JVM runs (paused counts as running) */
        public boolean isRunning() {
            return jvm != null && jvm.isAlive();
        }

        /** @return the Karaf JVM's process id */
        public long pid() {
            if (jvm == null) {
                throw new IllegalStateException("node " + number + " is not running");
            }
            return jvm.pid();
        }
    }

    private ClusterNodes(Path root, int count, TestPostgres postgres) throws IOException, InterruptedException {
        this.root = root;
        this.postgres = postgres;
        this.databaseUrl = postgres.newSchema("cluster_");
        Path dist = Path.of(System.getProperty("verbund.distribution"));
        if (!Files.isRegularFile(dist)) {
            throw new IllegalStateException("no distribution at " + dist + " (build it: mvn -pl distribution -am package)");
        }
        Path unpacked = unpacked(dist);
        for (int n = 1; n <= count; n++) {
            Path home = Files.createDirectories(root.resolve("node" + n));
            copy(unpacked, home);
            nodes.add(new Node(n, home));
        }
        for (Node n : nodes) {
            set(n, "org.ops4j.pax.web.cfg", "org.osgi.service.http.port", n.httpPort);
            set(n, "org.apache.karaf.shell.cfg", "sshPort", Ports.freeTcpPort());
            set(n, "org.apache.karaf.management.cfg", "rmiRegistryPort", Ports.freeTcpPort());
            set(n, "org.apache.karaf.management.cfg", "rmiServerPort", Ports.freeTcpPort());
            set(n, "de.sid.verbund.messaging.cfg", "tcp.port", n.brokerPort);
            set(n, "de.sid.verbund.monitoring.traps.cfg", "port", Ports.freeUdpPort());
            set(n, "de.sid.verbund.monitoring.traps.cfg", "bind.address", "127.0.0.1");
            set(n, "de.sid.verbund.cluster.cfg", "cluster.name", clusterName);
            set(n, "de.sid.verbund.cluster.cfg", "member.id", n.memberId());
            set(n, "de.sid.verbund.cluster.cfg", "port", n.hazelcastPort);
            set(n, "de.sid.verbund.cluster.cfg", "port.auto.increment", false);
            set(n, "de.sid.verbund.cluster.cfg", "join.wait.s", 2);
            // the node's sessions are named after it in pg_stat_activity
            set(n, "de.sid.verbund.persistence.cfg", "url", databaseUrl + "&ApplicationName=" + n.memberId());
            set(n, "de.sid.verbund.persistence.cfg", "user", postgres.user());
            set(n, "de.sid.verbund.persistence.cfg", "password.env", "VERBUND_DB_PASSWORD");
        }
        writeMembers();
    }

    /**
     * The distribution unpacked once (per tar.gz: its size and time in the directory name) under
     * {@code target/}, for {@link #copy} to every node of every cluster.
     */
    private static synchronized Path unpacked(Path dist) throws IOException, InterruptedException {
        Path dir = Path.of("target", "verbund-unpacked-" + Files.size(dist) + "-" + Files.getLastModifiedTime(dist).toMillis())
                .toAbsolutePath();
        Path done = dir.resolve(".unpacked");
        if (!Files.exists(done)) {
            run(List.of("rm", "-rf", dir.toString()));
            Files.createDirectories(dir);
            run(List.of("tar", "-xzf", dist.toString(), "-C", dir.toString(), "--strip-components=1"));
            Files.createFile(done);
        }
        return dir;
    }

    /**
     * A node's directory from the unpacked distribution: {@code system/} (the bundle repository)
     * and {@code lib/} hard-linked, as Karaf only reads them; everything else (etc/ the tests
     * change, data/, bin/ …) copied.
     */
    private static void copy(Path unpacked, Path home) throws IOException, InterruptedException {
        try (var entries = Files.list(unpacked)) {
            for (Path e : entries.toList()) {
                String name = e.getFileName().toString();
                if (name.equals(".unpacked")) {
                    continue;
                }
                boolean readOnly = name.equals("system") || name.equals("lib");
                run(List.of("cp", readOnly ? "-al" : "-a", e.toString(), home.resolve(name).toString()));
            }
        }
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed");
        }
    }

    /** Writes every node's {@code bind.address} and the member list ({@code address:port} of each). */
    private void writeMembers() {
        String members = nodes.stream().map(n -> n.address + ":" + n.hazelcastPort).collect(Collectors.joining(","));
        for (Node n : nodes) {
            set(n, "de.sid.verbund.cluster.cfg", "bind.address", n.address);
            set(n, "de.sid.verbund.cluster.cfg", "members", members);
        }
    }

    /**
     * Gives node N's Hazelcast member the loopback address {@code 127.0.0.N} of its own (Linux
     * routes all of 127.0.0.0/8 to {@code lo}): the member listens on it and opens its connections
     * from it, so packet filters can tell the members apart ({@link LoopbackPartition}). Before
     * the nodes start.
     */
    public ClusterNodes ownLoopbackAddresses() {
        for (Node n : nodes) {
            n.address = "127.0.0." + n.number;
        }
        writeMembers();
        return this;
    }

    /**
     * Split-brain protection of every node: below {@code size} members a node refuses changes and
     * runs no cluster-wide job ({@code min.cluster.size}). Before the nodes start.
     */
    public ClusterNodes minClusterSize(int size) {
        return setAll("de.sid.verbund.cluster.cfg", "min.cluster.size", size);
    }

    /**
     * Unpacks {@code count} nodes under {@code target/cluster-<random>/} and configures them as
     * one cluster on a fresh schema of the test PostgreSQL; starts none.
     *
     * @throws IllegalStateException when {@code verbund.test.postgres.url} or the distribution is missing
     */
    public static ClusterNodes unpack(int count) throws IOException, InterruptedException {
        Path root = Path.of("target", "cluster-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        return new ClusterNodes(root, count, TestPostgres.fromSystemProperties());
    }

    /** @return node {@code n} (from 1) */
    public Node node(int n) {
        return nodes.get(n - 1);
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public String clusterName() {
        return clusterName;
    }

    /** @return the JDBC URL (with its schema) all nodes share */
    public String databaseUrl() {
        return databaseUrl;
    }

    public TestPostgres postgres() {
        return postgres;
    }

    /** A JVM system property for every node started from now on ({@code -Dkey=value}). */
    public ClusterNodes javaOption(String key, String value) {
        javaOptions.put(key, value);
        return this;
    }

    /** Sets {@code key = value} in {@code etc/<file>} of every node. */
    public ClusterNodes setAll(String file, String key, Object value) {
        nodes.forEach(n -> set(n, file, key, value));
        return this;
    }

    /** Replaces (or appends) {@code key = value} in {@code etc/<file>} of one node (before it starts). */
    public static void set(Node node, String file, String key, Object value) {
        try {
            Path f = node.home.resolve("etc").resolve(file);
            String text = Files.exists(f) ? Files.readString(f) : "";
            String line = key + " = " + value;
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=.*$").matcher(text);
            Files.writeString(f, m.find() ? m.replaceAll(Matcher.quoteReplacement(line)) : text + "\n" + line + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts node 1, waits until it is healthy (it migrates the schema, seeds, and makes the
     * credential key), gives every other node the same credential key file (stored SNMP secrets
     * are encrypted with it: a cluster needs one), then starts the others together.
     */
    public void startAll(Duration bootTimeout) throws Exception {
        startAll(bootTimeout, () -> { });
    }

    /** Something the test does between node 1's start and the others'. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /**
     * {@link #startAll(Duration)}, doing {@code afterFirst} once node 1 answers (its schema is
     * migrated) and before the others start. Under a minimum cluster size above 1 node 1 alone
     * is DEGRADED (no quorum): that counts as answering.
     */
    public void startAll(Duration bootTimeout, Step afterFirst) throws Exception {
        start(1);
        awaitAnswering(1, bootTimeout);
        afterFirst.run();
        Path key = node(1).home.resolve("etc").resolve(CREDENTIAL_KEY);
        await().atMost(bootTimeout).until(() -> Files.isRegularFile(key));
        for (int n = 2; n <= nodes.size(); n++) {
            Files.copy(key, node(n).home.resolve("etc").resolve(CREDENTIAL_KEY), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        for (int n = 2; n <= nodes.size(); n++) {
            start(n);
        }
        for (int n = 2; n <= nodes.size(); n++) {
            awaitHealthy(n, bootTimeout);
        }
    }

    /** Starts {@code bin/karaf server} of node {@code n}; returns at once. */
    public void start(int n) throws IOException {
        Node node = node(n);
        if (node.isRunning()) {
            throw new IllegalStateException("node " + n + " runs already");
        }
        File log = node.home.resolve("console.log").toFile();
        ProcessBuilder pb = new ProcessBuilder(node.home.resolve("bin/karaf").toString(), "server").directory(node.home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_MAX_MEM", "512M");
        // after a SIGKILL, bin/karaf would find the dead JVM's pid in instance.properties and refuse
        pb.environment().put("CHECK_ROOT_INSTANCE_RUNNING", "false");
        pb.environment().put("VERBUND_DB_PASSWORD", postgres.password());
        Map<String, String> options = new LinkedHashMap<>(javaOptions);
        if (!"127.0.0.1".equals(node.address)) {
            // Hazelcast looks for bind.address among the interfaces' addresses, and lo carries only 127.0.0.1
            // (the rest of 127.0.0.0/8 is routed to it, not assigned): this property names the address outright
            options.put("hazelcast.local.localAddress", node.address);
            // and its connections to other members leave from it too
            options.put("hazelcast.socket.client.bind.any", "false");
        }
        pb.environment().put("EXTRA_JAVA_OPTS", options.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(" ")));
        node.karaf = pb.start();
        node.paused = false;
        // bin/karaf runs the JVM as its child: that is the process to signal
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(50)).until(() -> {
            // (not the short "java -version" the script runs first)
            node.jvm = node.karaf.descendants().filter(p -> p.info().commandLine()
                    .map(c -> c.contains("org.apache.karaf.main.Main")).orElse(false)).findFirst().orElse(null);
            return node.jvm != null || !node.karaf.isAlive();
        });
        if (node.jvm == null) {
            throw new IllegalStateException("node " + n + " did not start a JVM; see " + log);
        }
    }

    /** SIGKILL to the node's JVM; returns once it is gone. */
    public void kill(int n) {
        Node node = node(n);
        ProcessHandle jvm = node.jvm;
        jvm.destroyForcibly();
        jvm.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        waitForLauncher(node);
    }

    /** SIGTERM to the node's JVM (a graceful stop, as Ctrl-C); returns once it is gone. */
    public void stop(int n) {
        Node node = node(n);
        if (node.paused) {
            resume(n);
        }
        node.jvm.destroy();
        node.jvm.onExit().orTimeout(120, TimeUnit.SECONDS).join();
        waitForLauncher(node);
    }

    private static void waitForLauncher(Node node) {
        try {
            node.karaf.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        node.paused = false;
    }

    /** SIGSTOP to the node's JVM: it stops on the spot, its sockets stay open. */
    public void pause(int n) {
        signal(node(n), "STOP");
        node(n).paused = true;
    }

    /** SIGCONT to a paused node's JVM. */
    public void resume(int n) {
        signal(node(n), "CONT");
        node(n).paused = false;
    }

    private static void signal(Node node, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + node.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until node {@code n} answers {@code /api/health} UP with its database. */
    public JsonNode awaitHealthy(int n, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            last[0] = get(n, "/api/health");
            return "UP".equals(last[0].path("status").asText()) && last[0].path("components").has("database");
        });
        return last[0];
    }

    /**
     * Waits until node {@code n} answers {@code /api/health} UP or DEGRADED (a node without quorum)
     * with its database UP.
     */
    public JsonNode awaitAnswering(int n, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            last[0] = get(n, "/api/health");
            String status = last[0].path("status").asText();
            return ("UP".equals(status) || "DEGRADED".equals(status))
                    && "UP".equals(last[0].path("components").path("database").path("status").asText());
        });
        return last[0];
    }

    /** @return node {@code n}'s Karaf log ({@code data/log/karaf.log}) */
    public Path karafLog(int n) {
        return node(n).home.resolve("data").resolve("log").resolve("karaf.log");
    }

    /** @return the lines of node {@code n}'s Karaf log that contain {@code text}, in order */
    public List<String> logLines(int n, String text) throws IOException {
        Path log = karafLog(n);
        if (!Files.exists(log)) {
            return List.of();
        }
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(text)).toList();
        }
    }

    /** Waits until every running node's health names {@code count} cluster members. */
    public void awaitMembers(int count, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            for (Node node : nodes) {
                if (node.isRunning() && !node.paused && memberCount(node.number) != count) {
                    return false;
                }
            }
            return true;
        });
    }

    /** @return the member count in node {@code n}'s health ({@code components.cluster.details.memberCount}) */
    public int memberCount(int n) throws IOException, InterruptedException {
        return get(n, "/api/health").path("components").path("cluster").path("details").path("memberCount").asInt(-1);
    }

    /** GET as admin, the body as JSON. */
    public JsonNode get(int n, String path) throws IOException, InterruptedException {
        return JSON.readTree(text(n, path));
    }

    /** GET as admin, the body as text (e.g. {@code /metrics}). */
    public String text(int n, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node(n).httpPort + path))
                .header("Authorization", ADMIN).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** POST JSON as admin. */
    public HttpResponse<String> post(int n, String path, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node(n).httpPort + path))
                .header("Authorization", ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * @return the value of an unlabelled sample (or the sum over all label sets) in node
     *         {@code n}'s {@code /metrics}, e.g. {@code verbund_cluster_owned_devices}; NaN when absent
     */
    public double metric(int n, String name) throws IOException, InterruptedException {
        double sum = Double.NaN;
        for (String line : text(n, "/metrics").split("\n")) {
            if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                sum = Double.isNaN(sum) ? v : sum + v;
            }
        }
        return sum;
    }

    /** Kills every node still running (a paused one is continued first so it can die). */
    @Override
    public void close() {
        for (Node node : nodes) {
            if (node.jvm != null && node.jvm.isAlive()) {
                if (node.paused) {
                    try {
                        resume(node.number);
                    } catch (RuntimeException e) {
                        // killed anyway below
                    }
                }
                node.jvm.destroyForcibly();
                node.jvm.onExit().orTimeout(30, TimeUnit.SECONDS).exceptionally(e -> null).join();
            }
            if (node.karaf != null) {
                node.karaf.descendants().forEach(ProcessHandle::destroyForcibly);
                node.karaf.destroyForcibly();
            }
        }
    }

    /** @return where the nodes' directories are */
    public Path root() {
        return root;
    }
}

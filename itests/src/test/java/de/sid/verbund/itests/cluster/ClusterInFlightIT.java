package de.sid.verbund.itests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.reader.TextMessageUtil;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two cases of issue #7 on three real nodes ({@link ClusterNodes}) sharing one PostgreSQL schema and
 * one broker process ({@link SharedBroker}):
 *
 * <ol>
 *   <li><b>200 parallel VM creations spread over three nodes never over-commit a host.</b> Three
 *       test-driver hosts of their own site, each with room for exactly 50 VMs of 256 MiB, take 200
 *       {@code POST /api/vms} as {@code admin}, round robin over the nodes' REST ports, all released at
 *       once: exactly 150 are created, the other 50 are refused with a 409 "no capacity" problem; no
 *       host's {@code allocated} exceeds its {@code capacity} on any node, and every host's kept
 *       totals equal the sums over its VMs in the database.</li>
 *   <li><b>No order or usage record in flight is lost or counted twice when a node is
 *       SIGKILLed.</b> Authority users submit catalogue orders (auto-approved, one approval, two
 *       approvals) over all nodes while their admins and an operator approve them; a few seconds in,
 *       one node is killed with SIGKILL. Afterwards every order in the database is final and
 *       FULFILLED exactly once (one transition into PROVISIONING and one into FULFILLED), each ordered
 *       VM exists exactly once with its order's name, every compute command was done once, the outbox
 *       is empty, and billing metered every VM event that compute published (seen on a durable queue
 *       of the test's own on {@code compute.events}) exactly once: each event id processed, at most
 *       one ledger segment per event, each VM's segments without overlap, its meter in the state of
 *       its last event, nothing parked.</li>
 * </ol>
 * Both on the {@link SharedCluster} (booted once for all cluster classes; the killed node is started
 * again by the next class that needs it); figures (create rate, time until every order settled after
 * the kill) are printed.
 */
@ExtendWith(SharedCluster.Use.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(SharedCluster.ORDER + 3)
class ClusterInFlightIT {
    private static final int NODES = 3;
    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(8)).build();

    // case 1
    private static final int CAP_HOSTS = 3;
    private static final int VMS_PER_HOST = 50;
    private static final long CAP_RAM_MIB = 256;
    private static final int CREATES = 200;
    private static final int CREATE_THREADS = 30;
    private static final String CAP_SITE = "itest-cap";

    // case 2
    private static final int ORDERS = 36;
    private static final long ORDER_PACE_MS = 250;
    private static final int KILL_AFTER_ORDERS = 16;
    /** Orders started at once just before the kill, so that the kill finds work in every stage. */
    private static final int BURST = 8;
    /** The node killed: the one that had carried out the most provision commands by then (set at the kill). */
    private volatile int victim;
    /** Compute's lifecycle events, the ones billing meters. */
    private static final Set<String> LIFECYCLE = Set.of("vm.created", "vm.state-changed", "vm.resized", "vm.migrated",
            "vm.deleted");
    /** VM states that hold capacity (compute's HOLDING). */
    private static final String HOLDING = "'PROVISIONING', 'RUNNING', 'PAUSED', 'STOPPED', 'UNKNOWN'";

    private final SharedBroker broker;
    private final ClusterNodes cluster;
    private final Set<Integer> live = ConcurrentHashMap.newKeySet();
    private final Map<String, String> authorities = new HashMap<>();
    /**
     * API tokens by user name. The requests use them, as scripts should: HTTP Basic runs bcrypt on
     * every request and lets at most 5 password checks of one account run at once (the lockout's
     * slots); 30 parallel Basic requests of {@code admin} got 401 when they waited too long for one.
     */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    ClusterInFlightIT(SharedCluster shared) {
        this.cluster = shared.cluster();
        this.broker = shared.broker();
    }

    @BeforeAll
    void startCluster() throws Exception {
        long t0 = System.nanoTime();
        for (int n = 1; n <= NODES; n++) {
            live.add(n);
        }
        JsonNode list = JSON.readTree(send("admin", 1, "GET", "/api/authorities?limit=100", null).body());
        for (JsonNode a : list.has("items") ? list.path("items") : list) {
            authorities.put(a.path("name").asText(), a.path("id").asText());
        }
        for (String user : List.of("admin", "operator", "steuern-user", "steuern-admin", "statistik-user", "statistik-admin")) {
            ObjectNode body = JSON.createObjectNode().put("name", "itest").put("validDays", 1).put("password", user);
            HttpResponse<String> r = send(user, 1, "POST", "/api/users/me/tokens", body.toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            tokens.put(user, JSON.readTree(r.body()).path("secret").asText());
        }
        assertThat(authorities).containsKeys("Staatsministerium der Finanzen", "Landesamt für Steuern",
                "Statistisches Landesamt");
        System.out.printf("three nodes on one PostgreSQL schema and the shared broker (pid %d): users and tokens after %.0f s%n",
                broker.pid(), (System.nanoTime() - t0) / 1e9);
    }

    // --- case 1 ---------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void twoHundredParallelCreatesOverThreeNodesNeverOverCommitAHost() throws Exception {
        List<String> capHosts = registerCapacityHosts();
        String tenant = authorities.get("Staatsministerium der Finanzen");

        ExecutorService pool = Executors.newFixedThreadPool(CREATE_THREADS);
        List<Future<HttpResponse<String>>> results = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        long start;
        try {
            for (int i = 0; i < CREATES; i++) {
                int node = i % NODES + 1;
                ObjectNode body = JSON.createObjectNode().put("name", "cap-" + i).put("tenantId", tenant).put("vcpu", 1)
                        .put("ramMib", CAP_RAM_MIB).put("diskGib", 1).put("site", CAP_SITE);
                results.add(pool.submit(() -> {
                    go.await();
                    return send("admin", node, "POST", "/api/vms", body.toString());
                }));
            }
            start = System.nanoTime();
            go.countDown();
        } finally {
            pool.shutdown();
        }
        assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).as("every create answered").isTrue();
        double seconds = (System.nanoTime() - start) / 1e9;

        Map<Integer, Integer> createdPerNode = new TreeMap<>();
        List<JsonNode> created = new ArrayList<>();
        List<JsonNode> refused = new ArrayList<>();
        List<String> unexpected = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            HttpResponse<String> r = results.get(i).get();
            if (r.statusCode() == 201) {
                created.add(JSON.readTree(r.body()));
                createdPerNode.merge(i % NODES + 1, 1, Integer::sum);
            } else if (r.statusCode() == 409) {
                refused.add(JSON.readTree(r.body()));
            } else {
                unexpected.add(r.statusCode() + " " + r.body());
            }
        }
        System.out.printf("case 1: %d parallel creates over %d nodes in %.1f s (%.0f/s): %d created (per node %s), %d "
                + "refused%n", CREATES, NODES, seconds, CREATES / seconds, created.size(), createdPerNode, refused.size());
        assertThat(unexpected).as("answers other than 201 and 409").isEmpty();
        assertThat(created).as("VMs created: the room of %d hosts x %d", CAP_HOSTS, VMS_PER_HOST)
                .hasSize(CAP_HOSTS * VMS_PER_HOST);
        assertThat(created).allSatisfy(vm -> {
            assertThat(vm.path("state").asText()).isEqualTo("RUNNING");
            assertThat(capHosts).contains(vm.path("hostId").asText());
        });
        assertThat(refused).hasSize(CREATES - CAP_HOSTS * VMS_PER_HOST).allSatisfy(p -> {
            assertThat(p.path("type").asText()).isEqualTo("urn:verbund:problem:conflict");
            assertThat(p.path("status").asInt()).isEqualTo(409);
            assertThat(p.path("detail").asText()).startsWith("no capacity");
        });

        // every node shows the same books: at capacity, never beyond
        for (int n = 1; n <= NODES; n++) {
            for (JsonNode h : cluster.get(n, "/api/hosts")) {
                JsonNode alloc = h.path("allocated");
                JsonNode cap = h.path("capacity");
                String name = h.path("name").asText();
                assertThat(alloc.path("vcpu").asLong()).as("node %d: vCPU of %s", n, name).isLessThanOrEqualTo(cap.path("vcpu").asLong());
                assertThat(alloc.path("ramMib").asLong()).as("node %d: RAM of %s", n, name).isLessThanOrEqualTo(cap.path("ramMib").asLong());
                assertThat(alloc.path("diskGib").asLong()).as("node %d: disk of %s", n, name).isLessThanOrEqualTo(cap.path("diskGib").asLong());
                if (capHosts.contains(h.path("id").asText())) {
                    assertThat(alloc.path("ramMib").asLong()).as("node %d: RAM of %s", n, name)
                            .isEqualTo(VMS_PER_HOST * CAP_RAM_MIB).isEqualTo(cap.path("ramMib").asLong());
                    assertThat(alloc.path("vcpu").asLong()).as("node %d: vCPU of %s", n, name).isEqualTo(VMS_PER_HOST);
                }
            }
        }
        // the kept totals of every host are the sums over its VMs
        try (Connection c = db()) {
            Map<String, long[]> kept = new HashMap<>();
            query(c, "SELECT id, alloc_vcpu, alloc_ram_mib, alloc_disk_gib FROM compute_host", rs ->
                    kept.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)}));
            Map<String, long[]> summed = new HashMap<>();
            query(c, "SELECT host_id, SUM(vcpu), SUM(ram_mib), SUM(disk_gib) FROM compute_vm WHERE state IN (" + HOLDING
                    + ") GROUP BY host_id", rs -> summed.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)}));
            for (Map.Entry<String, long[]> e : kept.entrySet()) {
                assertThat(e.getValue()).as("kept totals of host %s vs its VMs", e.getKey())
                        .containsExactly(summed.getOrDefault(e.getKey(), new long[3]));
            }
            Map<String, Integer> states = new TreeMap<>();
            query(c, "SELECT state, COUNT(*) FROM compute_vm WHERE tenant_id = '" + tenant + "' AND name LIKE 'cap-%' GROUP BY state",
                    rs -> states.put(rs.getString(1), rs.getInt(2)));
            assertThat(states).as("the VMs of the creates in the database").isEqualTo(Map.of("RUNNING", CAP_HOSTS * VMS_PER_HOST));
        }
    }

    /** Registers {@link #CAP_HOSTS} test-driver hosts of site {@link #CAP_SITE} and waits until they are connected. */
    private List<String> registerCapacityHosts() throws Exception {
        List<String> ids = new ArrayList<>();
        Path dir = Files.createDirectories(cluster.root().resolve("hosts"));
        for (int i = 0; i < CAP_HOSTS; i++) {
            Path xml = dir.resolve("cap-" + i + ".xml");
            Files.writeString(xml, FIT50);
            ObjectNode host = JSON.createObjectNode().put("name", "cap-" + i).put("uri", "test://" + xml.toAbsolutePath())
                    .put("site", CAP_SITE).put("cpuOvercommit", 4.0).put("ramOvercommit", 1.0).put("ramReserveMib", 2048);
            HttpResponse<String> r = send("admin", i % NODES + 1, "POST", "/api/hosts", host.toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            ids.add(JSON.readTree(r.body()).path("id").asText());
        }
        // each is connected by the member that owns it (within its 10 s ownership check)
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (int n = 1; n <= NODES; n++) {
                for (JsonNode h : cluster.get(n, "/api/hosts")) {
                    if (ids.contains(h.path("id").asText())) {
                        assertThat(h.path("state").asText()).isEqualTo("ENABLED");
                        assertThat(h.path("capacity").path("ramMib").asLong()).isEqualTo(VMS_PER_HOST * CAP_RAM_MIB);
                    }
                }
            }
        });
        return ids;
    }

    // --- case 2 ---------------------------------------------------------------------------------------------

    /** One order as the test drives it: what it submitted and what it was told. */
    private static final class Submitted {
        final int index;
        final String tenant;
        final String user;
        final String admin;
        final String offering;
        final int quantity;
        final String name;
        volatile String id;
        volatile String outcome = "not sent";

        Submitted(int index, String tenant, String user, String admin, String offering, int quantity) {
            this.index = index;
            this.tenant = tenant;
            this.user = user;
            this.admin = admin;
            this.offering = offering;
            this.quantity = quantity;
            this.name = "inf-" + index;
        }
    }

    @Test
    @Order(2)
    void noOrderOrUsageRecordInFlightIsLostOrCountedTwiceWhenANodeIsKilled() throws Exception {
        createOfferings();
        String observer = "itest.observer." + UUID.randomUUID();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.url());
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession()) {
            // a durable subscription of the test's own: every event compute publishes from now on stays there
            session.createQueue(QueueConfiguration.of(observer).setAddress("compute.events")
                    .setRoutingType(RoutingType.MULTICAST).setDurable(true));

            String tax = authorities.get("Landesamt für Steuern");
            String stats = authorities.get("Statistisches Landesamt");
            String[] offerings = {"inf-auto", "inf-one", "inf-two", "inf-auto"};
            List<Submitted> orders = new ArrayList<>();
            for (int i = 0; i < ORDERS; i++) {
                boolean st = i % 3 == 2;
                orders.add(new Submitted(i, st ? stats : tax, st ? "statistik-user" : "steuern-user",
                        st ? "statistik-admin" : "steuern-admin", offerings[i % offerings.length], i % 7 == 3 ? 2 : 1));
            }

            ExecutorService workers = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            long killAt = 0;
            try {
                for (Submitted o : orders) {
                    if (o.index == KILL_AFTER_ORDERS) {
                        // the commands of a tenant go to one consumer (message groups): kill the node doing them
                        Map<Integer, Long> before = new TreeMap<>();
                        for (int n = 1; n <= NODES; n++) {
                            before.put(n, provisioned(n));
                        }
                        victim = before.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                        cluster.kill(victim);
                        live.remove(victim);
                        killAt = System.currentTimeMillis();
                        Map<String, Integer> atKill = new TreeMap<>();
                        try (Connection c = db()) {
                            query(c, "SELECT state, COUNT(*) FROM catalog_order WHERE name LIKE 'inf-%' GROUP BY state",
                                    rs -> atKill.put(rs.getString(1), rs.getInt(2)));
                        }
                        System.out.printf("case 2: node %d killed (SIGKILL) after %d orders were started (provision "
                                + "commands done per node until then: %s); their states in the database just after the "
                                + "kill: %s%n", victim, KILL_AFTER_ORDERS, before, atKill);
                    }
                    done.add(workers.submit(() -> drive(o)));
                    if (o.index < KILL_AFTER_ORDERS - BURST || o.index >= KILL_AFTER_ORDERS) {
                        Thread.sleep(ORDER_PACE_MS);
                    }
                }
                for (Future<?> f : done) {
                    f.get(5, TimeUnit.MINUTES);
                }
            } finally {
                workers.shutdownNow();
            }
            Map<String, Long> outcomes = orders.stream().collect(Collectors.groupingBy(o -> o.outcome.replaceAll(" .*", ""),
                    TreeMap::new, Collectors.counting()));
            System.out.printf("case 2: %d orders driven, as their users saw them: %s%n", ORDERS, outcomes);
            orders.stream().filter(o -> !o.outcome.startsWith("final") && !o.outcome.startsWith("provisioning"))
                    .forEach(o -> System.out.printf("  order %s: %s%n", o.name, o.outcome));

            // the survivors settle every order
            Map<String, String> states = new TreeMap<>();
            long settledAt;
            try (Connection c = db()) {
                await().atMost(SETTLE).pollInterval(Duration.ofMillis(250)).until(() -> {
                    states.clear();
                    query(c, "SELECT name, state FROM catalog_order WHERE name LIKE 'inf-%'", rs ->
                            states.put(rs.getString(1), rs.getString(2)));
                    return states.values().stream().allMatch(s -> Set.of("FULFILLED", "FAILED", "REJECTED", "CANCELLED")
                            .contains(s));
                });
                settledAt = System.currentTimeMillis();
                long lastFinalMs = scalar(c, "SELECT MAX(at) FROM catalog_order_transition t JOIN catalog_order o ON o.id = "
                        + "t.order_id WHERE o.name LIKE 'inf-%'", rs -> rs.getTimestamp(1).getTime());
                System.out.printf("case 2: all %d orders in the database final, the last one %d ms after the kill "
                        + "(seen by polling %d ms after it)%n", states.size(), lastFinalMs - killAt, settledAt - killAt);
                List<long[]> latency = new ArrayList<>();
                query(c, "SELECT o.created_at, MAX(t.at) FROM catalog_order o JOIN catalog_order_transition t ON t.order_id "
                        + "= o.id WHERE o.name LIKE 'inf-%' GROUP BY o.id, o.created_at", rs -> latency.add(new long[] {
                                rs.getTimestamp(1).getTime(), rs.getTimestamp(2).getTime()}));
                long k = killAt;
                System.out.printf("case 2: from submission to FULFILLED: worst %d ms of orders submitted before the kill, "
                        + "of those in flight at the kill (not final then) worst %d ms after the kill, worst %d ms of those "
                        + "submitted after it%n",
                        latency.stream().filter(l -> l[0] < k).mapToLong(l -> l[1] - l[0]).max().orElse(0),
                        latency.stream().filter(l -> l[0] < k && l[1] > k).mapToLong(l -> l[1] - k).max().orElse(0),
                        latency.stream().filter(l -> l[0] >= k).mapToLong(l -> l[1] - l[0]).max().orElse(0));
            }
            for (Submitted o : orders) {
                if (o.id != null) {
                    assertThat(states).as("accepted order %s is in the database", o.name).containsKey(o.name);
                }
            }
            assertThat(states.values()).as("final states of the orders %s", states).containsOnly("FULFILLED");

            Map<String, Observed> events = awaitBillingCaughtUp(session, observer);
            checkOrdersVmsAndUsage(orders, events);
            session.deleteQueue(observer);
        }
    }

    private void createOfferings() throws Exception {
        String[][] offerings = {{"inf-auto", "NONE"}, {"inf-one", "AUTHORITY_ADMIN"}, {"inf-two", "AUTHORITY_ADMIN_AND_SID_OPERATOR"}};
        for (String[] o : offerings) {
            ObjectNode body = JSON.createObjectNode().put("code", o[0]).put("kind", "vm").put("name", "In flight " + o[0])
                    .put("description", "").put("approval", o[1]);
            body.putObject("sizing").put("vcpu", 1).put("ramMib", 256).put("diskGib", 1);
            HttpResponse<String> r = send("admin", 1, "POST", "/api/offerings", body.toString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
    }

    /**
     * Submits one order as its authority user and gives the approvals its offering needs (the
     * authority's admin, then an operator), each request on a live node; a request cut off by the
     * kill is sent again to another node, except the submission (that would be a second order).
     */
    private void drive(Submitted o) {
        try {
            ObjectNode body = JSON.createObjectNode().put("offering", o.offering).put("quantity", o.quantity).put("name", o.name);
            int node = nodeFor(o.index);
            HttpResponse<String> r;
            try {
                r = send(o.user, node, "POST", "/api/orders", body.toString());
            } catch (IOException e) {
                o.outcome = "unanswered submission (node " + node + "): " + e;
                return;
            }
            if (r.statusCode() != 201) {
                o.outcome = "submission refused: " + r.statusCode() + " " + r.body();
                return;
            }
            JsonNode order = JSON.readTree(r.body()).path("order");
            o.id = order.path("id").asText();
            for (int step = 0; step < 2 && "SUBMITTED".equals(order.path("state").asText()); step++) {
                String approver = order.path("approvals").size() == 0 ? o.admin : "operator";
                order = approve(o, approver);
            }
            String state = order.path("state").asText();
            o.outcome = (Set.of("FULFILLED", "FAILED", "REJECTED", "CANCELLED").contains(state) ? "final " : "provisioning ")
                    + state;
        } catch (Exception e) {
            o.outcome = "error: " + e;
        }
    }

    private JsonNode approve(Submitted o, String approver) throws Exception {
        Exception last = null;
        for (int attempt = 0; attempt < 6; attempt++) {
            int node = nodeFor(o.index + attempt + 1);
            try {
                HttpResponse<String> r = send(approver, node, "POST", "/api/orders/" + o.id + "/approve", "{\"comment\":\"ok\"}");
                if (r.statusCode() == 200) {
                    return JSON.readTree(r.body());
                }
                // an approval cut off by the kill may have been stored: look at the order
                JsonNode now = JSON.readTree(send("admin", node, "GET", "/api/orders/" + o.id, null).body());
                if (!"SUBMITTED".equals(now.path("state").asText()) || now.path("approvals").toString().contains(approver)) {
                    return now;
                }
                last = new IllegalStateException(approver + ": " + r.statusCode() + " " + r.body());
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(500);
        }
        throw last;
    }

    private int nodeFor(int i) {
        List<Integer> nodes = live.stream().sorted().toList();
        return nodes.get(Math.floorMod(i, nodes.size()));
    }

    /** Compute's events of one VM as the test's own subscription received them, by event id. */
    private static final class Observed {
        final Map<String, JsonNode> byId = new LinkedHashMap<>();
        int duplicates;

        JsonNode last() {
            JsonNode last = null;
            for (JsonNode e : byId.values()) {
                last = e;
            }
            return last;
        }
    }

    /**
     * Reads what arrived on the observer queue and waits until billing has processed every
     * lifecycle event in it; returns the events by VM.
     */
    private Map<String, Observed> awaitBillingCaughtUp(ClientSession session, String queue) throws Exception {
        Map<String, Observed> byVm = new HashMap<>();
        session.start();
        try (ClientConsumer consumer = session.createConsumer(queue); Connection c = db()) {
            long t0 = System.currentTimeMillis();
            int[] missing = new int[1];
            await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).until(() -> {
                ClientMessage m;
                while ((m = consumer.receive(200)) != null) {
                    JsonNode e = JSON.readTree(String.valueOf(TextMessageUtil.readBodyText(m.getBodyBuffer())));
                    m.acknowledge();
                    if (!LIFECYCLE.contains(e.path("type").asText())) {
                        continue;
                    }
                    Observed o = byVm.computeIfAbsent(e.path("payload").path("vmId").asText(), k -> new Observed());
                    if (o.byId.putIfAbsent(e.path("eventId").asText(), e) != null) {
                        o.duplicates++;
                    }
                }
                Set<String> processed = new HashSet<>();
                query(c, "SELECT event_id FROM billing_processed_event", rs -> processed.add(rs.getString(1)));
                missing[0] = (int) byVm.values().stream().flatMap(o -> o.byId.keySet().stream())
                        .filter(id -> !processed.contains(id)).count();
                long outbox = scalar(c, "SELECT COUNT(*) FROM messaging_outbox", rs -> rs.getLong(1));
                return missing[0] == 0 && outbox == 0;
            });
            System.out.printf("case 2: billing had metered all %d VM events of %d VMs %d ms after the orders settled%n",
                    byVm.values().stream().mapToInt(o -> o.byId.size()).sum(), byVm.size(), System.currentTimeMillis() - t0);
        }
        return byVm;
    }

    private void checkOrdersVmsAndUsage(List<Submitted> orders, Map<String, Observed> events) throws Exception {
        try (Connection c = db()) {
            // each order: one way in, one way out
            Map<String, Map<String, Integer>> transitions = new HashMap<>();
            query(c, "SELECT o.name, t.to_state, COUNT(*) FROM catalog_order_transition t JOIN catalog_order o ON o.id = "
                    + "t.order_id WHERE o.name LIKE 'inf-%' GROUP BY o.name, t.to_state", rs ->
                    transitions.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getString(2), rs.getInt(3)));
            transitions.forEach((name, t) -> {
                assertThat(t.get("PROVISIONING")).as("order %s: transitions into PROVISIONING %s", name, t).isEqualTo(1);
                assertThat(t.get("FULFILLED")).as("order %s: transitions into FULFILLED %s", name, t).isEqualTo(1);
            });

            // each ordered VM exists once, under its order's name, and compute announced it
            Map<String, List<String[]>> vmsByName = new HashMap<>();
            query(c, "SELECT tenant_id, name, id, state, offering_id FROM compute_vm WHERE name LIKE 'inf-%'", rs ->
                    vmsByName.computeIfAbsent(rs.getString(1) + "/" + rs.getString(2), k -> new ArrayList<>())
                            .add(new String[] {rs.getString(3), rs.getString(4), rs.getString(5)}));
            Map<String, Integer> vmStates = new TreeMap<>();
            int orderedVms = 0;
            for (Submitted o : orders) {
                String id = scalarOrNull(c, "SELECT id FROM catalog_order WHERE name = '" + o.name + "'");
                if (id == null) {
                    continue; // an unanswered submission that never reached the database
                }
                JsonNode order = cluster.get(nodeFor(0), "/api/orders/" + id);
                List<String> names = new ArrayList<>();
                for (int k = 1; k <= o.quantity; k++) {
                    names.add(o.quantity == 1 ? o.name : o.name + "-" + k);
                }
                List<String> vmIds = new ArrayList<>();
                order.path("vmIds").forEach(v -> vmIds.add(v.asText()));
                assertThat(vmIds).as("order %s: its VMs", o.name).hasSize(o.quantity);
                for (String name : names) {
                    // given up: FAILED, or deleted without ever being announced (a create its node left half made)
                    List<String[]> rows = vmsByName.getOrDefault(o.tenant + "/" + name, List.of()).stream()
                            .filter(v -> !"FAILED".equals(v[1]) && !("DELETED".equals(v[1]) && !announced(events, v[0])))
                            .toList();
                    assertThat(rows).as("order %s: VMs named %s that were not given up", o.name, name).hasSize(1);
                    String[] vm = rows.get(0);
                    assertThat(vmIds).as("order %s names VM %s", o.name, name).contains(vm[0]);
                    assertThat(vm[2]).isEqualTo(o.offering);
                    vmStates.merge(vm[1], 1, Integer::sum);
                    Observed seen = events.get(vm[0]);
                    assertThat(seen).as("events of VM %s (%s)", name, vm[0]).isNotNull();
                    assertThat(seen.byId.values()).as("VM %s was announced as created", name)
                            .anySatisfy(e -> assertThat(e.path("type").asText()).isEqualTo("vm.created"));
                    orderedVms++;
                }
            }
            System.out.printf("case 2: %d ordered VMs, each once; their states now %s; provision commands carried out "
                    + "per node (from their logs): %s%n", orderedVms, vmStates, commandsPerNode());

            // no VM of these authorities is left half made
            long provisioning = scalar(c, "SELECT COUNT(*) FROM compute_vm WHERE name LIKE 'inf-%' AND state = 'PROVISIONING'",
                    rs -> rs.getLong(1));
            assertThat(provisioning).as("VMs left PROVISIONING").isZero();

            // every command carried out once
            Map<String, Integer> commands = new TreeMap<>();
            query(c, "SELECT type, state, COUNT(*) FROM compute_command GROUP BY type, state", rs ->
                    commands.put(rs.getString(1) + "/" + rs.getString(2), rs.getInt(3)));
            assertThat(commands).as("compute commands").isEqualTo(Map.of("vm.provision/DONE", transitions.size()));

            // billing: every event metered once, nothing parked
            Map<String, Integer> segmentsPerEvent = new HashMap<>();
            query(c, "SELECT event_id, COUNT(*) FROM billing_usage GROUP BY event_id", rs ->
                    segmentsPerEvent.put(rs.getString(1), rs.getInt(2)));
            assertThat(segmentsPerEvent.values()).as("ledger segments per event").allSatisfy(n -> assertThat(n).isEqualTo(1));
            List<String> parked = new ArrayList<>();
            query(c, "SELECT type, reason FROM billing_parked", rs -> parked.add(rs.getString(1) + ": " + rs.getString(2)));
            assertThat(parked).as("events billing parked").isEmpty();
            Map<String, String> meters = new HashMap<>();
            query(c, "SELECT vm_id, state FROM billing_vm_meter", rs -> meters.put(rs.getString(1), rs.getString(2)));
            int duplicates = 0;
            int eventCount = 0;
            for (Map.Entry<String, Observed> e : events.entrySet()) {
                Observed o = e.getValue();
                duplicates += o.duplicates;
                eventCount += o.byId.size();
                JsonNode last = o.last();
                String expected = "vm.deleted".equals(last.path("type").asText()) ? "DELETED" : last.path("payload").path("state").asText();
                assertThat(meters.get(e.getKey())).as("billing's meter of VM %s after %s", e.getKey(), o.byId.keySet())
                        .isEqualTo(expected);
                List<long[]> segments = new ArrayList<>();
                query(c, "SELECT start_ms, end_ms FROM billing_usage WHERE resource_id = '" + e.getKey() + "' ORDER BY start_ms",
                        rs -> segments.add(new long[] {rs.getLong(1), rs.getLong(2)}));
                for (int i = 1; i < segments.size(); i++) {
                    assertThat(segments.get(i)[0]).as("VM %s: segment %d starts after the one before ends", e.getKey(), i)
                            .isGreaterThanOrEqualTo(segments.get(i - 1)[1]);
                }
            }
            // every VM compute holds has its events at billing
            List<String> unmetered = new ArrayList<>();
            query(c, "SELECT id, name FROM compute_vm WHERE name LIKE 'inf-%' AND state <> 'FAILED'", rs -> {
                if (!meters.containsKey(rs.getString(1))) {
                    unmetered.add(rs.getString(2));
                }
            });
            assertThat(unmetered).as("VMs billing has no meter of").isEmpty();
            System.out.printf("case 2: billing metered %d events of %d VMs once each (%d delivered twice to the test's "
                    + "subscription), %d ledger segments, nothing parked%n", eventCount, events.size(), duplicates,
                    segmentsPerEvent.size());
        }
    }

    private static boolean announced(Map<String, Observed> events, String vmId) {
        Observed o = events.get(vmId);
        return o != null && o.byId.values().stream().anyMatch(e -> "vm.created".equals(e.path("type").asText()));
    }

    /** Provision commands each node answered, counted in its karaf.log (ComputeCommands logs each). */
    private Map<String, Long> commandsPerNode() throws IOException {
        Map<String, Long> out = new TreeMap<>();
        for (ClusterNodes.Node n : cluster.nodes()) {
            out.put("node" + n.number() + (n.number() == victim ? " (killed)" : ""), provisioned(n.number()));
        }
        return out;
    }

    private long provisioned(int node) throws IOException {
        Path log = cluster.node(node).home().resolve("data/log/karaf.log");
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains("ComputeCommands") && l.contains(": vm.provisioned")).count();
        }
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private HttpResponse<String> send(String user, int node, String method, String path, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.node(node).httpPort() + path))
                .header("Authorization", tokens.containsKey(user) ? "Bearer " + tokens.get(user)
                        : "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(60));
        if (json != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Connection db() throws SQLException {
        return DriverManager.getConnection(cluster.databaseUrl(), cluster.postgres().user(), cluster.postgres().password());
    }

    private interface Row {
        void read(ResultSet rs) throws SQLException;
    }

    private interface Value<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static void query(Connection c, String sql, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                row.read(rs);
            }
        }
    }

    private static <T> T scalar(Connection c, String sql, Value<T> value) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("no row: " + sql);
            }
            return value.read(rs);
        }
    }

    private static String scalarOrNull(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /**
     * A libvirt test-driver host with room for exactly 50 VMs of 256 MiB: 14848 MiB physical minus
     * the 2048 MiB reserve at RAM overcommit 1.0 is 12800 MiB; 16 cores x 4.0 = 64 vCPUs, so RAM runs
     * out first; the pool "default-pool" (the test driver caps it at 100 GiB) and the network
     * "default". Every connection that opens the file gets its own copy (docs/design-notes.md).
     */
    private static final String FIT50 = """
            <node>
              <network>
                <name>default</name>
                <forward mode='nat'/>
                <bridge name='virbr0'/>
                <ip address='192.168.122.1' netmask='255.255.255.0'/>
              </network>
              <pool type='dir'>
                <name>default-pool</name>
                <capacity>1099511627776</capacity>
                <allocation>0</allocation>
                <available>1099511627776</available>
                <target><path>/var/lib/verbund/vms</path></target>
              </pool>
              <cpu>
                <mhz>2400</mhz>
                <model>x86_64</model>
                <active>16</active>
                <nodes>1</nodes>
                <sockets>1</sockets>
                <cores>16</cores>
                <threads>1</threads>
              </cpu>
              <memory>15204352</memory>
            </node>
            """;
}

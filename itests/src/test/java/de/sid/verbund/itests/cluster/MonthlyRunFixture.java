package de.sid.verbund.itests.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.reader.TextMessageUtil;

/**
 * The monthly invoice run of a {@link ClusterNodes} cluster, seen from outside: authorities and a
 * month of usage put in as users and compute would, the run held at chosen points with the
 * database's own locks, and its outcome read from the shared PostgreSQL schema.
 *
 * <p>The scheduled run (billing-core {@code Billing.scheduledRun}) is one transaction that first
 * inserts the previous month's {@code billing_run} row, then cuts the VM meters, rates, writes one
 * draft per authority and last the SID's counter-entry statement ({@code period_key}
 * {@code counter|yyyy-MM}). A test transaction holding an uncommitted row under one of those unique
 * keys makes the run wait exactly there, as a second node's run would: {@link #holdRunRow()}
 * before it starts, {@link #holdCounterEntry()} after every authority's draft is written.
 */
final class MonthlyRunFixture {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    /** A valid Leitweg-ID (the demo authority's) for the authorities billed by invoice. */
    private static final String LEITWEG_ID = "04011000-1234512345-06";
    /** The SID's authority id (billing {@code sid.authority.id}), under which its counter-entry is kept. */
    static final String SID = "sid";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClusterNodes cluster;
    /** The month the scheduled run closes: the one before the current (Europe/Berlin). */
    final YearMonth period = YearMonth.now(BERLIN).minusMonths(1);
    /** Since when the period is open: the start, or the last {@link #reopenMonth()}. */
    private Instant openedAt = Instant.EPOCH;

    MonthlyRunFixture(ClusterNodes cluster) {
        this.cluster = cluster;
    }

    /**
     * Before the nodes start: every node checks the monthly run every 10 s ({@code run.check.s},
     * its minimum; the default is an hour, so a run left by a dead node is completed within the
     * hour), and billing-core's {@code BillingComponent} logs at DEBUG, so that each check that
     * does not run the job here leaves a line in {@code karaf.log} ({@link #SKIPPED}).
     */
    void configureNodes() {
        cluster.setAll("de.sid.verbund.billing.cfg", "run.check.s", RUN_CHECK_S);
        cluster.setAll("org.ops4j.pax.logging.cfg", "log4j2.logger.verbundbilling.name",
                "de.sid.verbund.billing.core.internal.BillingComponent");
        cluster.setAll("org.ops4j.pax.logging.cfg", "log4j2.logger.verbundbilling.level", "DEBUG");
    }

    /** Seconds between the nodes' checks of the monthly run. */
    static final int RUN_CHECK_S = 10;

    /** BillingComponent's DEBUG line for a scheduled check that does not run the job here. */
    static final String SKIPPED = "Monthly billing run: another member runs it, or this one has no quorum";

    /** @return a connection of the test to the cluster's schema ({@code application_name} itest) */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(cluster.databaseUrl() + "&ApplicationName=itest", cluster.postgres().user(),
                cluster.postgres().password());
    }

    /** An uncommitted row of the test's own transaction; {@link #close()} rolls it back. */
    final class Hold implements RunHold {
        private final Connection c;
        private final int pid;
        private boolean open = true;

        private Hold(String insert, Object... args) throws SQLException {
            c = connect();
            c.setAutoCommit(false);
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            try (PreparedStatement ps = c.prepareStatement(insert)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.executeUpdate();
            }
        }

        @Override
        public int pid() {
            return pid;
        }

        /** Rolls the row back: whoever waits on its key goes on. */
        @Override
        public void close() throws SQLException {
            if (open) {
                open = false;
                try {
                    c.rollback();
                } finally {
                    c.close();
                }
            }
        }
    }

    /** Holds the period's {@code billing_run} key: a scheduled run waits at its first statement. */
    Hold holdRunRow() throws SQLException {
        return new Hold("INSERT INTO billing_run (period, started_at) VALUES (?, CURRENT_TIMESTAMP)", period.toString());
    }

    /**
     * Opens the period again in a cluster that may have closed it already (the {@link SharedCluster}
     * runs its nodes for several tests, and the first scheduled check after the start closes the
     * month): a transaction of the test locks {@code billing_run} against writers (SHARE ROW
     * EXCLUSIVE: a run in progress ends first, every later run waits at its first statement, the
     * INSERT of the period's row, as it would behind another node's uncommitted run) and deletes the
     * period's row; the period's documents and the year's numbers are deleted and committed on a
     * second connection while no run can start. The lock is the hold: {@link Reopened#close()}
     * commits, and the waiting run inserts the row and closes the month. Every other table (the
     * ledger of metered usage, the authorities) stays as it was: the run rates them again exactly
     * as at the first close of a month.
     *
     * @throws IllegalStateException when the year has documents of another period (their numbers would clash)
     */
    Reopened reopenMonth() throws SQLException {
        Connection hold = connect();
        try {
            hold.setAutoCommit(false);
            int pid;
            try (Statement s = hold.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            try (Statement s = hold.createStatement()) {
                s.execute("LOCK TABLE billing_run IN SHARE ROW EXCLUSIVE MODE");
            }
            openedAt = Instant.now().minusSeconds(1);
            try (PreparedStatement ps = hold.prepareStatement("DELETE FROM billing_run WHERE period = ?")) {
                ps.setString(1, period.toString());
                ps.executeUpdate();
            }
            int year = period.getYear();
            int others = count("SELECT count(*) FROM billing_invoice WHERE period <> ? AND number LIKE ?", period.toString(),
                    year + "-%");
            if (others > 0) {
                throw new IllegalStateException(others + " documents of " + year + " belong to other periods than " + period);
            }
            try (Connection c = connect(); PreparedStatement lines = c.prepareStatement("DELETE FROM billing_invoice_line WHERE "
                    + "invoice_id IN (SELECT id FROM billing_invoice WHERE period = ?)");
                    PreparedStatement docs = c.prepareStatement("DELETE FROM billing_invoice WHERE period = ?");
                    PreparedStatement numbers = c.prepareStatement("DELETE FROM billing_invoice_number WHERE number_year = ?")) {
                c.setAutoCommit(false);
                lines.setString(1, period.toString());
                lines.executeUpdate();
                docs.setString(1, period.toString());
                docs.executeUpdate();
                numbers.setInt(1, year);
                numbers.executeUpdate();
                c.commit();
            }
            return new Reopened(hold, pid);
        } catch (SQLException | RuntimeException e) {
            hold.close();
            throw e;
        }
    }

    /** The hold of a reopened month ({@link #reopenMonth()}); {@link #close()} commits it: the month may be run. */
    final class Reopened implements RunHold {
        private final Connection c;
        private final int pid;
        private boolean open = true;

        private Reopened(Connection c, int pid) {
            this.c = c;
            this.pid = pid;
        }

        @Override
        public int pid() {
            return pid;
        }

        @Override
        public void close() throws SQLException {
            if (open) {
                open = false;
                try {
                    c.commit();
                } finally {
                    c.close();
                }
            }
        }
    }

    /** What keeps the scheduled run of the period waiting at its first statement until {@link #close()}. */
    interface RunHold extends AutoCloseable {
        /** @return the backend process id of the holding transaction */
        int pid();

        @Override
        void close() throws SQLException;
    }

    /**
     * Holds the key of the period's counter-entry statement: a run waits after it has written every
     * authority's draft, at the last document.
     */
    Hold holdCounterEntry() throws SQLException {
        return new Hold("INSERT INTO billing_invoice (id, kind, state, authority_id, period, period_key, seller_json, "
                + "buyer_json, net, vat_rate, vat, gross, watermark, rated_at) VALUES (?, 'COST_ALLOCATION', 'DRAFT', ?, ?, ?, "
                + "'{}', '{}', 0, 0, 0, 0, 0, CURRENT_TIMESTAMP)", UUID.randomUUID().toString(), SID, period.toString(),
                "counter|" + period);
    }

    /** A database session of a node (or of anyone) waiting on a lock. */
    record Waiter(int pid, String node, String query) {
    }

    /** @return the sessions whose lock waits are blocked by the backend {@code blockerPid} */
    List<Waiter> waitingOn(int blockerPid) throws SQLException {
        List<Waiter> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT pid, application_name, query FROM "
                + "pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid)) ORDER BY pid")) {
            ps.setInt(1, blockerPid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Waiter(rs.getInt(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return out;
    }

    /** @return the tables a backend has written to in its open transaction (its granted RowExclusiveLocks) */
    List<String> tablesWrittenBy(int pid) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT c.relname FROM pg_locks l JOIN "
                + "pg_class c ON c.oid = l.relation WHERE l.pid = ? AND l.granted AND l.mode = 'RowExclusiveLock' "
                + "AND c.relkind = 'r' ORDER BY c.relname")) {
            ps.setInt(1, pid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * @return committed {@code billing_run} rows of the period begun since it was opened (the row a
     *         reopened month's hold has deleted but not yet committed is still visible to others, and
     *         not counted)
     */
    int runRows() throws SQLException {
        return count("SELECT count(*) FROM billing_run WHERE period = ? AND started_at >= ?", period.toString(),
                java.sql.Timestamp.from(openedAt));
    }

    /** @return how many lines of node {@code n}'s log contain {@code text} (to compare with an earlier count) */
    int logCount(int n, String text) throws java.io.IOException {
        return cluster.logLines(n, text).size();
    }

    int count(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Creates authorities through node {@code n}'s REST API, alternately billed by invoice (with
     * Leitweg-ID and billing address) and by internal cost allocation.
     *
     * @return their ids
     */
    List<String> createAuthorities(int n, String prefix, int count) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + " " + (i + 1) + " " + UUID.randomUUID().toString().substring(0, 6);
            String body = i % 2 == 0
                    ? "{\"name\":\"" + name + "\",\"kind\":\"MINISTRY\",\"costCentre\":\"KST-" + i + "\",\"billingMode\":\"INVOICE\","
                            + "\"leitwegId\":\"" + LEITWEG_ID + "\",\"billingAddress\":{\"line1\":\"Teststraße " + i
                            + "\",\"postalCode\":\"01099\",\"city\":\"Dresden\",\"countryCode\":\"DE\"}}"
                    : "{\"name\":\"" + name + "\",\"kind\":\"MINISTRY\",\"costCentre\":\"KST-" + i + "\",\"billingMode\":\"INTERNAL\"}";
            HttpResponse<String> r = cluster.post(n, "/api/authorities", body);
            assertThat(r.statusCode()).as("POST /api/authorities on node %d: %s", n, r.body()).isEqualTo(201);
            ids.add(JSON.readTree(r.body()).path("id").asText());
        }
        return ids;
    }

    /** @return every authority's id and billing mode, read through node {@code n} */
    Map<String, String> authorities(int n) throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode a : cluster.get(n, "/api/authorities?limit=500").path("items")) {
            out.put(a.path("id").asText(), a.path("billingMode").asText());
        }
        return out;
    }

    /**
     * Publishes, as compute's outbox would, two hours of an M VM on the 10th of the period for each
     * authority ({@code vm.created}, {@code vm.deleted} on topic {@code compute.events}) to the
     * shared broker, so that the billing of whichever node gets them meters them.
     *
     * @return the VM ids, one per authority
     */
    List<String> publishUsage(String brokerUrl, List<String> authorityIds) throws Exception {
        List<String> vms = new ArrayList<>();
        Instant start = period.atDay(10).atTime(8, 0).atZone(BERLIN).toInstant();
        try (ServerLocator locator = ActiveMQClient.createServerLocator(brokerUrl);
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession();
                ClientProducer producer = session.createProducer("compute.events")) {
            for (String authority : authorityIds) {
                String vm = UUID.randomUUID().toString();
                vms.add(vm);
                send(session, producer, "vm.created", authority, vm, start);
                send(session, producer, "vm.deleted", authority, vm, start.plus(Duration.ofHours(2)));
            }
        }
        return vms;
    }

    private static void send(ClientSession session, ClientProducer producer, String type, String tenant, String vmId,
            Instant at) throws Exception {
        ObjectNode event = JSON.createObjectNode();
        String eventId = UUID.randomUUID().toString();
        event.put("eventId", eventId).put("type", type).put("occurredAt", at.toString()).put("tenantId", tenant);
        event.putObject("payload").put("vmId", vmId).put("name", "part-" + vmId.substring(0, 6)).put("offeringId", "vm-m")
                .put("state", "vm.deleted".equals(type) ? "DELETED" : "RUNNING").put("vcpu", 2).put("ramMib", 4096)
                .put("diskGib", 20);
        ClientMessage m = session.createMessage(Message.TEXT_TYPE, true);
        TextMessageUtil.writeBodyText(m.getBodyBuffer(), SimpleString.of(event.toString()));
        m.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID, SimpleString.of(eventId));
        m.putStringProperty("verbundEventType", type);
        m.putStringProperty("verbundTenantId", tenant);
        m.putStringProperty(Message.HDR_GROUP_ID, SimpleString.of(tenant));
        m.setRoutingType(RoutingType.MULTICAST);
        producer.send(m);
    }

    /** Waits until every VM's closed segment is in the ledger. */
    void awaitMetered(List<String> vmIds, Duration atMost) {
        String in = String.join(",", vmIds.stream().map(v -> "'" + v + "'").toList());
        await().atMost(atMost).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(
                count("SELECT count(DISTINCT resource_id) FROM billing_usage WHERE kind = 'SEGMENT' AND resource_id IN (" + in + ")"))
                .as("VMs metered").isEqualTo(vmIds.size()));
    }

    /** A document of the period as stored. */
    record Doc(String id, String authorityId, String kind, String state, String number) {
    }

    /** @return the period's invoices and cost allocations (no credit notes), by authority */
    List<Doc> documents() throws SQLException {
        List<Doc> out = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT id, authority_id, kind, state, number "
                + "FROM billing_invoice WHERE period = ? AND kind <> 'CREDIT_NOTE' ORDER BY authority_id, kind")) {
            ps.setString(1, period.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Doc(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    /**
     * Finalises the period's drafts through the REST API of the given nodes, round robin, in
     * parallel: the authorities' documents first, the SID's counter-entry (which needs the cost
     * allocations final) last.
     *
     * @return the HTTP status of each finalisation, by document id
     */
    Map<String, Integer> finalizeAll(List<Doc> drafts, int... nodes) throws Exception {
        Map<String, Integer> statuses = new LinkedHashMap<>();
        List<Doc> first = drafts.stream().filter(d -> !SID.equals(d.authorityId())).toList();
        List<Doc> last = drafts.stream().filter(d -> SID.equals(d.authorityId())).toList();
        for (List<Doc> batch : List.of(first, last)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                Map<String, Future<HttpResponse<String>>> calls = new LinkedHashMap<>();
                for (int i = 0; i < batch.size(); i++) {
                    Doc d = batch.get(i);
                    int node = nodes[i % nodes.length];
                    calls.put(d.id(), pool.submit(() -> cluster.post(node, "/api/invoices/" + d.id() + "/finalize", "")));
                }
                for (Map.Entry<String, Future<HttpResponse<String>>> e : calls.entrySet()) {
                    HttpResponse<String> r = e.getValue().get();
                    statuses.put(e.getKey(), r.statusCode());
                    if (r.statusCode() != 200) {
                        System.out.printf("finalising %s: %d %s%n", e.getKey(), r.statusCode(), r.body());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        return statuses;
    }

    /**
     * The month is closed exactly once: one {@code billing_run} row, one document per authority
     * with usage plus the SID's counter-entry when some authority is billed internally, all FINAL,
     * and the year's numbers {@code yyyy-000001} … without a gap.
     *
     * @param billed the authorities that had usage in the period, with their billing mode
     */
    void assertClosedOnce(Map<String, String> billed) throws SQLException {
        assertThat(runRows()).as("billing_run rows of %s", period).isEqualTo(1);
        List<Doc> docs = documents();
        Map<String, List<Doc>> byAuthority = new TreeMap<>();
        docs.forEach(d -> byAuthority.computeIfAbsent(d.authorityId(), k -> new ArrayList<>()).add(d));
        Map<String, String> expected = new TreeMap<>();
        billed.forEach((a, mode) -> expected.put(a, "INTERNAL".equals(mode) ? "COST_ALLOCATION" : "INVOICE"));
        if (billed.containsValue("INTERNAL")) {
            expected.put(SID, "COST_ALLOCATION");
        }
        Map<String, String> actual = new TreeMap<>();
        byAuthority.forEach((a, l) -> actual.put(a, l.size() == 1 ? l.get(0).kind() : l.size() + " documents"));
        assertThat(actual).as("one document per authority for %s", period).isEqualTo(expected);
        assertThat(docs).as("all final").allMatch(d -> "FINAL".equals(d.state()) && d.number() != null);
        assertGapFree(docs.get(0).number().substring(0, 4));
    }

    /** The year's document numbers are {@code yyyy-000001} up to their count: none missing, none twice. */
    void assertGapFree(String year) throws SQLException {
        List<Integer> numbers = new ArrayList<>();
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement("SELECT number FROM billing_invoice WHERE "
                + "number LIKE ? ORDER BY number")) {
            ps.setString(1, year + "-%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    numbers.add(Integer.parseInt(rs.getString(1).substring(5)));
                }
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 1; i <= numbers.size(); i++) {
            expected.add(i);
        }
        assertThat(numbers).as("numbers of %s", year).isEqualTo(expected);
        int last = count("SELECT COALESCE(MAX(last_number), 0) FROM billing_invoice_number WHERE number_year = ?",
                Integer.parseInt(year));
        assertThat(last).as("the year's counter: no number taken and lost").isEqualTo(numbers.size());
    }
}

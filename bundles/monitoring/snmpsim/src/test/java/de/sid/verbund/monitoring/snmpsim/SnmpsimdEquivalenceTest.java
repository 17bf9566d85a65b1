package de.sid.verbund.monitoring.snmpsim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import de.sid.verbund.testsupport.Snmpsimd;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.Snmp;
import org.snmp4j.asn1.BEROutputStream;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * The replay agent answers exactly as Debian's snmpsimd does, for every recording in
 * {@code shared/data/snmprec}: both serve a copy of the directory, and every request goes to
 * both; responses must agree in PDU type, error status and index, and every varbind's OID,
 * type and value (BER bytes). Per community: a full SNMPv2c GETNEXT walk, an SNMPv1 GETNEXT
 * walk with eight cursors, GETBULK walks with max-repetitions 10 (one repeater) and 50 (one
 * non-repeater, three repeaters: capped at 21 rounds), SNMPv2c and SNMPv1 GETs of every 7th
 * record and of OIDs that are not there, and edge cases (past the end, empty requests,
 * max-repetitions 0 and 100, SET).
 *
 * <p>snmpsimd dies when a request reaches a line with a non-numeric OID (the anonymised
 * {@code 10.xx.xx.100} lines of {@code windows_svr_2019_1809}); its copy leaves out the lines
 * the parser skips, so both serve the same records. Two snmpsimd processes share the work
 * (snmpsimd is single-threaded Python, about 1,000 requests/s here).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SnmpsimdEquivalenceTest {
    private static final Logger LOG = LoggerFactory.getLogger(SnmpsimdEquivalenceTest.class);
    private static final int SNMPSIMD_PROCESSES = 2;
    private static final int THREADS_PER_SNMPSIMD = 4;
    private static final OID ZERO = new OID("0.0");
    private static final OID PAST_END = new OID("2.999999");

    @TempDir
    static Path tmp;

    private static DataDirectory data;
    private static Snmpsimd snmpsimd;
    private static final List<UdpAddress> snmpsimdAddresses = new ArrayList<>();
    private static ReplayAgent agent;
    private static UdpAddress agentAddress;
    private static Snmp client;

    @BeforeAll
    static void start() throws Exception {
        Path shared = SharedData.snmprecDir();
        Path ours = Files.createDirectories(tmp.resolve("ours"));
        Path theirs = Files.createDirectories(tmp.resolve("snmpsimd"));
        try (Stream<Path> files = Files.list(shared)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".snmprec")).toList()) {
                Files.copy(f, ours.resolve(f.getFileName()));
            }
        }
        data = DataDirectory.load(ours);
        Map<Path, Set<Integer>> skipped = data.problems().stream().collect(Collectors.groupingBy(
                p -> p.file().getFileName(), Collectors.mapping(SnmprecProblem::line, Collectors.toSet())));
        Snmpsimd.copyWithout(ours, theirs, skipped);

        agent = ReplayAgent.start(data.tables(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        agentAddress = new UdpAddress(agent.address().getAddress(), agent.address().getPort());

        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        client = new Snmp(dispatcher, new DefaultUdpTransportMapping(new UdpAddress(InetAddress.getLoopbackAddress(), 0)));
        client.listen();

        snmpsimd = Snmpsimd.start(theirs, tmp, SNMPSIMD_PROCESSES);
        for (int port : snmpsimd.ports()) {
            snmpsimdAddresses.add(new UdpAddress(InetAddress.getLoopbackAddress(), port));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int i = 0; i < SNMPSIMD_PROCESSES; i++) {
            while (get(snmpsimdAddresses.get(i), "netmanplus_204", 300, new OID("1.3.6.1.2.1.1.1.0")) == null) {
                assertThat(snmpsimd.isAlive(i)).as("snmpsimd %d is running (log: %s)", i, snmpsimd.log(i)).isTrue();
                assertThat(System.nanoTime()).as("snmpsimd %d answers within 60 s", i).isLessThan(deadline);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (snmpsimd != null) {
            snmpsimd.close();
        }
        if (client != null) {
            client.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    private static PDU get(UdpAddress address, String community, long timeoutMs, OID oid) throws IOException {
        PDU pdu = new PDU();
        pdu.setType(PDU.GET);
        pdu.add(new VariableBinding(oid));
        ResponseEvent<UdpAddress> e = client.send(pdu, target(address, community, SnmpConstants.version2c, timeoutMs, 0));
        return e.getResponse();
    }

    private static CommunityTarget<UdpAddress> target(UdpAddress address, String community, int version,
                                                      long timeoutMs, int retries) {
        CommunityTarget<UdpAddress> t = new CommunityTarget<>(address, new OctetString(community));
        t.setVersion(version);
        t.setTimeout(timeoutMs);
        t.setRetries(retries);
        return t;
    }

    @Test
    void everyRecordingIsAnsweredAsSnmpsimdAnswersIt() throws Exception {
        long started = System.nanoTime();
        List<RecordTable> tables = new ArrayList<>(data.tables().values());
        tables.sort(Comparator.comparingInt(RecordTable::size).reversed());
        long[] load = new long[SNMPSIMD_PROCESSES];
        List<ExecutorService> pools = new ArrayList<>();
        for (int i = 0; i < SNMPSIMD_PROCESSES; i++) {
            pools.add(Executors.newFixedThreadPool(THREADS_PER_SNMPSIMD));
        }
        ConcurrentLinkedQueue<String> differences = new ConcurrentLinkedQueue<>();
        List<Future<Comparison>> results = new ArrayList<>();
        for (RecordTable table : tables) {
            int instance = 0;
            for (int i = 1; i < SNMPSIMD_PROCESSES; i++) {
                instance = load[i] < load[instance] ? i : instance;
            }
            load[instance] += table.size();
            UdpAddress theirs = snmpsimdAddresses.get(instance);
            results.add(pools.get(instance).submit(() -> new Comparison(table, theirs, differences).run()));
        }
        long requests = 0;
        long varbinds = 0;
        for (Future<Comparison> f : results) {
            Comparison c = f.get();
            requests += c.requests;
            varbinds += c.varbinds.get();
            assertThat(c.walked).as("%s: records reached by the GETNEXT walk", c.table.community())
                    .isEqualTo(c.table.size());
        }
        pools.forEach(ExecutorService::shutdown);
        for (int i = 0; i < SNMPSIMD_PROCESSES; i++) {
            assertThat(snmpsimd.isAlive(i)).as("snmpsimd %d still running", i).isTrue();
        }
        LOG.info("{} communities, {} records: {} requests with {} varbinds compared in {} ms", tables.size(),
                data.records(), requests, varbinds, (System.nanoTime() - started) / 1_000_000);
        assertThat(differences).as("%d answers differ from snmpsimd's; the first 20: %s", differences.size(),
                differences.stream().limit(20).map(d -> d.length() > 600 ? d.substring(0, 600) + "…" : d)
                        .collect(Collectors.joining("\n", "\n", ""))).isEmpty();
        assertThat(requests).isGreaterThan(data.records());
    }

    @Test
    void anUnknownCommunityIsNotAnswered() throws Exception {
        OID sysDescr = new OID("1.3.6.1.2.1.1.1.0");
        assertThat(get(snmpsimdAddresses.get(0), "no-such-device", 500, sysDescr)).isNull();
        assertThat(get(agentAddress, "no-such-device", 500, sysDescr)).isNull();
        assertThat(get(agentAddress, "netmanplus_204", 2000, sysDescr)).isNotNull();
    }

    /** One community's requests, each sent to snmpsimd and to the replay agent. */
    private static final class Comparison {
        private final RecordTable table;
        private final UdpAddress theirs;
        private final ConcurrentLinkedQueue<String> differences;
        private final String community;
        private final AtomicLong varbinds = new AtomicLong();
        private long requests;
        private int walked;

        Comparison(RecordTable table, UdpAddress theirs, ConcurrentLinkedQueue<String> differences) {
            this.table = table;
            this.theirs = theirs;
            this.differences = differences;
            this.community = table.community();
        }

        Comparison run() throws IOException {
            getNextWalk();
            v1GetNextWalk(8);
            bulkWalk(10);
            bulkColumns(50, 3);
            gets();
            edges();
            return this;
        }

        /** Sends {@code request} to both; returns snmpsimd's response, or null after a difference or no answer. */
        private PDU compare(String label, int version, PDU request) throws IOException {
            requests++;
            PDU a = send(theirs, version, request);
            PDU b = send(agentAddress, version, request);
            String diff = difference(a, b);
            if (diff != null) {
                differences.add(community + ": " + label + ": " + describe(request) + ": " + diff);
                return null;
            }
            if (a != null) {
                varbinds.addAndGet(a.size());
            }
            return a;
        }

        private PDU send(UdpAddress address, int version, PDU request) throws IOException {
            PDU copy = (PDU) request.clone();
            return client.send(copy, target(address, community, version, 5000, 1)).getResponse();
        }

        private void getNextWalk() throws IOException {
            OID oid = ZERO;
            while (true) {
                PDU r = compare("v2c GETNEXT walk", SnmpConstants.version2c, pdu(false, PDU.GETNEXT, oid));
                if (r == null || r.get(0).getVariable().isException()) {
                    return;
                }
                walked++;
                oid = r.get(0).getOid();
            }
        }

        /** SNMPv1 GETNEXT with several cursors in one request; a noSuchName drops the failing cursor. */
        private void v1GetNextWalk(int cursors) throws IOException {
            List<OID> oids = new ArrayList<>();
            List<OID> ends = new ArrayList<>();
            for (int k = 0; k < cursors; k++) {
                oids.add(k == 0 ? ZERO : table.at(k * table.size() / cursors).getOid());
                ends.add(k + 1 < cursors ? table.at((k + 1) * table.size() / cursors).getOid() : null);
            }
            while (!oids.isEmpty()) {
                PDU r = compare("v1 GETNEXT walk", SnmpConstants.version1,
                        pdu(true, PDU.GETNEXT, oids.toArray(new OID[0])));
                if (r == null) {
                    return;
                }
                if (r.getErrorStatus() == PDU.noSuchName) {
                    int failed = r.getErrorIndex() - 1;
                    oids.remove(failed);
                    ends.remove(failed);
                    continue;
                }
                for (int k = oids.size() - 1; k >= 0; k--) {
                    OID next = r.get(k).getOid();
                    if (ends.get(k) != null && next.compareTo(ends.get(k)) >= 0) {
                        oids.remove(k);
                        ends.remove(k);
                    } else {
                        oids.set(k, next);
                    }
                }
            }
        }

        private void bulkWalk(int maxRepetitions) throws IOException {
            OID oid = ZERO;
            while (true) {
                PDU r = compare("GETBULK walk max-repetitions " + maxRepetitions, SnmpConstants.version2c,
                        bulk(0, maxRepetitions, oid));
                if (r == null || r.size() == 0) {
                    return;
                }
                VariableBinding last = r.get(r.size() - 1);
                if (last.getVariable().isException()) {
                    return;
                }
                oid = last.getOid();
            }
        }

        /** GETBULK with sysUpTime as non-repeater and {@code columns} repeaters walking a part of the table each. */
        private void bulkColumns(int maxRepetitions, int columns) throws IOException {
            OID[] oids = new OID[columns + 1];
            OID[] ends = new OID[columns];
            oids[0] = new OID("1.3.6.1.2.1.1.3");
            for (int k = 0; k < columns; k++) {
                oids[k + 1] = k == 0 ? ZERO : table.at(k * table.size() / columns).getOid();
                ends[k] = k + 1 < columns ? table.at((k + 1) * table.size() / columns).getOid() : null;
            }
            while (true) {
                PDU r = compare("GETBULK non-repeaters 1, " + columns + " repeaters, max-repetitions " + maxRepetitions,
                        SnmpConstants.version2c, bulk(1, maxRepetitions, oids));
                if (r == null || r.size() <= 1) {
                    return;
                }
                boolean going = false;
                for (int k = 0; k < columns; k++) {
                    VariableBinding last = r.get(r.size() - columns + k);
                    oids[k + 1] = last.getOid();
                    boolean done = last.getVariable().isException()
                            || (ends[k] != null && last.getOid().compareTo(ends[k]) >= 0);
                    going |= !done;
                }
                if (!going) {
                    return;
                }
            }
        }

        /** Every 7th record, OIDs just below and after it, and its parent: in batches of 10 (v2c) and 5 (v1). */
        private void gets() throws IOException {
            List<OID> oids = new ArrayList<>();
            for (int i = 0; i < table.size(); i += 7) {
                OID oid = table.at(i).getOid();
                oids.add(oid);
                oids.add(new OID(oid).append(0));
                oids.add(oid.trim());
                OID after = new OID(oid);
                after.set(after.size() - 1, after.get(after.size() - 1) + 1);
                oids.add(after);
            }
            for (int i = 0; i < oids.size(); i += 10) {
                compare("v2c GET", SnmpConstants.version2c,
                        pdu(false, PDU.GET, oids.subList(i, Math.min(i + 10, oids.size())).toArray(new OID[0])));
            }
            for (int i = 0; i < oids.size(); i += 20) {
                compare("v1 GET", SnmpConstants.version1,
                        pdu(true, PDU.GET, oids.subList(i, Math.min(i + 5, oids.size())).toArray(new OID[0])));
            }
            Set<OID> counter64 = new HashSet<>();
            for (int i = 0; i < table.size() && counter64.size() < 3; i++) {
                if (table.isCounter64(i)) {
                    counter64.add(table.at(i).getOid());
                }
            }
            for (OID oid : counter64) {
                compare("v1 GET of a Counter64", SnmpConstants.version1, pdu(true, PDU.GET, ZERO, oid, PAST_END));
                compare("v1 GETNEXT before a Counter64", SnmpConstants.version1, pdu(true, PDU.GETNEXT, oid.trim()));
            }
        }

        private void edges() throws IOException {
            OID last = table.size() > 0 ? table.at(table.size() - 1).getOid() : ZERO;
            compare("v2c GETNEXT past the end", SnmpConstants.version2c, pdu(false, PDU.GETNEXT, ZERO, last, PAST_END));
            compare("v1 GETNEXT past the end", SnmpConstants.version1, pdu(true, PDU.GETNEXT, ZERO, last));
            compare("GETBULK past the end, max-repetitions 100", SnmpConstants.version2c, bulk(0, 100, last));
            compare("GETBULK max-repetitions 0", SnmpConstants.version2c, bulk(0, 0, ZERO));
            compare("GETBULK non-repeaters only", SnmpConstants.version2c, bulk(5, 3, ZERO, last));
            compare("GETBULK without varbinds", SnmpConstants.version2c, bulk(0, 10));
            compare("GET without varbinds", SnmpConstants.version2c, pdu(false, PDU.GET));
            PDU set = pdu(false, PDU.SET);
            set.add(new VariableBinding(new OID("1.3.6.1.2.1.1.5.0"), new OctetString("renamed")));
            compare("v2c SET", SnmpConstants.version2c, set);
            PDU setV1 = pdu(true, PDU.SET);
            setV1.add(new VariableBinding(new OID("1.3.6.1.2.1.1.5.0"), new OctetString("renamed")));
            compare("v1 SET", SnmpConstants.version1, setV1);
        }

        private static PDU pdu(boolean v1, int type, OID... oids) {
            PDU pdu = v1 ? new PDUv1() : new PDU();
            pdu.setType(type);
            for (OID oid : oids) {
                pdu.add(new VariableBinding(oid));
            }
            return pdu;
        }

        private static PDU bulk(int nonRepeaters, int maxRepetitions, OID... oids) {
            PDU pdu = pdu(false, PDU.GETBULK, oids);
            pdu.setNonRepeaters(nonRepeaters);
            pdu.setMaxRepetitions(maxRepetitions);
            return pdu;
        }
    }

    /** Null when both agree; what differs otherwise. */
    static String difference(PDU a, PDU b) {
        if (a == null || b == null) {
            return a == b ? null : "snmpsimd " + (a == null ? "did not answer" : "answered") + ", replay agent "
                    + (b == null ? "did not answer" : "answered");
        }
        if (a.getType() != b.getType() || a.getErrorStatus() != b.getErrorStatus()
                || a.getErrorIndex() != b.getErrorIndex() || a.size() != b.size()) {
            return "snmpsimd " + header(a) + ", replay agent " + header(b);
        }
        for (int i = 0; i < a.size(); i++) {
            VariableBinding x = a.get(i);
            VariableBinding y = b.get(i);
            if (!x.getOid().equals(y.getOid()) || x.getVariable().getSyntax() != y.getVariable().getSyntax()
                    || !Arrays.equals(ber(x.getVariable()), ber(y.getVariable()))) {
                return "varbind " + (i + 1) + ": snmpsimd " + x.getOid() + " = " + x.getVariable().getSyntaxString()
                        + ": " + x.toValueString() + ", replay agent " + y.getOid() + " = "
                        + y.getVariable().getSyntaxString() + ": " + y.toValueString();
            }
        }
        return null;
    }

    private static String header(PDU p) {
        return PDU.getTypeString(p.getType()) + " status " + p.getErrorStatus() + " index " + p.getErrorIndex()
                + " with " + p.size() + " varbinds";
    }

    private static byte[] ber(Variable v) {
        try {
            BEROutputStream out = new BEROutputStream(java.nio.ByteBuffer.allocate(v.getBERLength()));
            v.encodeBER(out);
            return out.getBuffer().array();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(PDU request) {
        String oids = request.getVariableBindings().stream().map(vb -> vb.getOid().toDottedString())
                .collect(Collectors.joining(", ", "[", "]"));
        return PDU.getTypeString(request.getType()) + (request.getType() == PDU.GETBULK
                ? "(" + request.getNonRepeaters() + "," + request.getMaxRepetitions() + ")" : "") + " " + oids;
    }
}

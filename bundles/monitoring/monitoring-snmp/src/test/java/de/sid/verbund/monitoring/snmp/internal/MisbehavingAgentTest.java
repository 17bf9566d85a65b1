package de.sid.verbund.monitoring.snmp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.WalkEnd;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.OctetStrings;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.monitoring.smi.TextualConvention;
import de.sid.verbund.monitoring.smi.VarBind;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.snmp4j.PDU;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.TimeTicks;
import org.snmp4j.smi.Variable;

/**
 * Walks against agents that misbehave in ways net-snmp cannot be made to: purpose-built
 * SNMP4J agents ({@link ScriptedAgent}) on loopback.
 */
@Timeout(120)
class MisbehavingAgentTest {
    static final Oid IF_DESCR = Oid.parse("1.3.6.1.2.1.2.2.1.2");
    static final Oid IF_TYPE = Oid.parse("1.3.6.1.2.1.2.2.1.3");
    static final Oid IF_PHYS_ADDRESS = Oid.parse("1.3.6.1.2.1.2.2.1.6");
    static final Oid IF_ALIAS = Oid.parse("1.3.6.1.2.1.31.1.1.1.18");

    static Snmp4jClient client;

    @BeforeAll
    static void start() throws IOException {
        client = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2);
    }

    @AfterAll
    static void stop() {
        client.close();
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** sysUpTime.0 and an ifTable with ifDescr and ifType for ifIndex 1..rows. */
    static Map<OID, Variable> ifTable(int rows, int descrLength) {
        Map<OID, Variable> mib = new TreeMap<>();
        mib.put(new OID("1.3.6.1.2.1.1.3.0"), new TimeTicks(123_456));
        for (int i = 1; i <= rows; i++) {
            String descr = String.format("GigabitEthernet1/0/%d uplink", i);
            descr = (descr + " ".repeat(descrLength)).substring(0, descrLength);
            mib.put(new OID(IF_DESCR.toIntArray(), i), new OctetString(descr));
            mib.put(new OID(IF_TYPE.toIntArray(), i), new Integer32(6));
        }
        return mib;
    }

    static OID ifDescr(int index) {
        return new OID(IF_DESCR.toIntArray(), index);
    }

    static List<Long> indexes(WalkResult walk) {
        return walk.rows().stream().map(v -> v.oid().arc(v.oid().size() - 1)).toList();
    }

    @Test
    void agentAnsweringGetNextWithTheOidItWasAskedForEndsThePartialWalkAndTheNextTableIsPolled() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(ifTable(5, 20))) {
            OID stuck = ifDescr(3);
            var correct = agent.successor;
            agent.successor = oid -> oid.compareTo(stuck) >= 0 && oid.startsWith(new OID(IF_DESCR.toIntArray())) ? oid : correct.apply(oid);

            for (SnmpTarget target : List.of(agent.v2c("echo-v2c"), agent.v1("echo-v1"))) {
                PollResult poll = await(client.poll(target, new PollRequest(List.of(), List.of(IF_DESCR, IF_TYPE))));
                WalkResult descr = poll.walks().get(IF_DESCR);
                assertThat(descr.end()).as(target.version() + " " + descr.detail()).isEqualTo(WalkEnd.OID_NOT_INCREASING);
                assertThat(descr.status()).isEqualTo(WalkResult.Status.PARTIAL);
                assertThat(descr.isPartial()).isTrue();
                assertThat(indexes(descr)).containsExactly(1L, 2L, 3L);
                assertThat(descr.detail()).startsWith("agent returned 1.3.6.1.2.1.2.2.1.2.3 after 1.3.6.1.2.1.2.2.1.2.3");
                WalkResult type = poll.walks().get(IF_TYPE);
                assertThat(type.status()).as(type.detail()).isEqualTo(WalkResult.Status.COMPLETE);
                assertThat(indexes(type)).containsExactly(1L, 2L, 3L, 4L, 5L);
                assertThat(poll.reachable()).isTrue();
            }
        }
    }

    @Test
    void agentCyclingThroughThreeOidsEndsThePartialWalkAndTheNextTableIsPolled() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(ifTable(8, 20))) {
            // ... 3 -> 4 -> 5 -> 3 -> 4 -> 5 ...
            var correct = agent.successor;
            agent.successor = oid -> oid.equals(ifDescr(5)) ? ifDescr(3) : correct.apply(oid);

            for (SnmpTarget target : List.of(agent.v2c("cycle-v2c"), agent.v1("cycle-v1"))) {
                PollResult poll = await(client.poll(target, new PollRequest(List.of(), List.of(IF_DESCR, IF_TYPE))));
                WalkResult descr = poll.walks().get(IF_DESCR);
                assertThat(descr.end()).as(target.version() + " " + descr.detail()).isEqualTo(WalkEnd.OID_NOT_INCREASING);
                assertThat(indexes(descr)).containsExactly(1L, 2L, 3L, 4L, 5L);
                assertThat(descr.detail()).startsWith("agent returned 1.3.6.1.2.1.2.2.1.2.3 after 1.3.6.1.2.1.2.2.1.2.5; 5 rows kept");
                assertThat(poll.walks().get(IF_TYPE).status()).isEqualTo(WalkResult.Status.COMPLETE);
                assertThat(indexes(poll.walks().get(IF_TYPE))).hasSize(8);
            }
        }
    }

    @Test
    void agentAnsweringTooBigAbove1400BytesStillGivesAll98RowsAndTheClientRemembers() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(ifTable(98, 40))) {
            agent.tooBigAbove = 1400;
            SnmpTarget target = agent.v2c("small-buffers");

            WalkResult first = await(client.walk(target, IF_DESCR));
            assertThat(first.status()).as(first.detail()).isEqualTo(WalkResult.Status.COMPLETE);
            assertThat(first.rows()).hasSize(98);
            assertThat(indexes(first)).isEqualTo(java.util.stream.LongStream.rangeClosed(1, 98).boxed().toList());
            assertThat(first.rows()).allSatisfy(v -> assertThat(((SnmpValue.OctetString) v.value()).length()).isEqualTo(40));
            int tooBigs = agent.tooBigAnswers.get();
            assertThat(tooBigs).isPositive();
            assertThat(client.maxRepetitions(target)).isLessThan(SnmpTarget.DEFAULT_MAX_REPETITIONS);

            // the next walk starts with what worked: no tooBig any more
            WalkResult second = await(client.walk(target, IF_DESCR));
            assertThat(second.rows()).isEqualTo(first.rows());
            assertThat(agent.tooBigAnswers.get()).isEqualTo(tooBigs);
            assertThat(second.requests()).isLessThan(first.requests());
        }
    }

    @Test
    void tooBigEvenForOneVarbindFailsTheWalkWithTheFacts() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(ifTable(3, 40))) {
            agent.tooBigAbove = 60;
            WalkResult walk = await(client.walk(agent.v2c("tiny"), IF_DESCR));
            assertThat(walk.end()).isEqualTo(WalkEnd.ERROR_STATUS);
            assertThat(walk.status()).isEqualTo(WalkResult.Status.FAILED);
            assertThat(walk.detail()).isEqualTo("GETNEXT after 1.3.6.1.2.1.2.2.1.2 answered tooBig (1) for a single variable binding");
            assertThat(walk.rows()).isEmpty();
        }
    }

    @Test
    void agentThatIgnoresGetBulkIsWalkedWithGetNext() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(ifTable(6, 20))) {
            agent.ignoreBulk = true;
            SnmpTarget target = agent.v2c("no-bulk").withTimeout(Duration.ofMillis(500)).withRetries(0).withMaxRepetitions(2);
            WalkResult walk = await(client.walk(target, IF_DESCR));
            assertThat(walk.status()).as(walk.detail()).isEqualTo(WalkResult.Status.COMPLETE);
            assertThat(indexes(walk)).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(agent.received(PDU.GETNEXT)).isGreaterThanOrEqualTo(7);
            // max-repetitions 2 -> 1 after the first lost GETBULK, then GETNEXT only for this walk
            assertThat(agent.received(PDU.GETBULK)).isEqualTo(2);
        }
    }

    @Test
    void agentWhoseSubtreeNeverEndsStopsAtTheRequestCap() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(ifTable(1, 20))) {
            // every OID has a successor one level deeper: increasing, inside the subtree, endless
            agent.successor = oid -> oid.startsWith(new OID(IF_DESCR.toIntArray())) || oid.equals(new OID(IF_DESCR.toIntArray()))
                    ? new OID(oid.getValue(), 1) : null;
            SnmpTarget target = agent.v2c("endless").withMaxRequestsPerWalk(7).withMaxRepetitions(5);
            WalkResult walk = await(client.walk(target, IF_DESCR));
            assertThat(walk.end()).isEqualTo(WalkEnd.REQUEST_CAP);
            assertThat(walk.status()).isEqualTo(WalkResult.Status.PARTIAL);
            assertThat(walk.requests()).isEqualTo(7);
            assertThat(walk.rows()).hasSize(35);
            assertThat(agent.received.get()).isEqualTo(7);
            assertThat(walk.detail()).contains("after 7 requests (the cap), 35 rows so far");
        }
    }

    @Test
    void endOfMibViewEndsAWalkNormallyAndNoSuchInstanceIsAbsent() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(ifTable(4, 20))) {
            // ifType is the last subtree this agent has: GETBULK runs into endOfMibView
            WalkResult walk = await(client.walk(agent.v2c("short"), IF_TYPE));
            assertThat(walk.end()).isEqualTo(WalkEnd.END_OF_MIB_VIEW);
            assertThat(walk.status()).isEqualTo(WalkResult.Status.COMPLETE);
            assertThat(walk.rows()).hasSize(4).allMatch(v -> v.value().equals(new SnmpValue.Integer32(6)));

            PollResult poll = await(client.poll(agent.v2c("short"), new PollRequest(List.of(ifDescrOid(9)), List.of())));
            assertThat(poll.scalars().get(ifDescrOid(9))).isEqualTo(SnmpValue.NO_SUCH_INSTANCE);
            assertThat(poll.sysUpTime()).isEqualTo(new SnmpValue.TimeTicks(123_456));
        }
    }

    @Test
    void latin1IfAliasAndPhysAddressRenderFromTheWire() throws Exception {
        Map<OID, Variable> mib = ifTable(1, 20);
        mib.put(new OID(IF_PHYS_ADDRESS.toIntArray(), 1), new OctetString(HexFormat.of().parseHex("FA163EEE858C")));
        mib.put(new OID(IF_ALIAS.toIntArray(), 1), new OctetString(HexFormat.of().parseHex("4DFC6E6368656E")));
        try (ScriptedAgent agent = new ScriptedAgent(mib)) {
            PollResult poll = await(client.poll(agent.v2c("renderer"), new PollRequest(List.of(), List.of(IF_PHYS_ADDRESS, IF_ALIAS))));
            VarBind mac = poll.walks().get(IF_PHYS_ADDRESS).rows().get(0);
            VarBind alias = poll.walks().get(IF_ALIAS).rows().get(0);
            assertThat(OctetStrings.render((SnmpValue.OctetString) mac.value(), TextualConvention.PHYS_ADDRESS)).isEqualTo("fa:16:3e:ee:85:8c");
            assertThat(OctetStrings.render((SnmpValue.OctetString) alias.value(), TextualConvention.DISPLAY_STRING)).isEqualTo("München");
        }
    }

    @Test
    void getThatIsTooBigIsSplitUntilItFits() throws Exception {
        try (ScriptedAgent agent = new ScriptedAgent(ifTable(12, 40))) {
            agent.tooBigAbove = 250; // three 40-byte strings fit, four do not
            List<Oid> oids = java.util.stream.IntStream.rangeClosed(1, 12).mapToObj(MisbehavingAgentTest::ifDescrOid).toList();
            Map<Oid, SnmpValue> got = await(client.get(agent.v2c("split"), oids));
            assertThat(got.keySet()).containsExactlyElementsOf(oids);
            assertThat(got.values()).allSatisfy(v -> assertThat(((SnmpValue.OctetString) v).length()).isEqualTo(40));
            assertThat(agent.tooBigAnswers.get()).isPositive();
        }
    }

    static Oid ifDescrOid(int index) {
        return IF_DESCR.append(index);
    }
}

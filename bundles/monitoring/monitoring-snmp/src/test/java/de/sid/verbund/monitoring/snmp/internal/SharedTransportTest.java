package de.sid.verbund.monitoring.snmp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.SnmpException;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.WalkEnd;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.Variable;

/** One client, one socket, many agents; timeouts and retries per target; closing with requests in flight. */
@Timeout(120)
class SharedTransportTest {
    static final Oid SYS_UP_TIME = Oid.parse("1.3.6.1.2.1.1.3.0");
    static final Oid SYS_NAME = Oid.parse("1.3.6.1.2.1.1.5.0");
    static final Oid IF_DESCR = MisbehavingAgentTest.IF_DESCR;

    @Test
    void manyAgentsArePolledConcurrentlyOverOneSocket() throws Exception {
        List<ScriptedAgent> agents = new ArrayList<>();
        try (Snmp4jClient client = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2)) {
            for (int a = 0; a < 8; a++) {
                Map<OID, Variable> mib = MisbehavingAgentTest.ifTable(10 + a, 20);
                mib.put(new OID("1.3.6.1.2.1.1.5.0"), new OctetString("agent-" + a));
                agents.add(new ScriptedAgent(mib));
            }
            List<CompletableFuture<PollResult>> polls = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int a = 0; a < agents.size(); a++) {
                    SnmpTarget t = agents.get(a).v2c("agent-" + a).withMaxRepetitions(4);
                    polls.add(client.poll(t, new PollRequest(List.of(SYS_NAME), List.of(IF_DESCR))).toCompletableFuture());
                }
            }
            CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

            for (int i = 0; i < polls.size(); i++) {
                int a = i % agents.size();
                PollResult poll = polls.get(i).get();
                assertThat(poll.device()).isEqualTo("agent-" + a);
                assertThat(poll.scalars().get(SYS_NAME)).isEqualTo(SnmpValue.OctetString.ofUtf8("agent-" + a));
                WalkResult walk = poll.walks().get(IF_DESCR);
                assertThat(walk.status()).isEqualTo(WalkResult.Status.COMPLETE);
                assertThat(walk.rows()).hasSize(10 + a);
            }
            // every request of every poll came from the client's one socket
            for (ScriptedAgent agent : agents) {
                assertThat(agent.peers).singleElement().asString().endsWith("/" + client.localAddress().getPort());
            }
        } finally {
            for (ScriptedAgent agent : agents) {
                agent.close();
            }
        }
    }

    @Test
    void eachTargetHasItsOwnRetries() throws Exception {
        try (Snmp4jClient client = new Snmp4jClient(InetAddress.getLoopbackAddress(), 1);
             ScriptedAgent agent = new ScriptedAgent(MisbehavingAgentTest.ifTable(1, 10))) {
            agent.dropFirst = 2;
            SnmpTarget patient = agent.v2c("patient").withTimeout(Duration.ofMillis(500)).withRetries(2);
            Map<Oid, SnmpValue> got = client.get(patient, List.of(SYS_UP_TIME)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(got.get(SYS_UP_TIME)).isEqualTo(new SnmpValue.TimeTicks(123_456));
            assertThat(agent.received.get()).isEqualTo(3);
        }
        try (Snmp4jClient client = new Snmp4jClient(InetAddress.getLoopbackAddress(), 1);
             ScriptedAgent agent = new ScriptedAgent(MisbehavingAgentTest.ifTable(1, 10))) {
            agent.dropFirst = 2;
            SnmpTarget impatient = agent.v2c("impatient").withTimeout(Duration.ofMillis(300)).withRetries(1);
            assertThatThrownBy(() -> client.get(impatient, List.of(SYS_UP_TIME)).toCompletableFuture().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(SnmpException.class, e -> {
                        assertThat(e.kind()).isEqualTo(SnmpException.Kind.TIMEOUT);
                        assertThat(e.getMessage()).endsWith("no answer to GET of 1.3.6.1.2.1.1.3.0 after 2 attempts of 300 ms");
                    });
            assertThat(agent.received.get()).isEqualTo(2);
        }
    }

    @Test
    void aTimeoutDuringAWalkEndsThePollAndTheRestIsNotPolled() throws Exception {
        Oid ifType = MisbehavingAgentTest.IF_TYPE;
        try (Snmp4jClient client = new Snmp4jClient(InetAddress.getLoopbackAddress(), 1);
             ScriptedAgent agent = new ScriptedAgent(MisbehavingAgentTest.ifTable(3, 10))) {
            agent.ignoreWalks = true; // answers GET, not GETNEXT or GETBULK
            for (SnmpTarget target : List.of(agent.v1("flaky-v1"), agent.v2c("flaky-v2c"))) {
                target = target.withTimeout(Duration.ofMillis(300)).withRetries(1);
                PollResult poll = client.poll(target, new PollRequest(List.of(), List.of(IF_DESCR, ifType))).toCompletableFuture()
                        .get(30, TimeUnit.SECONDS);
                assertThat(poll.reachable()).isTrue();
                assertThat(poll.sysUpTime()).isEqualTo(new SnmpValue.TimeTicks(123_456));
                WalkResult descr = poll.walks().get(IF_DESCR);
                assertThat(descr.end()).isEqualTo(WalkEnd.TIMEOUT);
                assertThat(descr.status()).isEqualTo(WalkResult.Status.FAILED);
                assertThat(descr.detail()).endsWith("no answer to GETNEXT after 1.3.6.1.2.1.2.2.1.2 after 2 attempts of 300 ms");
                assertThat(poll.walks().get(ifType).end()).isEqualTo(WalkEnd.NOT_POLLED);
                assertThat(poll.walks().get(ifType).detail())
                        .isEqualTo("not walked: the device stopped answering during the walk of 1.3.6.1.2.1.2.2.1.2");
            }
        }
    }

    @Test
    void closingFailsRequestsInFlight() throws Exception {
        CompletableFuture<Map<Oid, SnmpValue>> pending;
        try (ScriptedAgent agent = new ScriptedAgent(MisbehavingAgentTest.ifTable(1, 10))) {
            agent.ignoreAll = true;
            Snmp4jClient client = new Snmp4jClient(InetAddress.getLoopbackAddress(), 1);
            pending = client.get(agent.v2c("mute").withTimeout(Duration.ofSeconds(30)), List.of(SYS_UP_TIME)).toCompletableFuture();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> agent.received.get() == 1);
            client.close();
            assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).cause().isInstanceOfSatisfying(SnmpException.class, e -> {
                assertThat(e.kind()).isEqualTo(SnmpException.Kind.TRANSPORT);
                assertThat(e.getMessage()).contains("the SNMP client was closed");
            });
            // and nothing is sent after close
            PollResult after = client.poll(agent.v2c("mute"), new PollRequest(List.of(), List.of())).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            assertThat(after.reachable()).isFalse();
            assertThat(after.problem()).hasValueSatisfying(p -> assertThat(p).contains("closed"));
        }
    }
}

package de.sid.verbund.monitoring.snmp.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.SnmpException;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.SnmpVersion;
import de.sid.verbund.monitoring.WalkEnd;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.OctetStrings;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.monitoring.smi.VarBind;
import de.sid.verbund.testsupport.NetSnmpAgent;
import de.sid.verbund.testsupport.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a real net-snmp agent, compared with net-snmp's own command-line tools where it helps. */
@Timeout(120)
class NetSnmpAgentTest {
    static final Oid SYS_DESCR = Oid.parse("1.3.6.1.2.1.1.1.0");
    static final Oid SYS_UP_TIME = Oid.parse("1.3.6.1.2.1.1.3.0");
    static final Oid SYS_NAME = Oid.parse("1.3.6.1.2.1.1.5.0");
    static final Oid SYSTEM = Oid.parse("1.3.6.1.2.1.1");
    static final Oid IF_TABLE = Oid.parse("1.3.6.1.2.1.2.2");
    static final Oid IF_DESCR = Oid.parse("1.3.6.1.2.1.2.2.1.2");
    static final Oid IF_HC_IN_OCTETS = Oid.parse("1.3.6.1.2.1.31.1.1.1.6");

    static Snmp4jClient client;
    static NetSnmpAgent agent;

    @BeforeAll
    static void start() throws IOException {
        client = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2);
        agent = NetSnmpAgent.start();
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (client != null) {
            client.close();
        }
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void v2cGetReadsValuesAndAbsentOnesStayAbsent() throws Exception {
        Oid sysDescrInstance1 = Oid.parse("1.3.6.1.2.1.1.1.1");
        Oid noSuchObject = Oid.parse("1.3.6.1.2.1.1.99.0");
        Map<Oid, SnmpValue> got = await(client.get(agent.v2c("public"), List.of(SYS_DESCR, sysDescrInstance1, noSuchObject, SYS_UP_TIME)));

        assertThat(got.keySet()).containsExactly(SYS_DESCR, sysDescrInstance1, noSuchObject, SYS_UP_TIME);
        assertThat(got.get(SYS_DESCR)).isEqualTo(SnmpValue.OctetString.ofUtf8(NetSnmpAgent.SYS_DESCR));
        assertThat(got.get(SYS_UP_TIME)).isInstanceOf(SnmpValue.TimeTicks.class);
        assertThat(got.get(sysDescrInstance1)).isEqualTo(SnmpValue.NO_SUCH_INSTANCE);
        assertThat(got.get(noSuchObject)).isEqualTo(SnmpValue.NO_SUCH_OBJECT);
        assertThat(got.get(sysDescrInstance1).isAbsent()).isTrue();
        assertThat(got.get(sysDescrInstance1)).isNotEqualTo(new SnmpValue.Integer32(0)).isNotEqualTo(SnmpValue.OctetString.ofUtf8(""));
    }

    @Test
    void v1NoSuchNameDropsTheFailingOidAndAsksAgainForTheRest() throws Exception {
        Oid missing = Oid.parse("1.3.6.1.2.1.1.99.0");
        SnmpTarget v1 = SnmpTarget.v1("snmpd-v1", agent.address(), "public");
        Map<Oid, SnmpValue> got = await(client.get(v1, List.of(SYS_DESCR, missing, SYS_NAME)));

        assertThat(got.get(SYS_DESCR)).isEqualTo(SnmpValue.OctetString.ofUtf8(NetSnmpAgent.SYS_DESCR));
        assertThat(got.get(SYS_NAME)).isEqualTo(SnmpValue.OctetString.ofUtf8("snmpd-test"));
        assertThat(got.get(missing)).isEqualTo(SnmpValue.NO_SUCH_OBJECT);
    }

    @Test
    void v2cBulkWalkMatchesNetSnmpsOwnBulkWalk() throws Exception {
        for (Oid root : List.of(SYSTEM, IF_TABLE)) {
            WalkResult walk = await(client.walk(agent.v2c("public"), root));
            assertThat(walk.end()).as(walk.detail()).isEqualTo(WalkEnd.END_OF_SUBTREE);
            assertThat(walk.status()).isEqualTo(WalkResult.Status.COMPLETE);
            assertThat(walk.rows()).extracting(VarBind::oid).isSortedAccordingTo(Oid::compareTo)
                    .allMatch(oid -> oid.startsWith(root));
            assertThat(walk.rows()).extracting(v -> v.oid().toString())
                    .containsExactlyElementsOf(netSnmpOids("snmpbulkwalk", "2c", "public", root));
        }
    }

    @Test
    void v1GetNextWalkMatchesNetSnmpsOwnWalk() throws Exception {
        SnmpTarget v1 = SnmpTarget.v1("snmpd-v1", agent.address(), "public");
        WalkResult walk = await(client.walk(v1, IF_TABLE));
        assertThat(walk.status()).isEqualTo(WalkResult.Status.COMPLETE);
        assertThat(walk.rows()).extracting(v -> v.oid().toString())
                .containsExactlyElementsOf(netSnmpOids("snmpwalk", "1", "public", IF_TABLE));
        assertThat(walk.rows()).filteredOn(v -> v.oid().startsWith(IF_DESCR))
                .extracting(v -> OctetStrings.displayString(((SnmpValue.OctetString) v.value()).bytes()))
                .contains("lo");
    }

    @Test
    void endOfMibViewEndsAV2cWalkNormally() throws Exception {
        WalkResult walk = await(client.walk(agent.v2c("restricted"), SYSTEM));
        assertThat(walk.end()).isEqualTo(WalkEnd.END_OF_MIB_VIEW);
        assertThat(walk.status()).isEqualTo(WalkResult.Status.COMPLETE);
        assertThat(walk.rows()).extracting(v -> v.oid().toString())
                .containsExactlyElementsOf(netSnmpOids("snmpbulkwalk", "2c", "restricted", SYSTEM));
        assertThat(walk.rows()).noneMatch(v -> v.value().isAbsent());
    }

    @Test
    void noSuchNameEndsAV1WalkNormally() throws Exception {
        SnmpTarget v1 = SnmpTarget.v1("snmpd-v1", agent.address(), "restricted");
        WalkResult walk = await(client.walk(v1, SYSTEM));
        assertThat(walk.end()).isEqualTo(WalkEnd.NO_SUCH_NAME);
        assertThat(walk.status()).isEqualTo(WalkResult.Status.COMPLETE);
        assertThat(walk.rows()).hasSize(netSnmpOids("snmpwalk", "1", "restricted", SYSTEM).size()).isNotEmpty();
    }

    @Test
    void pollReadsSysUpTimeScalarsAndEveryTable() throws Exception {
        PollRequest request = new PollRequest(List.of(SYS_DESCR, SYS_NAME), List.of(IF_DESCR, IF_HC_IN_OCTETS));
        PollResult poll = await(client.poll(agent.v2c("public"), request));

        assertThat(poll.reachable()).isTrue();
        assertThat(poll.problem()).isEmpty();
        assertThat(poll.sysUpTime()).isInstanceOf(SnmpValue.TimeTicks.class);
        assertThat(poll.scalars()).containsEntry(SYS_NAME, SnmpValue.OctetString.ofUtf8("snmpd-test"));
        assertThat(poll.walks().keySet()).containsExactly(IF_DESCR, IF_HC_IN_OCTETS);
        WalkResult descr = poll.walks().get(IF_DESCR);
        WalkResult octets = poll.walks().get(IF_HC_IN_OCTETS);
        assertThat(descr.status()).isEqualTo(WalkResult.Status.COMPLETE);
        assertThat(octets.status()).isEqualTo(WalkResult.Status.COMPLETE);
        assertThat(octets.rows()).hasSameSizeAs(descr.rows()).allMatch(v -> v.value() instanceof SnmpValue.Counter64);
        assertThat(poll.requests()).isGreaterThanOrEqualTo(3);
        assertThat(poll.varbinds()).isGreaterThanOrEqualTo(3 + descr.rows().size() + octets.rows().size());
    }

    @Test
    void aPortWithoutAgentIsUnreachableAfterTheTargetsRetries() throws Exception {
        SnmpTarget nobody = SnmpTarget.v2c("ghost", new InetSocketAddress(InetAddress.getLoopbackAddress(), Ports.freeUdpPort()), "public")
                .withTimeout(Duration.ofMillis(150)).withRetries(1);
        PollResult poll = await(client.poll(nobody, new PollRequest(List.of(SYS_DESCR), List.of(IF_DESCR))));
        assertThat(poll.reachable()).isFalse();
        assertThat(poll.problem()).hasValueSatisfying(p -> assertThat(p)
                .startsWith("ghost (127.0.0.1:" + nobody.address().getPort() + "): no answer to GET of 2 OIDs")
                .endsWith("after 2 attempts of 150 ms"));
        assertThat(poll.sysUpTime().isAbsent()).isTrue();
        assertThat(poll.walks()).isEmpty();

        assertThatThrownBy(() -> await(client.get(nobody, List.of(SYS_DESCR))))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOfSatisfying(SnmpException.class,
                        e -> assertThat(e.kind()).isEqualTo(SnmpException.Kind.TIMEOUT));
    }

    @Test
    void wrongCommunityIsATimeoutNotAnError() throws Exception {
        // net-snmp drops requests with an unknown community (and counts snmpInBadCommunityNames)
        SnmpTarget wrong = agent.v2c("not-the-community").withTimeout(Duration.ofMillis(150)).withRetries(0);
        PollResult poll = await(client.poll(wrong, new PollRequest(List.of(), List.of())));
        assertThat(poll.reachable()).isFalse();
        assertThat(poll.toString()).doesNotContain("not-the-community");
        assertThat(wrong.toString()).doesNotContain("not-the-community").contains("Community[***]");
        assertThat(wrong.version()).isEqualTo(SnmpVersion.V2C);
    }

    /** The OIDs net-snmp's own tool finds under {@code root}, numeric, in order. */
    static List<String> netSnmpOids(String tool, String version, String community, Oid root) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/" + tool, "-v" + version, "-c", community, "-On", "-Oq", "-t", "2", "-r", "1",
                "127.0.0.1:" + agent.port(), "." + root).redirectErrorStream(true);
        pb.environment().put("MIBS", "");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> oids = new ArrayList<>();
        for (String line : out.split("\n")) {
            // snmpbulkwalk prints the endOfMibView binding that ended the walk: not a row
            if (line.startsWith(".") && !line.contains("No more variables left in this MIB View")) {
                oids.add(line.substring(1, line.indexOf(' ') > 0 ? line.indexOf(' ') : line.length()));
            }
        }
        return oids;
    }
}

package de.sid.verbund.monitoring.snmpsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.Snmp;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Counter64;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/** The agent over real UDP with an SNMP4J manager. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReplayAgentTest {
    private static final OID SYS_DESCR = new OID("1.3.6.1.2.1.1.1.0");
    private static final OID HC_IN = new OID("1.3.6.1.2.1.31.1.1.1.6.1");

    private ReplayAgent agent;
    private Snmp manager;

    @BeforeEach
    void start() throws IOException {
        RecordTable switch1 = table("switch-1", "1.3.6.1.2.1.1.1.0|4|switch one\n1.3.6.1.2.1.31.1.1.1.6.1|70|123\n");
        RecordTable ups = table("site-a/ups", "1.3.6.1.2.1.1.1.0|4|a UPS\n1.3.6.1.2.1.33.1.2.4.0|2|100\n");
        String big = "x".repeat(1200);
        RecordTable large = table("large", IntStream.range(1, 70).mapToObj(i -> "1.3.6.1.4.1.99." + i + "|4|" + big + "\n")
                .collect(Collectors.joining()));
        agent = ReplayAgent.start(Map.of("switch-1", switch1, "site-a/ups", ups, "large", large),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2);
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        manager = new Snmp(dispatcher, new DefaultUdpTransportMapping(new UdpAddress(InetAddress.getLoopbackAddress(), 0)));
        manager.listen();
    }

    @AfterEach
    void stop() throws IOException {
        manager.close();
        agent.close();
    }

    private static RecordTable table(String community, String content) {
        SnmprecParser.Result r = SnmprecParser.parse(Path.of(community + ".snmprec"), community,
                content.getBytes(StandardCharsets.US_ASCII));
        assertThat(r.problems()).isEmpty();
        return r.table();
    }

    private PDU send(String community, int version, PDU pdu) throws IOException {
        CommunityTarget<UdpAddress> target = new CommunityTarget<>(
                new UdpAddress(agent.address().getAddress(), agent.address().getPort()), new OctetString(community));
        target.setVersion(version);
        target.setTimeout(1000);
        target.setRetries(0);
        return manager.send(pdu, target).getResponse();
    }

    private static PDU pdu(PDU pdu, int type, OID... oids) {
        pdu.setType(type);
        for (OID oid : oids) {
            pdu.add(new VariableBinding(oid));
        }
        return pdu;
    }

    @Test
    void theCommunitySelectsTheRecordingIncludingSubDirectories() throws IOException {
        assertThat(send("switch-1", SnmpConstants.version2c, pdu(new PDU(), PDU.GET, SYS_DESCR)).get(0).toValueString())
                .isEqualTo("switch one");
        assertThat(send("site-a/ups", SnmpConstants.version2c, pdu(new PDU(), PDU.GET, SYS_DESCR)).get(0).toValueString())
                .isEqualTo("a UPS");
        assertThat(agent.address().getPort()).isPositive();
    }

    @Test
    void answersSnmpV1AndV2c() throws IOException {
        PDU v2 = send("switch-1", SnmpConstants.version2c, pdu(new PDU(), PDU.GETNEXT, SYS_DESCR));
        assertThat(v2.get(0)).isEqualTo(new VariableBinding(HC_IN, new Counter64(123)));
        PDU v1 = send("switch-1", SnmpConstants.version1, pdu(new PDUv1(), PDU.GETNEXT, SYS_DESCR));
        assertThat(v1.getErrorStatus()).isEqualTo(PDU.noSuchName);
        assertThat(v1.getErrorIndex()).isEqualTo(1);
        PDU bulk = pdu(new PDU(), PDU.GETBULK, new OID("1.3"));
        bulk.setMaxRepetitions(5);
        assertThat(send("switch-1", SnmpConstants.version2c, bulk).size()).isEqualTo(5);
        assertThat(agent.requests()).isEqualTo(3);
        assertThat(agent.answeredVarbinds()).isEqualTo(1 + 1 + 5);
    }

    @Test
    void doesNotAnswerAnUnknownCommunity() throws IOException {
        assertThat(send("public", SnmpConstants.version2c, pdu(new PDU(), PDU.GET, SYS_DESCR))).isNull();
        assertThat(agent.requests()).isZero();
    }

    @Test
    void dropsAnAnswerLongerThanSnmpsimdWouldSend() throws IOException {
        PDU bulk = pdu(new PDU(), PDU.GETBULK, new OID("1.3"));
        bulk.setMaxRepetitions(64);
        assertThat(send("large", SnmpConstants.version2c, bulk)).isNull();
        assertThat(agent.unanswered()).isEqualTo(1);
        bulk = pdu(new PDU(), PDU.GETBULK, new OID("1.3"));
        bulk.setMaxRepetitions(40);
        assertThat(send("large", SnmpConstants.version2c, bulk).size()).isEqualTo(40);
    }

    @Test
    void aBusyPortIsReportedWithTheAddress() {
        InetSocketAddress taken = agent.address();
        assertThatThrownBy(() -> ReplayAgent.start(Map.of(), taken, 1)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot listen on udp:").hasMessageContaining(String.valueOf(taken.getPort()));
    }
}

package de.sid.verbund.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The SNMP trap receiver in a real Karaf: a trap sent with the community of a credential stored through
 * the API is listed at {@code /api/traps}, counted at {@code /metrics} and taken by the event bus.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TrapsIT extends VerbundTestSupport {
    private static final String ADMIN = basic("admin", "admin");

    private static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base options plus a known trap port (annotated again: JUnit drops the annotation of an overridden method). */
    @Override
    @Configuration
    public Option[] config() {
        String port = Integer.toString(freeUdpPort());
        return OptionUtils.combine(super.config(),
                editConfigurationFilePut("etc/de.sid.verbund.monitoring.traps.cfg", "port", port),
                editConfigurationFilePut("etc/de.sid.verbund.monitoring.traps.cfg", "bind.address", "127.0.0.1"),
                // the credential stored by the test is read at the first trap naming it, however soon after the last read
                editConfigurationFilePut("etc/de.sid.verbund.monitoring.traps.cfg", "refresh.min.interval.s", "0"),
                systemProperty("verbund.it.trap.port").value(port));
    }

    private static byte[] tlv(int tag, byte[]... content) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : content) {
            body.writeBytes(c);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        out.write(body.size());
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** An SNMPv2c coldStart trap (RFC 3416): sysUpTime.0 = 5, snmpTrapOID.0 = coldStart. */
    private static byte[] coldStart(String community) {
        byte[] sysUpTime = {0x06, 0x08, 0x2B, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00};
        byte[] snmpTrapOid = {0x06, 0x0A, 0x2B, 0x06, 0x01, 0x06, 0x03, 0x01, 0x01, 0x04, 0x01, 0x00};
        byte[] coldStartOid = {0x06, 0x09, 0x2B, 0x06, 0x01, 0x06, 0x03, 0x01, 0x01, 0x05, 0x01};
        byte[] varbinds = tlv(0x30, tlv(0x30, sysUpTime, new byte[] {0x43, 0x01, 0x05}), tlv(0x30, snmpTrapOid, coldStartOid));
        byte[] pdu = tlv(0xA7, new byte[] {0x02, 0x01, 0x01}, new byte[] {0x02, 0x01, 0x00}, new byte[] {0x02, 0x01, 0x00},
                varbinds);
        return tlv(0x30, new byte[] {0x02, 0x01, 0x01}, tlv(0x04, community.getBytes(StandardCharsets.UTF_8)), pdu);
    }

    @Test
    public void aTrapIsListedCountedAndPublished() throws Exception {
        await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> get("/metrics", null).body().contains("verbund_snmp_trap_receiver_up 1.0"));
        assertEquals(201, post("/api/credentials", ADMIN, "{\"name\":\"it-traps\",\"version\":\"v2c\",\"community\":\"it-trap-community\"}")
                .status());
        int port = Integer.getInteger("verbund.it.trap.port");
        byte[] packet = coldStart("it-trap-community");
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }

        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/api/traps", ADMIN).json().path("items").size() == 1);
        JsonNode trap = get("/api/traps", ADMIN).json().path("items").get(0);
        assertEquals("monitoring.trap", trap.path("type").asText());
        assertEquals("coldStart", trap.path("payload").path("trap").asText());
        assertEquals("127.0.0.1", trap.path("payload").path("agentAddress").asText());
        assertEquals(403, get("/api/traps", basic("clerk", "clerk")).status());
        await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> get("/metrics", null).body().contains("verbund_snmp_trap_events_published_total 1.0"));
        String metrics = get("/metrics", null).body();
        assertTrue(metrics, metrics.contains("verbund_snmp_traps_received_total{trap=\"coldStart\"} 1.0"));
        assertTrue(get("/api/openapi.json", null).json().path("paths").has("/traps"));
    }
}

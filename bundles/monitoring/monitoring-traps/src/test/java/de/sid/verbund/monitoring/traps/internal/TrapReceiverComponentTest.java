package de.sid.verbund.monitoring.traps.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.trap.TrapEvents;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.FakeInventory;
import de.sid.verbund.testsupport.Ports;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The DS component as SCR would run it (constructed with a typed configuration): options read from the
 * configuration, the socket bound on its own thread, the counters at {@code /metrics}, the port freed
 * at deactivation; a port in use does not fail the activation.
 */
class TrapReceiverComponentTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static String exposition(TrapReceiverComponent c) throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(c);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void send(int port, byte[] packet) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            s.send(new DatagramPacket(packet, packet.length, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }
    }

    @Test
    void receivesOnTheConfiguredPortExposesCountersAndFreesThePort() throws Exception {
        FakeInventory inventory = new FakeInventory();
        inventory.trapCredentials.add(new SnmpCredentials.Community("public"));
        int port = Ports.freeUdpPort();
        TrapReceiverComponent c = new TrapReceiverComponent(inventory, Configs.of(TrapReceiverConfig.class,
                "port", port, "bind_address", "127.0.0.1"));
        try {
            await().atMost(WAIT).until(() -> exposition(c).contains("verbund_snmp_trap_receiver_up 1.0"));
            send(port, Ber.v2Notification(0xA7, "public", 1, 1, "1.3.6.1.6.3.1.1.5.1"));
            send(port, new byte[] {0x30, 0x10, 0x02});
            await().atMost(WAIT).until(() -> c.recent(10, null).items().size() == 1);
            await().atMost(WAIT).until(() -> exposition(c).contains("verbund_snmp_traps_dropped_total{reason=\"malformed\"} 1.0"));

            String text = exposition(c);
            assertThat(text).contains("verbund_snmp_traps_received_total{trap=\"coldStart\"} 1.0")
                    .contains("verbund_snmp_traps_dropped_total{reason=\"unknown_community\"} 0.0")
                    .contains("verbund_snmp_traps_dropped_total{reason=\"queue_full\"} 0.0")
                    .contains("verbund_snmp_trap_events_queued 1.0")
                    .contains("verbund_snmp_trap_events_published_total 0.0");
            assertThat(c.recent(10, null).items().get(0).payload()).containsEntry(TrapEvents.TRAP, TrapEvents.COLD_START);
        } finally {
            c.deactivate();
        }
        try (DatagramSocket again = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void aPortInUseOrDisabledReceiverDoesNotFailTheActivation() throws Exception {
        FakeInventory inventory = new FakeInventory();
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            TrapReceiverComponent busy = new TrapReceiverComponent(inventory, Configs.of(TrapReceiverConfig.class,
                    "port", taken.getLocalPort(), "bind_address", "127.0.0.1"));
            TrapReceiverComponent off = new TrapReceiverComponent(inventory, Configs.of(TrapReceiverConfig.class,
                    "enabled", false));
            try {
                // the bind attempt runs on the refresh thread, which reads the inventory too
                await().atMost(WAIT).until(() -> inventory.calls.contains("allDevices"));
                assertThat(exposition(busy)).contains("verbund_snmp_trap_receiver_up 0.0");
                assertThat(exposition(off)).contains("verbund_snmp_trap_receiver_up 0.0");
                assertThat(off.recent(10, null).items()).isEmpty();
            } finally {
                busy.deactivate();
                off.deactivate();
            }
        }
    }

    @Test
    void optionsAreReadFromTheConfigurationAndWrongOnesNamed() {
        TrapService.Options o = TrapReceiverComponent.options(Configs.of(TrapReceiverConfig.class,
                "trusted_relays", new String[] {"10.0.0.1, 10.0.0.2", "[2001:db8::1]"}, "communities", new String[] {"a"},
                "engine_id", "80:00:13:70:05:01:02:03"), " b ,c,");
        assertThat(o.port()).isEqualTo(10162);
        assertThat(o.bindAddress().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(o.trustedRelays()).extracting(InetAddress::getHostAddress)
                .containsExactlyInAnyOrder("10.0.0.1", "10.0.0.2", "2001:db8:0:0:0:0:0:1");
        assertThat(o.extraCommunities()).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(HexFormat.of().formatHex(o.engineId())).isEqualTo("8000137005010203");
        assertThat(o.queueCapacity()).isEqualTo(10_000);
        assertThat(o.historySize()).isEqualTo(1000);

        assertThatThrownBy(() -> TrapReceiverComponent.options(Configs.of(TrapReceiverConfig.class,
                "trusted_relays", new String[] {"relay.example.org"}), null))
                .hasMessageContaining("trusted.relays 'relay.example.org' is not an IP address");
        assertThatThrownBy(() -> TrapReceiverComponent.options(Configs.of(TrapReceiverConfig.class,
                "bind_address", "localhost"), null)).hasMessageContaining("bind.address");
        assertThatThrownBy(() -> TrapReceiverComponent.options(Configs.of(TrapReceiverConfig.class,
                "engine_id", "8000"), null)).hasMessageContaining("5 to 32 bytes");
        assertThatThrownBy(() -> TrapReceiverComponent.options(Configs.of(TrapReceiverConfig.class,
                "port", 70000), null)).hasMessageContaining("70000");
        // the default engine ID: RFC 3411 format 5, stable for one host and port
        assertThat(TrapService.defaultEngineId(10162)).hasSize(17).startsWith(0x80, 0x00, 0x13, 0x70, 0x05)
                .isEqualTo(TrapService.defaultEngineId(10162)).isNotEqualTo(TrapService.defaultEngineId(10163));
    }
}

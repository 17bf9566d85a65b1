package de.sid.verbund.monitoring.traps.internal;

import static de.sid.verbund.monitoring.traps.internal.Ber.tlv;
import static de.sid.verbund.monitoring.traps.internal.Ber.tlvLong;
import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.monitoring.trap.TrapEvents;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #4's bad-input cases over real UDP on loopback, with hand-built BER: an SNMPv1 coldStart whose
 * empty varbind list has a long-form length becomes an event; a packet truncated mid-TLV is dropped,
 * counted and does not stop the receiver; nor does any truncation of a valid trap, or random bytes.
 */
class MalformedPacketsTest {
    private static final int[] AGENT = {192, 0, 2, 10};
    private final TrapFixture traps = new TrapFixture();

    @BeforeEach
    void start() {
        traps.community("public");
        traps.start();
    }

    @AfterEach
    void stop() {
        traps.close();
    }

    private static byte[] coldStartLongFormEmptyVarbinds() {
        // the message, the PDU and the empty VarBindList all with long-form lengths
        byte[] pdu = tlvLong(0xA4, 1, Ber.oid("1.3.6.1.4.1.8072.3.2.10"), Ber.ipAddress(AGENT[0], AGENT[1], AGENT[2], AGENT[3]),
                Ber.integer(0), Ber.integer(0), Ber.unsigned(0x43, 12345), tlvLong(0x30, 1));
        return tlvLong(0x30, 2, Ber.integer(0), Ber.octets("public"), pdu);
    }

    @Test
    void v1ColdStartWithEmptyVarbindListInLongFormBecomesAColdStartEvent() {
        byte[] packet = coldStartLongFormEmptyVarbinds();
        // the VarBindList is 30 81 00 at the very end, the message starts 30 82
        assertThat(Arrays.copyOfRange(packet, packet.length - 3, packet.length)).containsExactly(0x30, 0x81, 0x00);
        assertThat(Arrays.copyOfRange(packet, 0, 2)).containsExactly(0x30, 0x82);

        traps.send(packet);

        DomainEvent e = traps.awaitEvents(1);
        assertThat(e.type()).isEqualTo(TrapEvents.TYPE);
        assertThat(e.tenantId()).isNull();
        assertThat(e.payload()).containsEntry(TrapEvents.TRAP, TrapEvents.COLD_START)
                .containsEntry(TrapEvents.TRAP_OID, "1.3.6.1.6.3.1.1.5.1")
                .containsEntry(TrapEvents.VERSION, "v1")
                .containsEntry(TrapEvents.INFORM, false)
                .containsEntry(TrapEvents.UPTIME, 12345L)
                // an untrusted sender: attributed to the sender, not to the agent-addr it claims
                .containsEntry(TrapEvents.AGENT_ADDRESS, "127.0.0.1")
                .doesNotContainKey(TrapEvents.IF_INDEX);
        assertThat((String) e.payload().get(TrapEvents.SOURCE)).startsWith("127.0.0.1:");
        // RFC 3584 3.1: the v1 fields become snmpTrapAddress.0 and snmpTrapEnterprise.0, the community does not travel
        assertThat(TrapFixture.varbinds(e)).extracting(v -> v.get("oid") + "=" + v.get("type") + ":" + v.get("value"))
                .containsExactly("1.3.6.1.6.3.18.1.3.0=IpAddress:192.0.2.10",
                        "1.3.6.1.6.3.1.1.4.3.0=ObjectIdentifier:1.3.6.1.4.1.8072.3.2.10");
        assertThat(e.payload().toString()).doesNotContain("public");
        assertThat(traps.metrics().receivedCount(TrapEvents.COLD_START)).isEqualTo(1);
    }

    @Test
    void packetTruncatedMidTlvIsDroppedAndCountedAndTheNextTrapIsStillReceived() {
        byte[] valid = coldStartLongFormEmptyVarbinds();
        // cut inside the enterprise OID's value: the message and PDU lengths promise more than there is
        int enterpriseAt = indexOf(valid, new byte[] {0x06, 0x0A, 0x2B, 0x06});
        byte[] truncated = Arrays.copyOf(valid, enterpriseAt + 5);

        traps.send(truncated);
        traps.awaitDropped(DropReason.MALFORMED, 1);
        traps.send(valid);

        assertThat(traps.awaitEvents(1).payload()).containsEntry(TrapEvents.TRAP, TrapEvents.COLD_START);
        assertThat(traps.metrics().droppedCount(DropReason.MALFORMED)).isEqualTo(1);
        assertThat(traps.events()).hasSize(1);
    }

    @Test
    void everyTruncationOfAValidTrapAndRandomBytesAreDroppedAndTheListenerLives() {
        byte[] valid = Ber.v2Notification(0xA7, "public", 4711, 100, "1.3.6.1.6.3.1.1.5.3",
                Ber.varbind("1.3.6.1.2.1.2.2.1.1.3", Ber.integer(3)),
                Ber.varbind("1.3.6.1.2.1.2.2.1.2.3", Ber.octets("Gi0/3")));
        for (int length = 1; length < valid.length; length++) {
            traps.send(Arrays.copyOf(valid, length));
        }
        Random random = new Random(4);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[1 + random.nextInt(300)];
            random.nextBytes(junk);
            traps.send(junk);
        }
        // a valid SEQUENCE of an SNMP version that does not exist
        traps.send(tlv(0x30, Ber.integer(7), Ber.octets("public"), tlv(0xA7)));
        traps.send(valid);

        DomainEvent e = traps.awaitEvents(1);
        assertThat(e.payload()).containsEntry(TrapEvents.TRAP, TrapEvents.LINK_DOWN).containsEntry(TrapEvents.IF_INDEX, 3);
        long dropped = 0;
        for (DropReason r : DropReason.values()) {
            dropped += traps.metrics().droppedCount(r);
        }
        assertThat(dropped).isEqualTo(valid.length - 1 + 200 + 1);
        assertThat(traps.metrics().droppedCount(DropReason.MALFORMED)).isEqualTo(valid.length - 1 + 200);
        assertThat(traps.metrics().droppedCount(DropReason.BAD_VERSION)).isEqualTo(1);
        assertThat(traps.events()).hasSize(1);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}

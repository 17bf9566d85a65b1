package de.sid.verbund.monitoring.traps.internal;

import static de.sid.verbund.monitoring.traps.internal.Ber.varbind;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.monitoring.trap.TrapEvents;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.snmp4j.PDU;
import org.snmp4j.asn1.BER;
import org.snmp4j.asn1.BERInputStream;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OctetString;

/**
 * SNMPv2c InformRequests (RFC 3416 4.2.7) from one UDP socket: answered with a Response of the same
 * request-id and varbinds; a retransmission answered again but published once; not answered while the
 * event queue is full, so the sender keeps it and repeats it.
 */
class InformTest {
    private final TrapFixture traps = new TrapFixture();

    @AfterEach
    void stop() {
        traps.close();
    }

    private static byte[] inform(int requestId) {
        return Ber.v2Notification(0xA6, "public", requestId, 77, "1.3.6.1.6.3.1.1.5.3",
                varbind("1.3.6.1.2.1.2.2.1.1.9", Ber.integer(9)));
    }

    /** @return the response PDU, or null if none came within 1 s */
    private static PDU exchange(DatagramSocket socket, InetSocketAddress to, byte[] packet) throws IOException {
        socket.send(new DatagramPacket(packet, packet.length, to));
        byte[] buf = new byte[65535];
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(in);
        } catch (SocketTimeoutException e) {
            return null;
        }
        BERInputStream ber = new BERInputStream(ByteBuffer.wrap(Arrays.copyOf(buf, in.getLength())));
        BER.decodeHeader(ber, new BER.MutableByte());
        Integer32 version = new Integer32();
        version.decodeBER(ber);
        OctetString community = new OctetString();
        community.decodeBER(ber);
        assertThat(version.getValue()).isEqualTo(1);
        assertThat(community.toString()).isEqualTo("public");
        PDU pdu = new PDU();
        pdu.decodeBER(ber);
        return pdu;
    }

    @Test
    void informIsAnsweredAndARetransmissionIsAnsweredButPublishedOnce() throws IOException {
        traps.community("public");
        traps.start();
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(5000);
            PDU first = exchange(socket, traps.address, inform(31337));
            PDU again = exchange(socket, traps.address, inform(31337));

            for (PDU response : new PDU[] {first, again}) {
                assertThat(response).isNotNull();
                assertThat(response.getType()).isEqualTo(PDU.RESPONSE);
                assertThat(response.getRequestID().getValue()).isEqualTo(31337);
                assertThat(response.getErrorStatus()).isZero();
                assertThat(response.getVariableBindings()).hasSize(3);
                assertThat(response.get(2).getOid().toDottedString()).isEqualTo("1.3.6.1.2.1.2.2.1.1.9");
            }
            // another request-id is another inform
            assertThat(exchange(socket, traps.address, inform(31338))).isNotNull();
        }
        traps.awaitEvents(2);
        assertThat(traps.events()).hasSize(2).allSatisfy(e -> assertThat(e.payload())
                .containsEntry(TrapEvents.INFORM, true).containsEntry(TrapEvents.TRAP, TrapEvents.LINK_DOWN)
                .containsEntry(TrapEvents.IF_INDEX, 9));
        assertThat(traps.metrics().droppedCount(DropReason.DUPLICATE_INFORM)).isEqualTo(1);
        assertThat(traps.metrics().receivedCount(TrapEvents.LINK_DOWN)).isEqualTo(2);
    }

    @Test
    void whileTheQueueIsFullAnInformIsNotAnsweredAndTheOverflowIsCounted() throws IOException {
        traps.community("public");
        // no event bus and room for one event; the publisher asks for the bus once it holds a batch
        AtomicInteger busAsked = new AtomicInteger();
        traps.start(Set.of(), Set.of(), 1, () -> {
            busAsked.incrementAndGet();
            return null;
        });
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            socket.setSoTimeout(1000);
            assertThat(exchange(socket, traps.address, inform(1))).isNotNull();
            // the publisher holds the first as its batch in hand; the queue takes one more
            await().atMost(TrapFixture.WAIT).until(() -> busAsked.get() > 0);
            assertThat(exchange(socket, traps.address, inform(2))).isNotNull();
            assertThat(exchange(socket, traps.address, inform(3))).as("not answered: the queue is full").isNull();
            traps.awaitDropped(DropReason.QUEUE_FULL, 1);
            // the sender's retransmission is not taken for a duplicate
            assertThat(exchange(socket, traps.address, inform(3))).isNull();
        }
        traps.awaitDropped(DropReason.QUEUE_FULL, 2);
        assertThat(traps.events()).hasSize(2);
        assertThat(traps.metrics().droppedCount(DropReason.DUPLICATE_INFORM)).isZero();
    }
}

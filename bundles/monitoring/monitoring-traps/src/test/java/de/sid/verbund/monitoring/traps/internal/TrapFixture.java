package de.sid.verbund.monitoring.traps.internal;

import static org.awaitility.Awaitility.await;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.testsupport.FakeInventory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/** A {@link TrapService} on a free loopback port over a {@link FakeInventory}, and ways to send it packets. */
final class TrapFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    final FakeInventory inventory = new FakeInventory();
    private TrapService service;
    InetSocketAddress address;

    /** Starts with the given options changed from the test defaults (127.0.0.1, port 0, no relays). */
    TrapFixture start(Set<InetAddress> trustedRelays, Set<String> extraCommunities, int queueCapacity,
                      Supplier<EventBus> bus) {
        try {
            service = new TrapService(new TrapService.Options(InetAddress.getLoopbackAddress(), 0, trustedRelays,
                    extraCommunities, null, 60_000, 0, queueCapacity, 1000), inventory, bus);
            address = service.startNow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    TrapFixture start() {
        return start(Set.of(), Set.of(), 10_000, () -> null);
    }

    TrapService service() {
        return service;
    }

    TrapMetrics metrics() {
        return service.metrics();
    }

    void community(String community) {
        inventory.trapCredentials.add(new SnmpCredentials.Community(community));
    }

    Device device(String name, String address, String site) {
        Device d = new Device(UUID.randomUUID().toString(), name, address, 161, site, DeviceKind.SWITCH, 60, List.of(),
                UUID.randomUUID().toString(), Instant.now());
        inventory.devices.put(d.id(), d);
        return d;
    }

    /** Sends one datagram from an ephemeral port of {@code from}. */
    void send(InetAddress from, byte[] packet) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(from, 0))) {
            s.send(new DatagramPacket(packet, packet.length, address));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(byte[] packet) {
        send(InetAddress.getLoopbackAddress(), packet);
    }

    /** @return the recent trap events, newest first */
    List<DomainEvent> events() {
        return service.recent(500, null).items();
    }

    /** Waits until {@code n} events have been received in all and returns the newest. */
    DomainEvent awaitEvents(int n) {
        await().atMost(WAIT).until(() -> events().size() >= n);
        return events().get(0);
    }

    /** Waits for the drop counter of {@code reason} to reach {@code n}. */
    void awaitDropped(DropReason reason, long n) {
        await().atMost(WAIT).until(() -> metrics().droppedCount(reason) >= n);
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> varbinds(DomainEvent e) {
        return (List<Map<String, Object>>) e.payload().get("varbinds");
    }

    @Override
    public void close() {
        if (service != null) {
            service.close();
        }
    }
}

package de.sid.verbund.monitoring.traps.internal;

import static de.sid.verbund.monitoring.traps.internal.Ber.varbind;
import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.trap.TrapEvents;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Which device a trap is attributed to: the sender's, or (from a trusted relay only) the one named by
 * {@code snmpTrapAddress.0} or the SNMPv1 agent-addr; and which communities are accepted. Senders on
 * two loopback addresses, 127.0.0.1 (an agent) and 127.0.0.2 (a relay).
 */
class AttributionTest {
    private static final InetAddress AGENT = address("127.0.0.1");
    private static final InetAddress RELAY = address("127.0.0.2");
    private final TrapFixture traps = new TrapFixture();

    @AfterEach
    void stop() {
        traps.close();
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] relayedLinkDown(String community, int... behind) {
        return Ber.v2Notification(0xA7, community, 1, 100, "1.3.6.1.6.3.1.1.5.3",
                varbind("1.3.6.1.2.1.2.2.1.1.2", Ber.integer(2)),
                varbind("1.3.6.1.6.3.18.1.3.0", Ber.ipAddress(behind[0], behind[1], behind[2], behind[3])));
    }

    private DomainEvent send(InetAddress from, byte[] packet) {
        int before = traps.events().size();
        traps.send(from, packet);
        return traps.awaitEvents(before + 1);
    }

    @Test
    void snmpTrapAddressAndAgentAddrAreBelievedOnlyFromATrustedRelay() {
        traps.community("public");
        Device far = traps.device("sw-far", "192.0.2.77", "dc2");
        Device local = traps.device("agent-local", "127.0.0.1", "dc1");
        Device relay = traps.device("relay", "127.0.0.2", "dc1");
        traps.start(Set.of(RELAY), Set.of(), 100, () -> null);

        DomainEvent relayed = send(RELAY, relayedLinkDown("public", 192, 0, 2, 77));
        DomainEvent forged = send(AGENT, relayedLinkDown("public", 192, 0, 2, 77));
        DomainEvent v1Relayed = send(RELAY, Ber.v1Trap("public", "1.3.6.1.4.1.9.1.1", new int[] {192, 0, 2, 77}, 0, 0, 1,
                Ber.tlv(0x30)));
        DomainEvent v1Direct = send(AGENT, Ber.v1Trap("public", "1.3.6.1.4.1.9.1.1", new int[] {192, 0, 2, 77}, 0, 0, 1,
                Ber.tlv(0x30)));
        // a relay's own trap without snmpTrapAddress.0 is its own
        DomainEvent relaysOwn = send(RELAY, Ber.v2Notification(0xA7, "public", 2, 1, "1.3.6.1.6.3.1.1.5.1"));

        assertThat(relayed.payload()).containsEntry(TrapEvents.AGENT_ADDRESS, "192.0.2.77")
                .containsEntry(TrapEvents.DEVICE, far.name()).containsEntry(TrapEvents.DEVICE_ID, far.id())
                .containsEntry(TrapEvents.SITE, "dc2").containsEntry(TrapEvents.IF_INDEX, 2);
        assertThat((String) relayed.payload().get(TrapEvents.SOURCE)).startsWith("127.0.0.2:");
        assertThat(forged.payload()).containsEntry(TrapEvents.AGENT_ADDRESS, "127.0.0.1")
                .containsEntry(TrapEvents.DEVICE, local.name());
        assertThat(v1Relayed.payload()).containsEntry(TrapEvents.AGENT_ADDRESS, "192.0.2.77")
                .containsEntry(TrapEvents.DEVICE, far.name()).containsEntry(TrapEvents.TRAP, TrapEvents.COLD_START);
        assertThat(v1Direct.payload()).containsEntry(TrapEvents.AGENT_ADDRESS, "127.0.0.1")
                .containsEntry(TrapEvents.DEVICE, local.name());
        assertThat(relaysOwn.payload()).containsEntry(TrapEvents.AGENT_ADDRESS, "127.0.0.2")
                .containsEntry(TrapEvents.DEVICE, relay.name());
    }

    @Test
    void aTrapFromNoKnownDeviceHasNullDeviceFields() {
        traps.community("public");
        traps.start();
        DomainEvent e = send(AGENT, Ber.v2Notification(0xA7, "public", 1, 1, "1.3.6.1.6.3.1.1.5.1"));
        assertThat(e.payload()).containsEntry(TrapEvents.DEVICE, null).containsEntry(TrapEvents.DEVICE_ID, null)
                .containsEntry(TrapEvents.SITE, null).containsEntry(TrapEvents.AGENT_ADDRESS, "127.0.0.1");
    }

    @Test
    void devicesSharingAnAddressAreToldApartByTheirCredentialsCommunity() {
        // the demo's case: one replay agent serves many recorded devices, one community each
        String[] names = {"apc-ups", "c9300"};
        for (String n : names) {
            Credential c = new Credential(UUID.randomUUID().toString(), "cred-" + n, Credential.CredentialVersion.V2C, null,
                    null, null, Instant.now());
            traps.inventory.credentials.put(c.id(), c);
            traps.inventory.trapCredentials.add(new SnmpCredentials.Community("community-" + n));
            traps.inventory.devices.put(n, new Device(UUID.randomUUID().toString(), n, "127.0.0.1", 16100, "demo",
                    DeviceKind.SWITCH, 60, List.of(), c.id(), Instant.now()));
        }
        traps.start();

        assertThat(send(AGENT, Ber.v2Notification(0xA7, "community-c9300", 1, 1, "1.3.6.1.6.3.1.1.5.1")).payload())
                .containsEntry(TrapEvents.DEVICE, "c9300");
        assertThat(send(AGENT, Ber.v2Notification(0xA7, "community-apc-ups", 1, 1, "1.3.6.1.2.1.33.2.1")).payload())
                .containsEntry(TrapEvents.DEVICE, "apc-ups");
    }

    @Test
    void unknownCommunityIsDroppedAndCountedAndANewCredentialWorksWithoutRestart() {
        traps.community("public");
        traps.start(Set.of(), Set.of("from-config"), 100, () -> null);

        traps.send(AGENT, Ber.v2Notification(0xA7, "guess", 1, 1, "1.3.6.1.6.3.1.1.5.1"));
        traps.awaitDropped(DropReason.UNKNOWN_COMMUNITY, 1);
        // not UTF-8: matches no stored community
        traps.send(AGENT, Ber.v2Notification(0xA7, "\u00ff\u00fe", 1, 1, "1.3.6.1.6.3.1.1.5.1"));
        traps.awaitDropped(DropReason.UNKNOWN_COMMUNITY, 2);
        assertThat(traps.events()).isEmpty();

        // stored through the API meanwhile: read again at the first trap that names it
        traps.inventory.trapCredentials.add(new SnmpCredentials.Community("guess"));
        assertThat(send(AGENT, Ber.v2Notification(0xA7, "guess", 1, 1, "1.3.6.1.6.3.1.1.5.1")).payload())
                .containsEntry(TrapEvents.TRAP, TrapEvents.COLD_START);
        assertThat(send(AGENT, Ber.v2Notification(0xA7, "from-config", 1, 1, "1.3.6.1.6.3.1.1.5.2")).payload())
                .containsEntry(TrapEvents.TRAP, TrapEvents.WARM_START);
        assertThat(traps.metrics().droppedCount(DropReason.UNKNOWN_COMMUNITY)).isEqualTo(2);
    }
}

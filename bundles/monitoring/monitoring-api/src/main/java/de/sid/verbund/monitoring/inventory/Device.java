package de.sid.verbund.monitoring.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A device polled over SNMP.
 *
 * @param id random UUID
 * @param name unique name, the {@code device} label of its metrics
 * @param address IP address or DNS name of its agent
 * @param port the agent's UDP port (161 by default)
 * @param site the data centre or room, the {@code site} label
 * @param kind what the device is
 * @param pollIntervalS seconds between polls
 * @param profiles profile names set by hand; empty: profiles are chosen by {@code sysObjectID}
 * @param credentialId the {@link Credential} it is polled with
 * @param createdAt when it was registered
 */
public record Device(String id, String name, String address, int port, String site, DeviceKind kind, int pollIntervalS,
                     List<String> profiles, String credentialId, Instant createdAt) {
    public Device {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        profiles = List.copyOf(profiles);
    }
}

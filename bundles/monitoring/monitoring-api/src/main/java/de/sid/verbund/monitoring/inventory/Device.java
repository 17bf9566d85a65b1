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
 * @param origin how it was registered: through the API or shell, or from the devices file
 */
public record Device(String id, String name, String address, int port, String site, DeviceKind kind, int pollIntervalS,
                     List<String> profiles, String credentialId, Instant createdAt, Origin origin) {
    public Device {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(origin, "origin");
        profiles = List.copyOf(profiles);
    }

    /** A device registered through the API or shell ({@link Origin#API}). */
    public Device(String id, String name, String address, int port, String site, DeviceKind kind, int pollIntervalS,
                  List<String> profiles, String credentialId, Instant createdAt) {
        this(id, name, address, port, site, kind, pollIntervalS, profiles, credentialId, createdAt, Origin.API);
    }

    /**
     * Where a device or credential was registered, and so who may change it: what came from the
     * devices file is changed and removed only through that file (the API refuses with 409).
     */
    public enum Origin {
        /** Registered through REST or the shell; changed and deleted there. */
        API,
        /** Declared in the devices file ({@link DeviceInventory#declare}); changed and removed there only. */
        FILE
    }
}

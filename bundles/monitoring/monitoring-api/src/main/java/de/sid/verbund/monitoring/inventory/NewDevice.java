package de.sid.verbund.monitoring.inventory;

import java.util.List;

/**
 * A device to register, as a caller gives it (unvalidated: {@link DeviceInventory#createDevice}
 * checks every field).
 *
 * @param name 1 to 63 characters: letters, digits, {@code . _ -}, starting with a letter or digit
 * @param address an IPv4 or IPv6 address or a DNS name
 * @param port UDP port, 1 to 65535; {@code null}: 161
 * @param site 1 to 63 characters like the name
 * @param kind one of {@link DeviceKind}, any case
 * @param pollIntervalS 10 to 86,400 s; {@code null}: 60
 * @param profiles profile names, or {@code null}/empty to match by {@code sysObjectID}
 * @param credentialId id of an existing credential
 */
public record NewDevice(String name, String address, Integer port, String site, String kind, Integer pollIntervalS,
                        List<String> profiles, String credentialId) {
}

package de.sid.verbund.monitoring.inventory;

import java.util.Locale;
import java.util.Optional;

/** What a device is, for dashboards, alarms and the {@code kind} label. */
public enum DeviceKind {
    SWITCH, ROUTER, FIREWALL, UPS, PDU, COOLING, SENSOR, SERVER, STORAGE;

    /** @return the kind named by {@code text} (any case), or empty */
    public static Optional<DeviceKind> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (DeviceKind k : values()) {
            if (k.name().equals(text.trim().toUpperCase(Locale.ROOT))) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}

package de.sid.verbund.monitoring.inventory;

import java.util.Objects;

/**
 * The cluster-wide poll schedule of a device: every node computes the same times, so the node
 * that takes a device over continues its rhythm instead of starting a new one.
 *
 * <p>A device with poll interval {@code I} ms is due at the epoch milliseconds
 * {@code T(k) = k·I + phase}, where {@code phase = phaseMillis(id, I)} (0 ≤ phase &lt; I, from a
 * hash of the device id, so devices spread over the interval) and {@code k} is the <em>slot</em>.
 * A poll belongs to exactly one slot, and in a cluster each slot of a device is polled at most
 * once (claimed in the shared database before the poll).
 */
public final class PollSlots {
    private PollSlots() {
    }

    /**
     * @param deviceId the device id
     * @param intervalMillis the poll interval in ms (positive)
     * @return the device's phase in ms, {@code 0 ≤ phase < intervalMillis}; the same on every node and run
     */
    public static long phaseMillis(String deviceId, long intervalMillis) {
        Objects.requireNonNull(deviceId, "deviceId");
        if (intervalMillis <= 0) {
            throw new IllegalArgumentException("intervalMillis must be positive, was " + intervalMillis);
        }
        // String.hashCode is specified by the JLS, so stable across JVMs; mixed (Murmur3's finaliser)
        // so that ids differing in one character land far apart
        long h = deviceId.hashCode() & 0xffffffffL;
        h ^= h >>> 16;
        h *= 0x85ebca6bL;
        h ^= h >>> 13;
        h *= 0xc2b2ae35L;
        h ^= h >>> 16;
        return Math.floorMod(h, intervalMillis);
    }

    /**
     * @param epochMillis a time in epoch ms
     * @return the slot whose due time is the latest at or before {@code epochMillis}
     */
    public static long slotAt(String deviceId, long intervalMillis, long epochMillis) {
        return Math.floorDiv(epochMillis - phaseMillis(deviceId, intervalMillis), intervalMillis);
    }

    /** @return the due time of slot {@code slot} in epoch ms */
    public static long dueAt(String deviceId, long intervalMillis, long slot) {
        return slot * intervalMillis + phaseMillis(deviceId, intervalMillis);
    }
}

package de.sid.verbund.monitoring.inventory;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.smi.Oid;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Polls devices of the inventory on their schedules; this is the "poll now" of REST and shell. */
public interface DevicePoller {
    /** The most rows a {@linkplain #walk walk} returns. */
    int MAX_WALK_ROWS = 10_000;

    /**
     * Polls a device at once, besides its schedule; its samples replace the latest ones exposed.
     *
     * @return the outcome; completes normally also when the device does not answer
     *         ({@link PollSummary#up()} false)
     */
    CompletionStage<PollSummary> pollNow(Device device);

    /** @return what is known of the device, empty if the poller does not know it (yet) */
    /**
     * @return the names of the profiles the poller has loaded; empty while it is starting or when
     *         it has none (then names set by hand cannot be checked)
     */
    default java.util.Set<String> profileNames() {
        return java.util.Set.of();
    }

    /**
     * Checks profile names set by hand against what a poller has loaded: a device with an unknown
     * one would fail every poll. Nothing is checked without a poller or while it has no profiles.
     *
     * @param poller the poller, or {@code null}
     * @param names the names set by hand, or {@code null}
     * @throws ProblemException BAD_REQUEST naming the unknown profiles and the known ones
     */
    static void requireKnownProfiles(DevicePoller poller, List<String> names) {
        java.util.Set<String> known = poller == null ? java.util.Set.of() : poller.profileNames();
        if (names == null || known.isEmpty()) {
            return;
        }
        List<String> unknown = names.stream().filter(n -> n != null && !known.contains(n))
                .map(n -> n.length() > 60 ? n.substring(0, 60) + "…" : n).toList();
        if (!unknown.isEmpty()) {
            throw ProblemException.badRequest("unknown profile(s) " + unknown + "; the poller has "
                    + new java.util.TreeSet<>(known));
        }
    }

    default Optional<DeviceStatus> status(String deviceId) {
        return Optional.empty();
    }

    /**
     * @return the samples of the device's latest poll, as exposed at {@code /metrics} (without
     *         {@code verbund_device_*}); empty before its first answered poll, while it does not
     *         answer, or if the poller does not know it
     */
    default List<MetricSample> samples(String deviceId) {
        return List.of();
    }

    /**
     * @return the device's status with its interfaces, sensors and UPS from the latest poll;
     *         empty if the poller does not know the device (yet)
     */
    default Optional<DeviceState> state(String deviceId) {
        return status(deviceId).map(s -> new DeviceState(s, List.of(), List.of(), null));
    }

    /**
     * Walks a subtree of a device now, through the device's own target (its address, credential,
     * timeout and retries), outside its schedule.
     *
     * @param device the device
     * @param root the subtree, e.g. {@code 1.3.6.1.2.1.2.2.1.2} (ifDescr)
     * @param limit the most rows to return, 1 to {@link #MAX_WALK_ROWS}; the walk stops soon after
     *        it has them
     * @return the walk; completes normally also when the device does not answer ({@link DeviceWalk#end()}
     *         {@code TIMEOUT}); fails with a {@link ProblemException} CONFLICT when the device cannot be
     *         polled (unresolvable address, credential gone) or BAD_REQUEST for a limit out of range
     */
    default CompletionStage<DeviceWalk> walk(Device device, Oid root, int limit) {
        return CompletableFuture.failedFuture(new ProblemException(ProblemType.UNAVAILABLE,
                "device walks need the device poller of monitoring-core"));
    }
}

package de.sid.verbund.monitoring.inventory;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Polls devices of the inventory on their schedules; this is the "poll now" of REST and shell. */
public interface DevicePoller {
    /**
     * Polls a device at once, besides its schedule; its samples replace the latest ones exposed.
     *
     * @return the outcome; completes normally also when the device does not answer
     *         ({@link PollSummary#up()} false)
     */
    CompletionStage<PollSummary> pollNow(Device device);

    /** @return what is known of the device, empty if the poller does not know it (yet) */
    default Optional<DeviceStatus> status(String deviceId) {
        return Optional.empty();
    }
}

package de.sid.verbund.monitoring.inventory;

import java.time.Instant;

/**
 * What the poller knows of a device now.
 *
 * @param deviceId the device's id
 * @param device the device's name
 * @param polled whether it has been polled since the poller started (if not, the rest is empty)
 * @param up whether it answered its last poll
 * @param lastPollAt when its last poll started, or {@code null}
 * @param lastDurationMs how long its last poll took
 * @param polls polls since the poller started
 * @param errors of these, polls without an answer or that could not be sent
 * @param sysDescr {@code sysDescr.0} of the last answered poll, or {@code null}
 * @param sysObjectId {@code sysObjectID.0} of the last answered poll, or {@code null}
 * @param uptimeSeconds {@code sysUpTime.0} of the last answered poll in seconds, or {@code null}
 * @param samples metric samples of the last poll
 * @param problem what went wrong in the last poll, or {@code null}
 */
public record DeviceStatus(String deviceId, String device, boolean polled, boolean up, Instant lastPollAt,
                           long lastDurationMs, long polls, long errors, String sysDescr, String sysObjectId,
                           Long uptimeSeconds, int samples, String problem) {
}

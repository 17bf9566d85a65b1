package de.sid.verbund.monitoring.inventory;

import java.time.Instant;

/**
 * What one poll of a device gave.
 *
 * @param deviceId the device's id
 * @param device the device's name
 * @param up whether the agent answered
 * @param startedAt when the poll started
 * @param durationMs how long it took, milliseconds
 * @param requests SNMP requests sent
 * @param varbinds variable bindings received
 * @param samples metric samples the device's profiles made of them
 * @param problem why it was not up, or what went wrong in part (a partial walk, a mapping problem); {@code null} if nothing
 */
public record PollSummary(String deviceId, String device, boolean up, Instant startedAt, long durationMs, int requests,
                          long varbinds, int samples, String problem) {
}

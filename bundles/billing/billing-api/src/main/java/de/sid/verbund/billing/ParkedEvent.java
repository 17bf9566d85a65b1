package de.sid.verbund.billing;

import java.time.Instant;

/**
 * An event or usage report set aside for review instead of being metered: malformed (a poison
 * event), or usage for a period closed longer ago than the correction horizon. Parking never
 * blocks the events after it.
 *
 * @param eventId the event's id (or the text found there)
 * @param type the event type, e.g. {@code vm.resized}, or {@code usage} for a usage report
 * @param reason why it was parked, e.g. "payload.vcpu missing"
 * @param body the event as received (JSON)
 * @param parkedAt when it was parked
 */
public record ParkedEvent(String eventId, String type, String reason, String body, Instant parkedAt) {
}

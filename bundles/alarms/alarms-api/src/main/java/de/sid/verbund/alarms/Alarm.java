package de.sid.verbund.alarms;

import java.time.Instant;
import java.util.Objects;

/**
 * An alarm: one condition of one source, from its first raise to its clear.
 *
 * @param id random UUID
 * @param key the de-duplication key (see {@link AlarmKeys}): while the alarm is open, a raise
 *        with this key is a repeat of it
 * @param sourceKind what the alarm is about
 * @param sourceId the device's or host's id; {@code null} for a trap from an address no device has
 * @param sourceName the device's or host's name, or that address
 * @param site the source's site, {@code null} if unknown
 * @param type what happened, camelCase, e.g. {@code interfaceDown}, {@code upsOnBattery}
 * @param severity the current severity (raised by escalation and by repeats of higher severity)
 * @param state ACTIVE, ACKNOWLEDGED or CLEARED
 * @param description what an operator reads, of the latest occurrence
 * @param count how often it was raised while open (1 for a new alarm)
 * @param firstSeen the first raise
 * @param lastSeen the latest raise
 * @param acknowledgedBy who acknowledged it, {@code null} if nobody
 * @param acknowledgedAt when
 * @param acknowledgeNote the note given with the acknowledgement, or {@code null}
 * @param clearedAt when it was cleared, {@code null} while open
 * @param clearedBy who cleared it: a user, {@code trap}, {@code rule:<name>} or {@code system}
 * @param clearReason why, or {@code null}
 * @param escalatedAt the latest escalation, {@code null} if never escalated
 * @param escalationLevel how many severity steps escalation added
 * @param expiresAt for alarms about a past event (a restart, an authentication failure): when it
 *        clears itself if nobody cleared it before; {@code null} for conditions, which clear when
 *        the condition ends and which escalate
 */
public record Alarm(String id, String key, SourceKind sourceKind, String sourceId, String sourceName, String site,
                    String type, Severity severity, AlarmState state, String description, long count,
                    Instant firstSeen, Instant lastSeen, String acknowledgedBy, Instant acknowledgedAt,
                    String acknowledgeNote, Instant clearedAt, String clearedBy, String clearReason,
                    Instant escalatedAt, int escalationLevel, Instant expiresAt) {
    public Alarm {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sourceKind, "sourceKind");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(state, "state");
    }
}

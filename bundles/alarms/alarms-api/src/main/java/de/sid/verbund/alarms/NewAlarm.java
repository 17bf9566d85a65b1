package de.sid.verbund.alarms;

import java.time.Duration;
import java.util.Objects;

/**
 * A raise of an alarm.
 *
 * @param key the de-duplication key, at most {@value AlarmKeys#MAX_LENGTH} characters (build it with {@link AlarmKeys#of})
 * @param sourceKind what it is about
 * @param sourceId the device's or host's id, or {@code null} when the source is only an address
 * @param sourceName its name (or address), at most 255 characters
 * @param site its site, or {@code null}
 * @param type what happened, camelCase ({@code [a-z][A-Za-z0-9]*}, at most 63 characters)
 * @param severity how bad it is
 * @param description what an operator reads (longer text is cut to 1,000 characters)
 * @param expiresAfter for an alarm about a past event: it clears itself this long after its
 *        latest raise, and never escalates; {@code null} for a condition that something clears
 */
public record NewAlarm(String key, SourceKind sourceKind, String sourceId, String sourceName, String site, String type,
                       Severity severity, String description, Duration expiresAfter) {
    public NewAlarm {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(sourceKind, "sourceKind");
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(description, "description");
        if (key.isEmpty() || key.length() > AlarmKeys.MAX_LENGTH) {
            throw new IllegalArgumentException("alarm key must have 1 to " + AlarmKeys.MAX_LENGTH + " characters: " + key);
        }
        if (!type.matches("[a-z][A-Za-z0-9]{0,62}")) {
            throw new IllegalArgumentException("alarm type must be camelCase like interfaceDown: " + type);
        }
        if (expiresAfter != null && (expiresAfter.isNegative() || expiresAfter.isZero())) {
            throw new IllegalArgumentException("expiresAfter must be positive: " + expiresAfter);
        }
    }
}

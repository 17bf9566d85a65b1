package de.sid.verbund.alarms;

import java.time.Instant;

/**
 * One step of an alarm's life, in its append-only history.
 *
 * @param at when
 * @param action what happened
 * @param by who: a user name (REST, shell {@code shell:<user>}), {@code trap}, {@code rule:<name>} or {@code system}
 * @param severity the alarm's severity after the step
 * @param note the acknowledgement's note, the clear's reason, an escalation's or a raise's origin; or {@code null}
 */
public record AlarmHistoryEntry(Instant at, Action action, String by, Severity severity, String note) {
    /** The steps of an alarm's life. */
    public enum Action {
        /** The alarm was opened. */
        RAISED,
        /** Raised again while open: count and last seen went up. */
        REPEATED,
        /** An operator acknowledged it. */
        ACKNOWLEDGED,
        /** Its severity went up (unacknowledged too long, or a repeat of higher severity). */
        ESCALATED,
        /** It was cleared: by its clearing trap or rule, by an operator, or by expiry. */
        CLEARED
    }
}

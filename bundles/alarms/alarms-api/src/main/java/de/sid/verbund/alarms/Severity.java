package de.sid.verbund.alarms;

import java.util.Locale;

/**
 * Perceived severity of ITU-T X.733 (section 8.1.2.3), lowest first. X.733's sixth value,
 * {@code cleared}, is an alarm's {@link AlarmState#CLEARED state} here, not a severity.
 * {@link #INDETERMINATE} (the severity cannot be determined) ranks lowest, so escalation lifts
 * it to {@link #WARNING} first.
 */
public enum Severity {
    /** The severity level cannot be determined. */
    INDETERMINATE,
    /** A potential or impending service-affecting fault, before any significant effect. */
    WARNING,
    /** A non-service-affecting fault that should be corrected to prevent a more serious one. */
    MINOR,
    /** A service-affecting condition that requires urgent corrective action. */
    MAJOR,
    /** A service-affecting condition that requires immediate corrective action. */
    CRITICAL;

    /** @return the next higher severity, {@link #CRITICAL} stays {@link #CRITICAL} */
    public Severity escalated() {
        return this == CRITICAL ? CRITICAL : values()[ordinal() + 1];
    }

    /** @return the lower-case name, as in X.733 and in metric labels ({@code major}) */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param text a severity name in any case ({@code major}, {@code MAJOR})
     * @return the severity
     * @throws IllegalArgumentException naming the valid values when it is none of them
     */
    public static Severity parse(String text) {
        if (text != null) {
            for (Severity s : values()) {
                if (s.name().equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown severity '" + text
                + "' (critical, major, minor, warning, indeterminate)");
    }
}

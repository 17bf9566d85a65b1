package de.sid.verbund.alarms;

import java.util.Locale;

/**
 * Where an alarm is in its lifecycle: raised ({@link #ACTIVE}), seen by an operator
 * ({@link #ACKNOWLEDGED}), over ({@link #CLEARED}). ACTIVE and ACKNOWLEDGED alarms are
 * <em>open</em>: a raise with the same key counts as a repeat of the open alarm. A CLEARED
 * alarm never changes again; a later raise with its key opens a new alarm.
 */
public enum AlarmState {
    ACTIVE, ACKNOWLEDGED, CLEARED;

    /** @return whether the alarm is open (not cleared) */
    public boolean isOpen() {
        return this != CLEARED;
    }

    /**
     * @param text a state name in any case
     * @throws IllegalArgumentException naming the valid values when it is none of them
     */
    public static AlarmState parse(String text) {
        if (text != null) {
            for (AlarmState s : values()) {
                if (s.name().equalsIgnoreCase(text.trim())) {
                    return s;
                }
            }
        }
        throw new IllegalArgumentException("unknown alarm state '" + text + "' (ACTIVE, ACKNOWLEDGED, CLEARED)");
    }

    /** @return the lower-case name, as in metric labels */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

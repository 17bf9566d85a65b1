package de.sid.verbund.alarms;

import java.util.List;

/**
 * An alarm with its history.
 *
 * @param alarm the alarm
 * @param history its steps, oldest first
 */
public record AlarmDetail(Alarm alarm, List<AlarmHistoryEntry> history) {
    public AlarmDetail {
        history = List.copyOf(history);
    }
}

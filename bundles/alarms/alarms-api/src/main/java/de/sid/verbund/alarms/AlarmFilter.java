package de.sid.verbund.alarms;

import java.util.Set;

/**
 * Which alarms to list; every part is optional ({@code null} or empty matches everything).
 *
 * @param states alarms in one of these states
 * @param severities alarms of one of these severities
 * @param source alarms whose source has this id or this name
 * @param type alarms of this type
 */
public record AlarmFilter(Set<AlarmState> states, Set<Severity> severities, String source, String type) {
    /** Every alarm. */
    public static final AlarmFilter ALL = new AlarmFilter(Set.of(), Set.of(), null, null);
    /** Open alarms: ACTIVE and ACKNOWLEDGED. */
    public static final AlarmFilter OPEN = new AlarmFilter(Set.of(AlarmState.ACTIVE, AlarmState.ACKNOWLEDGED), Set.of(),
            null, null);

    public AlarmFilter {
        states = states == null ? Set.of() : Set.copyOf(states);
        severities = severities == null ? Set.of() : Set.copyOf(severities);
        source = source == null || source.isBlank() ? null : source.trim();
        type = type == null || type.isBlank() ? null : type.trim();
    }
}

package de.sid.verbund.alarms;

/**
 * The contract of alarm events on the event bus. Every state or severity change of an alarm is
 * one {@link de.sid.verbund.core.DomainEvent} on topic {@value #TOPIC}, written in the change's
 * database transaction (transactional outbox), {@code tenantId} null. The events of one alarm
 * keep the order of its changes.
 *
 * <p>A repeat (a raise of an open alarm, which only counts) is not published: under a trap storm
 * it would flood the bus without news; the count is in the alarm and its history. A repeat that
 * raises the severity is published as {@value #ESCALATED}.
 *
 * <p>Payload keys: {@value #ALARM_ID}, {@value #KEY}, {@value #TYPE}, {@value #SEVERITY}
 * (lower-case X.733 name), {@value #STATE}, {@value #SOURCE_KIND}, {@value #SOURCE_ID},
 * {@value #SOURCE_NAME}, {@value #SITE}, {@value #DESCRIPTION}, {@value #COUNT},
 * {@value #FIRST_SEEN}, {@value #LAST_SEEN} (ISO-8601), {@value #BY} (who made the change) and
 * {@value #NOTE} (acknowledgement note, clear reason, escalation cause), plus
 * {@value #PREVIOUS_SEVERITY} on {@value #ESCALATED}.
 */
public final class AlarmEvents {
    /** Topic of alarm events. */
    public static final String TOPIC = "alarms.events";
    /** A new alarm was opened. */
    public static final String RAISED = "alarm.raised";
    /** An operator acknowledged an alarm. */
    public static final String ACKNOWLEDGED = "alarm.acknowledged";
    /** An alarm's severity went up. */
    public static final String ESCALATED = "alarm.escalated";
    /** An alarm was cleared. */
    public static final String CLEARED = "alarm.cleared";

    public static final String ALARM_ID = "alarmId";
    public static final String KEY = "key";
    public static final String TYPE = "type";
    public static final String SEVERITY = "severity";
    public static final String PREVIOUS_SEVERITY = "previousSeverity";
    public static final String STATE = "state";
    public static final String SOURCE_KIND = "sourceKind";
    public static final String SOURCE_ID = "sourceId";
    public static final String SOURCE_NAME = "sourceName";
    public static final String SITE = "site";
    public static final String DESCRIPTION = "description";
    public static final String COUNT = "count";
    public static final String FIRST_SEEN = "firstSeen";
    public static final String LAST_SEEN = "lastSeen";
    public static final String BY = "by";
    public static final String NOTE = "note";

    private AlarmEvents() {
    }
}

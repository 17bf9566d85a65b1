package de.sid.verbund.alarms.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Verbund alarms", description = "Alarm lifecycle (escalation, expiry), alarms from SNMP "
        + "traps and from threshold rules on poll samples")
public @interface AlarmsConfig {
    String PID = "de.sid.verbund.alarms";

    @AttributeDefinition(name = "Escalation after (s)", description = "An ACTIVE (unacknowledged) alarm goes up one "
            + "severity step (warning, minor, major, critical) each time this long has passed since its raise or its last "
            + "escalation; 0 turns escalation off")
    long escalation_after_s() default 900;

    @AttributeDefinition(name = "Sweep interval (s)", description = "How often escalation and expiry are checked")
    long sweep_interval_s() default 30;

    @AttributeDefinition(name = "Notification lifetime (s)", description = "Alarms about a past event (deviceRestarted, "
            + "authenticationFailure) never escalate and clear themselves this long after their last raise")
    long notification_lifetime_s() default 86_400;

    @AttributeDefinition(name = "Trap subscription", description = "Durable subscription to the trap events "
            + "(topic monitoring.events); nodes with the same name share the traps")
    String trap_subscription() default "alarms.traps";

    @AttributeDefinition(name = "Rules file", description = "Threshold rules (YAML); a relative path is taken from the "
            + "Karaf base directory; re-read when it changes")
    String rules_file() default "monitoring/alarm-rules.yaml";

    @AttributeDefinition(name = "Rules check (s)", description = "How often the rules file is checked for changes and "
            + "the open alarms of the rules are re-read")
    long rules_check_s() default 60;
}

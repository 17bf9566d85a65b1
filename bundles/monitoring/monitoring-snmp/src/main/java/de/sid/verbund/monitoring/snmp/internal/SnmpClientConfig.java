package de.sid.verbund.monitoring.snmp.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Verbund SNMP client", description = "The one UDP socket all SNMP polls are sent from")
public @interface SnmpClientConfig {
    String PID = "de.sid.verbund.monitoring.snmp";

    @AttributeDefinition(name = "Local address", description = "Local IP address to send from; 0.0.0.0 for any")
    String local_address() default "0.0.0.0";

    @AttributeDefinition(name = "Completion threads", description = "Threads that hand results to the poller (1 or more)")
    int completion_threads() default 2;
}

package de.sid.verbund.monitoring.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Verbund device poller", description = "Polls the inventory's devices over SNMP on their "
        + "intervals and exposes the latest samples at /metrics")
public @interface PollerConfig {
    String PID = "de.sid.verbund.monitoring.poller";

    @AttributeDefinition(name = "Profiles directory", description = "Directory of the SNMP profiles (*.yaml); a relative "
            + "path is taken from the Karaf base directory")
    String profiles_dir() default "monitoring/profiles";

    @AttributeDefinition(name = "Concurrent polls", description = "Most devices polled at the same time; further due polls wait")
    int max_concurrent_polls() default 64;

    @AttributeDefinition(name = "Inventory sync (s)", description = "How often the device list is read again for new, "
            + "changed and deleted devices")
    int sync_interval_s() default 30;

    @AttributeDefinition(name = "Timeout (ms)", description = "How long each SNMP request waits for an answer before a retry")
    int timeout_ms() default 2000;

    @AttributeDefinition(name = "Retries", description = "Re-sends of an unanswered SNMP request (0 to 10)")
    int retries() default 1;

    @AttributeDefinition(name = "Poll lease (s)", description = "In a cluster: how long a node's claim on a device "
            + "lasts after its last renewal (renewed every second). Another member may take the device over only "
            + "after it expired, so this bounds the failover time from below; it must exceed the longest stall "
            + "(GC pause, database hiccup) a healthy node can have")
    int lease_s() default 3;
}

package de.sid.verbund.monitoring.hypervisor.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the hypervisor host monitor ({@code etc/de.sid.verbund.monitoring.hypervisor.cfg}). */
@ObjectClassDefinition(name = "Verbund hypervisor host monitoring", description = "Polls the compute area's hosts "
        + "through libvirt for CPU, memory and domain counts")
public @interface HypervisorMonitorConfig {
    String PID = "de.sid.verbund.monitoring.hypervisor";

    @AttributeDefinition(description = "Seconds between two polls of all hosts (at least 5)")
    int interval_s() default 60;
}

package de.sid.verbund.monitoring.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Verbund devices file", description = "SNMP credentials and devices declared in a YAML "
        + "file, applied at start and whenever the file changes")
public @interface DevicesFileConfig {
    String PID = "de.sid.verbund.monitoring.devices";

    @AttributeDefinition(name = "File", description = "The devices file (YAML); a relative path is taken from the Karaf "
            + "base directory; empty: no devices file")
    String file() default "etc/verbund-devices.yaml";

    @AttributeDefinition(name = "Check interval (s)", description = "How often the file is checked for changes")
    int check_interval_s() default 5;
}

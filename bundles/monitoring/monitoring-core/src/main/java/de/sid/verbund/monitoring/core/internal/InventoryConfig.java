package de.sid.verbund.monitoring.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Verbund device inventory", description = "Devices and their SNMP credentials in the "
        + "database; the credentials' secrets are stored encrypted")
public @interface InventoryConfig {
    String PID = "de.sid.verbund.monitoring.inventory";

    @AttributeDefinition(name = "Credential key file", description = "File with the AES-256 key of the stored SNMP "
            + "communities and passphrases, made (mode 0600) on first start if missing. Empty: "
            + "verbund-credentials.key in Karaf's etc directory; a relative path is taken from the Karaf base directory. "
            + "Back it up apart from the database; every node of a cluster needs the same file")
    String credential_key_file() default "";
}

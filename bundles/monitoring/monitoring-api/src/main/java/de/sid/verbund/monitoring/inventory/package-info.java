/**
 * Device inventory: the SNMP devices Verbund polls and the credentials they are polled with,
 * kept apart so a community or passphrase is stored once and never travels with a device.
 * {@link de.sid.verbund.monitoring.inventory.Credential} is the public view of a credential: it
 * carries no secret; secrets enter through {@link de.sid.verbund.monitoring.inventory.NewCredential}
 * (whose {@code toString()} masks them) and leave only as an
 * {@link de.sid.verbund.monitoring.SnmpTarget} for the poller.
 */
@Export
@Version("1.2.0")
package de.sid.verbund.monitoring.inventory;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/** The contract of SNMP trap events on the event bus (see {@link de.sid.verbund.monitoring.trap.TrapEvents}). */
@Export
@Version("1.0.0")
package de.sid.verbund.monitoring.trap;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

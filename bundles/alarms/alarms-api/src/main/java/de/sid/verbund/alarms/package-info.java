/**
 * Alarms: conditions of devices and hosts that need an operator's attention, with their
 * lifecycle (raise, de-duplicate, acknowledge, clear, escalate). {@link de.sid.verbund.alarms.AlarmService}
 * is the entry point; {@link de.sid.verbund.alarms.AlarmEvents} is the contract of the events
 * every change publishes on the event bus.
 *
 * <p>Severities are those of ITU-T X.733 (section 8.1.2.3); times are UTC instants to the
 * microsecond.
 */
@Export
@Version("1.0.0")
package de.sid.verbund.alarms;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

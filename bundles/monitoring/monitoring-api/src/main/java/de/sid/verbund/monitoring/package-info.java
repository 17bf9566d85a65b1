/**
 * Monitoring: polling network and data-centre hardware over SNMP, and turning what is read
 * into metrics. This package holds the SNMP {@link de.sid.verbund.monitoring.SnmpClient client
 * interface} with its targets and results, and the {@link de.sid.verbund.monitoring.CounterRates
 * counter-to-rate arithmetic} of RFC 2863; the value model is in {@code
 * de.sid.verbund.monitoring.smi}.
 *
 * <p>Units throughout: durations as {@link java.time.Duration}, SNMP {@code TimeTicks} in
 * hundredths of a second, rates per second in the counter's own unit (octets for
 * {@code ifHCInOctets}), interface speeds in bits per second.
 */
@Export
@Version("1.0.0")
package de.sid.verbund.monitoring;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

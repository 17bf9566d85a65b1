/**
 * Declarative SNMP profiles and the mapping of poll results to metric samples.
 *
 * <p>A {@link de.sid.verbund.monitoring.profile.Profile profile} says which subtrees to read
 * and how each object becomes a metric: its name, type, index labels, lookups, enum values,
 * scale and, for counters, a rate. Profiles are YAML files (see {@code monitoring/profiles/}
 * and {@link de.sid.verbund.monitoring.profile.ProfileLoader}) in the format of Prometheus'
 * snmp_exporter generator output, with a few additions, so a new device kind needs a file,
 * not code. The {@link de.sid.verbund.monitoring.profile.ProfileMapper mapper} turns a
 * {@link de.sid.verbund.monitoring.PollResult} into {@link
 * de.sid.verbund.monitoring.MetricSample samples} named as snmp_exporter names them.
 */
@Export
@Version("1.0.0")
package de.sid.verbund.monitoring.profile;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

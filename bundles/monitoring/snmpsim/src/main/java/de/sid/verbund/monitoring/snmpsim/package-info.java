/**
 * A replay agent for recorded SNMP walks: {@code .snmprec} files (snmpsim's format, one
 * community per file) served over UDP with SNMPv1 and SNMPv2c, answering as Debian's
 * {@code snmpsimd} does, but fast enough for scale tests with thousands of devices.
 *
 * <p>{@link de.sid.verbund.monitoring.snmpsim.SnmprecParser} reads one file into a
 * {@link de.sid.verbund.monitoring.snmpsim.RecordTable}, {@link de.sid.verbund.monitoring.snmpsim.DataDirectory}
 * reads a directory of them, {@link de.sid.verbund.monitoring.snmpsim.ReplayResponder} holds
 * the protocol semantics and {@link de.sid.verbund.monitoring.snmpsim.ReplayAgent} serves them
 * on SNMP4J.
 */
@Export
@Version("1.1.0")
package de.sid.verbund.monitoring.snmpsim;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

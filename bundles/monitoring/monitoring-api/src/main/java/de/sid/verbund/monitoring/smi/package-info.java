/**
 * The SNMP value model (SMIv2, RFC 2578) as immutable Java values: {@link
 * de.sid.verbund.monitoring.smi.Oid object identifiers}, {@link
 * de.sid.verbund.monitoring.smi.SnmpValue values} of the nine SMIv2 base types plus the three
 * exception values of RFC 3416, {@link de.sid.verbund.monitoring.smi.VarBind variable
 * bindings}, and the {@link de.sid.verbund.monitoring.smi.OctetStrings rendering} of octet
 * strings by their textual convention (RFC 2579). Nothing here touches the network.
 */
@Export
@Version("1.0.0")
package de.sid.verbund.monitoring.smi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

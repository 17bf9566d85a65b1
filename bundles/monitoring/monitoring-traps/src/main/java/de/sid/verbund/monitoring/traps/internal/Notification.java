package de.sid.verbund.monitoring.traps.internal;

import java.net.InetAddress;
import java.util.List;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.VariableBinding;

/**
 * A received trap or inform in SNMPv2 form (RFC 3416 section 4.2.6; an SNMPv1 trap converted by
 * RFC 3584 section 3.1).
 *
 * @param version {@code v1}, {@code v2c} or {@code v3}
 * @param inform true for an InformRequest
 * @param uptime the agent's {@code sysUpTime.0} in hundredths of a second, or null if it sent none
 * @param trapOid {@code snmpTrapOID.0}
 * @param varbinds the variable bindings after {@code sysUpTime.0} and {@code snmpTrapOID.0}, in the
 *        order received (for SNMPv1: the trap's own, then {@code snmpTrapAddress.0} and
 *        {@code snmpTrapEnterprise.0} as RFC 3584 appends them)
 * @param v1AgentAddress the SNMPv1 {@code agent-addr} field; null for v2c and v3
 */
record Notification(String version, boolean inform, Long uptime, OID trapOid, List<VariableBinding> varbinds,
                    InetAddress v1AgentAddress) {
    Notification {
        varbinds = List.copyOf(varbinds);
    }

    /** @return the value of the first varbind named {@code oid}, or null */
    org.snmp4j.smi.Variable value(OID oid) {
        for (VariableBinding vb : varbinds) {
            if (vb.getOid().equals(oid)) {
                return vb.getVariable();
            }
        }
        return null;
    }
}

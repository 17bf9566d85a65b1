package de.sid.verbund.monitoring.traps.internal;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.UnsignedInteger32;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/** Turns a received PDU into a {@link Notification}: SNMPv2 form, SNMPv1 traps converted by RFC 3584 section 3.1. */
final class Notifications {
    /** {@code sysUpTime.0} (RFC 3418). */
    static final OID SYS_UP_TIME_0 = new OID("1.3.6.1.2.1.1.3.0");
    /** {@code snmpTrapOID.0} (RFC 3418). */
    static final OID SNMP_TRAP_OID_0 = new OID("1.3.6.1.6.3.1.1.4.1.0");
    /** {@code snmpTrapEnterprise.0} (RFC 3418). */
    static final OID SNMP_TRAP_ENTERPRISE_0 = new OID("1.3.6.1.6.3.1.1.4.3.0");
    /** {@code snmpTrapAddress.0} (RFC 3584 section 3). */
    static final OID SNMP_TRAP_ADDRESS_0 = new OID("1.3.6.1.6.3.18.1.3.0");
    /** {@code snmpTrapCommunity.0} (RFC 3584 section 3): never passed on, it is a secret. */
    static final OID SNMP_TRAP_COMMUNITY_0 = new OID("1.3.6.1.6.3.18.1.4.0");
    /** {@code snmpTraps} (RFC 3418): the generic traps are its children 1 to 5. */
    static final OID SNMP_TRAPS = new OID("1.3.6.1.6.3.1.1.5");

    private Notifications() {
    }

    /** A PDU that cannot be read as a notification. */
    static final class NotANotification extends Exception {
        private static final long serialVersionUID = 1L;
        final DropReason reason;

        NotANotification(DropReason reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /**
     * @param pdu a decoded PDU
     * @param version {@code v1}, {@code v2c} or {@code v3}
     * @return the notification in SNMPv2 form
     * @throws NotANotification {@link DropReason#NOT_A_NOTIFICATION} for other PDU types,
     *         {@link DropReason#MALFORMED} for an SNMPv1 generic-trap above 6 or an SNMPv2 notification
     *         without {@code snmpTrapOID.0}
     */
    static Notification of(PDU pdu, String version) throws NotANotification {
        return switch (pdu.getType()) {
            case PDU.V1TRAP -> fromV1((PDUv1) pdu);
            case PDU.TRAP, PDU.INFORM -> fromV2(pdu, version);
            default -> throw new NotANotification(DropReason.NOT_A_NOTIFICATION, "a " + PDU.getTypeString(pdu.getType())
                    + " PDU, not a trap or inform");
        };
    }

    /**
     * RFC 3416 section 4.2.6: the first two varbinds are {@code sysUpTime.0} and {@code snmpTrapOID.0}.
     * Agents that put them elsewhere are tolerated: they are looked for in the whole list.
     */
    private static Notification fromV2(PDU pdu, String version) throws NotANotification {
        List<? extends VariableBinding> all = pdu.getVariableBindings();
        Long uptime = null;
        OID trapOid = null;
        List<VariableBinding> rest = new ArrayList<>(all.size());
        for (VariableBinding vb : all) {
            if (uptime == null && vb.getOid().equals(SYS_UP_TIME_0) && isUnsigned32(vb.getVariable())) {
                uptime = ((UnsignedInteger32) vb.getVariable()).getValue();
            } else if (trapOid == null && vb.getOid().equals(SNMP_TRAP_OID_0)
                    && vb.getVariable().getSyntax() == SMIConstants.SYNTAX_OBJECT_IDENTIFIER) {
                trapOid = (OID) vb.getVariable();
            } else {
                rest.add(vb);
            }
        }
        if (trapOid == null) {
            throw new NotANotification(DropReason.MALFORMED, "a " + PDU.getTypeString(pdu.getType())
                    + " without snmpTrapOID.0 (RFC 3416 4.2.6)");
        }
        return new Notification(version, pdu.getType() == PDU.INFORM, uptime, trapOid, rest, null);
    }

    private static boolean isUnsigned32(Variable v) {
        return v.getSyntax() == SMIConstants.SYNTAX_TIMETICKS || v.getSyntax() == SMIConstants.SYNTAX_GAUGE32
                || v.getSyntax() == SMIConstants.SYNTAX_COUNTER32;
    }

    /**
     * RFC 3584 section 3.1: {@code sysUpTime.0} is the time-stamp; {@code snmpTrapOID.0} is
     * {@code snmpTraps.(generic-trap + 1)} for generic-trap 0 to 5, and {@code enterprise.0.specific-trap}
     * for 6 (enterpriseSpecific); the trap's varbinds follow, then {@code snmpTrapAddress.0} (the
     * agent-addr) and {@code snmpTrapEnterprise.0} unless the trap had them. {@code snmpTrapCommunity.0}
     * is not appended: the community is a secret and must not reach the event bus.
     */
    private static Notification fromV1(PDUv1 pdu) throws NotANotification {
        int generic = pdu.getGenericTrap();
        OID enterprise = pdu.getEnterprise() == null ? new OID() : pdu.getEnterprise();
        OID trapOid;
        if (generic >= PDUv1.COLDSTART && generic <= 5 /* egpNeighborLoss */) {
            trapOid = new OID(SNMP_TRAPS).append(generic + 1);
        } else if (generic == PDUv1.ENTERPRISE_SPECIFIC) {
            trapOid = new OID(enterprise).append(0).append(pdu.getSpecificTrap());
        } else {
            throw new NotANotification(DropReason.MALFORMED, "SNMPv1 trap with generic-trap " + generic
                    + " (RFC 1157 allows 0 to 6)");
        }
        List<VariableBinding> varbinds = new ArrayList<>();
        boolean hasAddress = false;
        boolean hasEnterprise = false;
        for (VariableBinding vb : pdu.getVariableBindings()) {
            hasAddress |= vb.getOid().equals(SNMP_TRAP_ADDRESS_0);
            hasEnterprise |= vb.getOid().equals(SNMP_TRAP_ENTERPRISE_0);
            varbinds.add(vb);
        }
        IpAddress agentAddr = pdu.getAgentAddress();
        InetAddress agent = agentAddr == null ? null : agentAddr.getInetAddress();
        if (!hasAddress && agentAddr != null) {
            varbinds.add(new VariableBinding(SNMP_TRAP_ADDRESS_0, agentAddr));
        }
        if (!hasEnterprise && enterprise.size() > 0) {
            varbinds.add(new VariableBinding(SNMP_TRAP_ENTERPRISE_0, enterprise));
        }
        return new Notification("v1", false, pdu.getTimestamp() & 0xFFFF_FFFFL, trapOid, varbinds, agent);
    }
}

package de.sid.verbund.monitoring.snmp.internal;

import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.inventory.Credential.AuthProtocol;
import de.sid.verbund.monitoring.inventory.Credential.PrivProtocol;
import java.util.Map;
import org.snmp4j.PDU;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.OID;

/**
 * What the Report PDUs an SNMPv3 agent answers with mean for the operator (RFC 3412 section
 * 7.1.3.b, the counters of RFC 3414 section 5 and RFC 3412 section 5). The messages name the USM
 * user and the protocols, never a passphrase.
 *
 * <p>SNMP4J answers two reports itself by sending the request again: usmStatsUnknownEngineIDs
 * (engine ID discovery, RFC 3414 section 4) and usmStatsNotInTimeWindows (engine boots/time
 * synchronisation, RFC 3414 section 3.2.7, as after an agent's reboot). The others end the request.
 */
final class UsmReports {
    /** RFC 3414 usmStats* counters and RFC 3412 MPD counters by OID (the report's first variable binding), with their names. */
    private static final Map<OID, String> NAMES = Map.of(
            SnmpConstants.usmStatsUnsupportedSecLevels, "usmStatsUnsupportedSecLevels",
            SnmpConstants.usmStatsNotInTimeWindows, "usmStatsNotInTimeWindows",
            SnmpConstants.usmStatsUnknownUserNames, "usmStatsUnknownUserNames",
            SnmpConstants.usmStatsUnknownEngineIDs, "usmStatsUnknownEngineIDs",
            SnmpConstants.usmStatsWrongDigests, "usmStatsWrongDigests",
            SnmpConstants.usmStatsDecryptionErrors, "usmStatsDecryptionErrors",
            SnmpConstants.snmpUnknownSecurityModels, "snmpUnknownSecurityModels",
            SnmpConstants.snmpInvalidMsgs, "snmpInvalidMsgs",
            SnmpConstants.snmpUnknownPDUHandlers, "snmpUnknownPDUHandlers");

    /**
     * Reports an agent sends without authentication because it could not authenticate the
     * request (RFC 3414 3.2.6, 3.2.8) or will not at that level (3.2.5): they only end a request.
     */
    static final java.util.Set<OID> UNAUTHENTICATED = java.util.Set.of(SnmpConstants.usmStatsWrongDigests,
            SnmpConstants.usmStatsDecryptionErrors, SnmpConstants.usmStatsUnsupportedSecLevels);

    private UsmReports() {
    }

    /** @return the report's counter OID, or null if it has no variable binding */
    static OID counter(PDU report) {
        return report.size() == 0 ? null : report.get(0).getOid();
    }

    /** @return whether it is one of the RFC 3412/3414 counters a report may carry */
    static boolean isKnown(OID counter) {
        return counter != null && NAMES.containsKey(counter);
    }

    /** @return the counter's name, e.g. {@code usmStatsWrongDigests}, or its OID if it is not one of RFC 3412/3414's */
    static String name(OID counter) {
        if (counter == null) {
            return "an empty report";
        }
        String name = NAMES.get(counter);
        return name != null ? name : counter.toDottedString();
    }

    /**
     * @param report a Report PDU the agent answered a request with
     * @param usm the user the request was sent as
     * @return why the agent refused the request, in an operator's words, with the counter's name
     */
    static String explain(PDU report, SnmpCredentials.Usm usm) {
        OID counter = counter(report);
        String user = "USM user '" + usm.user() + "'";
        String why;
        if (SnmpConstants.usmStatsUnknownUserNames.equals(counter)) {
            why = "the agent does not know " + user + " (RFC 3414 3.2.4)";
        } else if (SnmpConstants.usmStatsWrongDigests.equals(counter)) {
            why = "authentication of " + user + " failed: wrong authentication passphrase, or the agent uses another "
                    + "protocol than " + auth(usm.authProtocol()) + " for it (RFC 3414 3.2.6)";
        } else if (SnmpConstants.usmStatsDecryptionErrors.equals(counter)) {
            why = "the agent could not decrypt the request of " + user + ": wrong privacy passphrase, or the agent uses "
                    + "another protocol than " + priv(usm.privProtocol()) + " for it (RFC 3414 3.2.8)";
        } else if (SnmpConstants.usmStatsUnsupportedSecLevels.equals(counter)) {
            why = "the agent does not accept " + user + " at security level " + level(usm)
                    + ": it has other authentication or privacy settings for it (RFC 3414 3.2.5)";
        } else if (SnmpConstants.usmStatsNotInTimeWindows.equals(counter)) {
            why = "the agent's engine boots and time did not match even after synchronising with it (RFC 3414 3.2.7); "
                    + "another agent with the same engine ID behind this address?";
        } else if (SnmpConstants.usmStatsUnknownEngineIDs.equals(counter)) {
            why = "the agent does not accept its own engine ID as learnt by engine discovery (RFC 3414 3.2.3), "
                    + "even after discovering it again";
        } else if (SnmpConstants.snmpUnknownSecurityModels.equals(counter)) {
            why = "the agent does not support the User-based Security Model (RFC 3412 7.2.4)";
        } else if (SnmpConstants.snmpInvalidMsgs.equals(counter)) {
            why = "the agent found the message invalid (RFC 3412 7.2.5)";
        } else if (SnmpConstants.snmpUnknownPDUHandlers.equals(counter)) {
            why = "the agent has no application for the request's context (RFC 3412 4.2.2.1)";
        } else {
            why = "the agent refused the request";
        }
        return why + " [report " + name(counter) + "]";
    }

    /** @return {@code noAuthNoPriv}, {@code authNoPriv} or {@code authPriv} (RFC 3411 SnmpSecurityLevel) */
    static String level(SnmpCredentials.Usm usm) {
        return usm.authProtocol() == AuthProtocol.NONE ? "noAuthNoPriv"
                : usm.privProtocol() == PrivProtocol.NONE ? "authNoPriv" : "authPriv";
    }

    private static String auth(AuthProtocol p) {
        return switch (p) {
            case NONE -> "none";
            case SHA1 -> "SHA-1";
            case SHA224 -> "SHA-224";
            case SHA256 -> "SHA-256";
            case SHA384 -> "SHA-384";
            case SHA512 -> "SHA-512";
        };
    }

    private static String priv(PrivProtocol p) {
        return switch (p) {
            case NONE -> "none";
            case DES -> "DES";
            case AES128 -> "AES-128";
            case AES256 -> "AES-256";
        };
    }
}

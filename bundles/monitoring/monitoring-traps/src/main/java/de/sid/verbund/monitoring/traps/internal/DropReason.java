package de.sid.verbund.monitoring.traps.internal;

import java.util.Locale;

/**
 * Why a received message did not become a trap event: the {@code reason} label of
 * {@code verbund_snmp_traps_dropped_total}.
 */
enum DropReason {
    /** Not decodable: broken BER (e.g. truncated mid-TLV), or a notification without {@code snmpTrapOID.0}. */
    MALFORMED,
    /** An SNMP version the receiver does not speak. */
    BAD_VERSION,
    /** A PDU that is not a notification (a GET sent to the trap port, a response). */
    NOT_A_NOTIFICATION,
    /** SNMPv1/v2c with a community that no stored credential and no configured community has. */
    UNKNOWN_COMMUNITY,
    /** SNMPv3 with a USM user that no stored credential has (RFC 3414 usmStatsUnknownUserNames). */
    UNKNOWN_USER,
    /** SNMPv3 whose authentication code is wrong: wrong passphrase or protocol (usmStatsWrongDigests). */
    WRONG_DIGEST,
    /**
     * SNMPv3 whose privacy part could not be decrypted, or was authentic but decrypted to something that is
     * not BER: wrong privacy passphrase or protocol (e.g. AES-256 with another key extension).
     */
    DECRYPTION_ERROR,
    /** SNMPv3 outside the time window of the sender's engine (usmStatsNotInTimeWindows): replayed or clock gone back. */
    NOT_IN_TIME_WINDOW,
    /** SNMPv3 with a security level or protocol the user does not have (usmStatsUnsupportedSecLevels). */
    UNSUPPORTED_SECURITY_LEVEL,
    /** SNMPv3 with less security than the user's credential asks for (e.g. noAuthNoPriv naming an authPriv user). */
    INSUFFICIENT_SECURITY_LEVEL,
    /** Any other SNMPv3 message processing failure (RFC 3412). */
    SNMPV3_ERROR,
    /** A retransmitted inform that was already received (answered again, published once). */
    DUPLICATE_INFORM,
    /** Accepted, but the event queue was full because the event bus has not taken events for a while. */
    QUEUE_FULL;

    /** @return the label value, e.g. {@code unknown_community} */
    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

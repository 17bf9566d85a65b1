package de.sid.verbund.monitoring;

/** The SNMP protocol version a device is polled with. */
public enum SnmpVersion {
    /** SNMPv1 (RFC 1157): GETNEXT walks, {@code noSuchName} errors, no Counter64. */
    V1,
    /** SNMPv2c (RFC 1901, RFC 3416): GETBULK walks, exception values instead of {@code noSuchName}. */
    V2C,
    /** SNMPv3 (RFC 3411–3418) with the User-based Security Model: GETBULK walks, {@link SnmpCredentials.Usm} credentials. */
    V3
}

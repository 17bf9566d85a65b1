package de.sid.verbund.monitoring.smi;

/**
 * How an {@code OCTET STRING} is to be shown, after the textual convention (RFC 2579) its MIB
 * object is defined with. See {@link OctetStrings} for the exact rendering of each.
 */
public enum TextualConvention {
    /**
     * Text: {@code DisplayString} (RFC 2579), {@code SnmpAdminString} (RFC 3411) and other
     * human-readable strings such as {@code ifAlias}, {@code sysDescr}, {@code sysLocation}.
     */
    DISPLAY_STRING,
    /** A link-layer address: {@code PhysAddress} and {@code MacAddress} (RFC 2579), e.g. {@code ifPhysAddress}. */
    PHYS_ADDRESS,
    /** {@code DateAndTime} (RFC 2579), e.g. {@code hrSystemDate}. */
    DATE_AND_TIME,
    /** Bytes without a known text form: {@code 0x} and upper-case hex, as snmp_exporter shows them. */
    HEX
}

package de.sid.verbund.monitoring.trap;

/**
 * The contract of trap events on the event bus, between the trap receiver (producer) and the
 * alarms area (consumer).
 *
 * <p>Every received and accepted trap or inform becomes one {@link de.sid.verbund.core.DomainEvent}
 * of type {@value #TYPE} on topic {@value #TOPIC}, {@code tenantId} null, with a payload of these
 * keys (JSON values):
 * <ul>
 *   <li>{@value #TRAP}: the well-known name (one of the constants below, e.g. {@value #LINK_DOWN})
 *       or {@value #RAW} for any other trap;</li>
 *   <li>{@value #TRAP_OID}: the {@code snmpTrapOID.0} (RFC 3416; for v1 traps converted by
 *       RFC 3584 section 3.1), dotted;</li>
 *   <li>{@value #DEVICE_ID}, {@value #DEVICE}, {@value #SITE}: the inventory device the trap is
 *       attributed to, all null when no device has that address;</li>
 *   <li>{@value #SOURCE}: the UDP sender, {@code ip:port};</li>
 *   <li>{@value #AGENT_ADDRESS}: the address the trap is attributed to: the sender, or
 *       {@code snmpTrapAddress.0} (RFC 3584) when the sender is a trusted relay, or the v1
 *       agent-addr of a trusted relay;</li>
 *   <li>{@value #VERSION}: {@code v1}, {@code v2c} or {@code v3}; {@value #INFORM}: true for an
 *       inform (which was answered);</li>
 *   <li>{@value #IF_INDEX}: the {@code ifIndex} of a linkDown/linkUp (RFC 2863), else absent;</li>
 *   <li>{@value #VARBINDS}: the varbinds after {@code sysUpTime.0} and {@code snmpTrapOID.0}, a
 *       list of maps {@code {oid, type, value}} with {@code type} the SMI type name
 *       ({@code Integer32}, {@code OctetString}, …) and {@code value} its text;</li>
 *   <li>{@value #UPTIME}: the agent's {@code sysUpTime.0} in hundredths of a second, if sent.</li>
 * </ul>
 */
public final class TrapEvents {
    /** Topic of monitoring events. */
    public static final String TOPIC = "monitoring.events";
    /** Event type of a received trap. */
    public static final String TYPE = "monitoring.trap";

    public static final String TRAP = "trap";
    public static final String TRAP_OID = "trapOid";
    public static final String DEVICE_ID = "deviceId";
    public static final String DEVICE = "device";
    public static final String SITE = "site";
    public static final String SOURCE = "source";
    public static final String AGENT_ADDRESS = "agentAddress";
    public static final String VERSION = "version";
    public static final String INFORM = "inform";
    public static final String IF_INDEX = "ifIndex";
    public static final String VARBINDS = "varbinds";
    public static final String UPTIME = "uptime";

    /** coldStart, 1.3.6.1.6.3.1.1.5.1 (RFC 3418). */
    public static final String COLD_START = "coldStart";
    /** warmStart, 1.3.6.1.6.3.1.1.5.2 (RFC 3418). */
    public static final String WARM_START = "warmStart";
    /** linkDown, 1.3.6.1.6.3.1.1.5.3 (RFC 2863). */
    public static final String LINK_DOWN = "linkDown";
    /** linkUp, 1.3.6.1.6.3.1.1.5.4 (RFC 2863). */
    public static final String LINK_UP = "linkUp";
    /** authenticationFailure, 1.3.6.1.6.3.1.1.5.5 (RFC 3418). */
    public static final String AUTHENTICATION_FAILURE = "authenticationFailure";
    /** upsTrapOnBattery, 1.3.6.1.2.1.33.2.1 (RFC 1628). */
    public static final String UPS_ON_BATTERY = "upsOnBattery";
    /** upsTrapAlarmEntryAdded (1.3.6.1.2.1.33.2.3) for upsAlarmLowBattery (1.3.6.1.2.1.33.1.6.3.3), RFC 1628. */
    public static final String UPS_BATTERY_LOW = "upsBatteryLow";
    /** upsTrapAlarmEntryRemoved (1.3.6.1.2.1.33.2.4) for upsAlarmLowBattery, RFC 1628. */
    public static final String UPS_BATTERY_LOW_CLEARED = "upsBatteryLowCleared";
    /** upsTrapAlarmEntryAdded/Removed for upsAlarmOnBattery (1.3.6.1.2.1.33.1.6.3.2) removed: back on mains. */
    public static final String UPS_ON_BATTERY_CLEARED = "upsOnBatteryCleared";
    /** Any other trap, kept with its varbinds. */
    public static final String RAW = "raw";

    private TrapEvents() {
    }
}

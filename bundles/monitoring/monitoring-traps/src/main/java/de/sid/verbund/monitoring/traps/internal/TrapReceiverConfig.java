package de.sid.verbund.monitoring.traps.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Verbund SNMP trap receiver", description = "Receives SNMPv1, v2c and v3 traps and informs "
        + "on one UDP port and publishes them as monitoring.trap events on the event bus")
public @interface TrapReceiverConfig {
    String PID = "de.sid.verbund.monitoring.traps";

    @AttributeDefinition(name = "Enabled", description = "false: no UDP port is opened and no trap is received")
    boolean enabled() default true;

    @AttributeDefinition(name = "UDP port", description = "Port traps and informs are received on; 162 is the standard "
            + "port but needs root, so devices are pointed at this one (or 162 is redirected to it)")
    int port() default 10162;

    @AttributeDefinition(name = "Bind address", description = "Local IP address to listen on; 0.0.0.0 for all IPv4 "
            + "addresses, :: for all addresses")
    String bind_address() default "0.0.0.0";

    @AttributeDefinition(name = "Trusted relays", description = "IP addresses of trap relays and proxies (e.g. a "
            + "snmptrapd forwarding traps): a trap from one of them is attributed to the address in its "
            + "snmpTrapAddress.0 varbind (RFC 3584) or, for SNMPv1, its agent-addr field. From any other sender both "
            + "are ignored and the trap is attributed to the sender")
    String[] trusted_relays() default {};

    @AttributeDefinition(name = "Extra communities", type = AttributeType.PASSWORD, description = "SNMPv1/v2c communities "
            + "accepted in addition to those of the stored credentials; prefer communities.env, since Karaf keeps a "
            + "copy of this file under data/")
    String[] communities() default {};

    @AttributeDefinition(name = "Communities environment variable", description = "Name of an environment variable "
            + "holding more accepted communities, separated by commas; unset or empty: none")
    String communities_env() default "VERBUND_TRAP_COMMUNITIES";

    @AttributeDefinition(name = "Refresh (s)", description = "How often the stored credentials and the device list are "
            + "read again; an unknown community or USM user also makes the receiver read the credentials at once, at "
            + "most every refresh.min.interval.s")
    int refresh_interval_s() default 60;

    @AttributeDefinition(name = "Minimum interval of a refresh on demand (s)", description = "An unknown community or "
            + "user reads the credentials again at most this often, so a flood of unknown traps cannot flood the database")
    int refresh_min_interval_s() default 5;

    @AttributeDefinition(name = "Event queue capacity", description = "Trap events held in memory while the event bus "
            + "does not accept them (broker down); one more is dropped and counted as reason queue_full")
    int queue_capacity() default 10000;

    @AttributeDefinition(name = "History size", description = "Recent traps kept in memory for GET /api/traps")
    int history_size() default 1000;

    @AttributeDefinition(name = "Engine ID", description = "The receiver's SNMPv3 engine ID as hex (10 to 64 digits), "
            + "which v3 inform senders discover; empty: derived from the host name and the port, so it stays the same "
            + "across restarts")
    String engine_id() default "";
}

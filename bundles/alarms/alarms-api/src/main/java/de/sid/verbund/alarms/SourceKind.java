package de.sid.verbund.alarms;

/** What an alarm is about. */
public enum SourceKind {
    /** An SNMP device of the monitoring inventory (or an agent address no device has, for traps). */
    DEVICE,
    /** A hypervisor host of the compute area. */
    HOST
}

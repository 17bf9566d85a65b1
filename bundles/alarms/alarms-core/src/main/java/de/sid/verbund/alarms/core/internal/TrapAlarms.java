package de.sid.verbund.alarms.core.internal;

import de.sid.verbund.alarms.AlarmKeys;
import de.sid.verbund.alarms.NewAlarm;
import de.sid.verbund.alarms.Severity;
import de.sid.verbund.alarms.SourceKind;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.EventHandler;
import de.sid.verbund.monitoring.trap.TrapEvents;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns trap events ({@link TrapEvents}, topic {@value TrapEvents#TOPIC}) into alarms:
 *
 * <table>
 *   <caption>Traps and their alarms</caption>
 *   <tr><th>trap</th><th>alarm</th></tr>
 *   <tr><td>linkDown (RFC 2863)</td><td>raises {@code interfaceDown} of the device and {@code ifIndex}: major, or
 *       warning when the trap's {@code ifAdminStatus} says the interface was shut down on purpose</td></tr>
 *   <tr><td>linkUp</td><td>clears it</td></tr>
 *   <tr><td>upsOnBattery (RFC 1628)</td><td>raises {@code upsOnBattery}, critical; upsOnBatteryCleared clears it</td></tr>
 *   <tr><td>upsBatteryLow</td><td>raises {@code upsBatteryLow}, critical; upsBatteryLowCleared clears it</td></tr>
 *   <tr><td>coldStart, warmStart (RFC 3418)</td><td>raises {@code deviceRestarted}, warning, about a past event:
 *       it never escalates and clears itself {@code notificationLifetime} after its last raise</td></tr>
 *   <tr><td>authenticationFailure</td><td>raises {@code authenticationFailure}, warning, the same way</td></tr>
 *   <tr><td>raw (any other trap)</td><td>nothing: an unknown trap says nothing about a condition that could be
 *       cleared again; it stays an event on the bus for whoever wants it</td></tr>
 * </table>
 *
 * <p>A trap from an address no device has is attributed to that address (source id null). Each
 * event is acted upon once, by its id, in the transaction of its alarm change, so a redelivery
 * changes nothing. A trap event without what its mapping needs (a linkDown without
 * {@code ifIndex}) is logged and acknowledged: no redelivery would mend it. A database failure
 * is thrown, so the bus delivers the event again.
 */
final class TrapAlarms implements EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(TrapAlarms.class);
    static final String BY = "trap";
    static final String INTERFACE_DOWN = "interfaceDown";
    static final String UPS_ON_BATTERY = "upsOnBattery";
    static final String UPS_BATTERY_LOW = "upsBatteryLow";
    static final String DEVICE_RESTARTED = "deviceRestarted";
    static final String AUTHENTICATION_FAILURE = "authenticationFailure";
    /** ifAdminStatus (RFC 2863), in a linkDown's varbinds with the ifIndex appended. */
    private static final String IF_ADMIN_STATUS = "1.3.6.1.2.1.2.2.1.7.";
    private static final String IF_DESCR = "1.3.6.1.2.1.2.2.1.2.";
    private static final String IF_NAME = "1.3.6.1.2.1.31.1.1.1.1.";
    /** upsEstimatedMinutesRemaining.0 (RFC 1628), a varbind of upsTrapOnBattery. */
    private static final String UPS_MINUTES_REMAINING = "1.3.6.1.2.1.33.1.2.3.0";

    private final Alarms alarms;
    private final Duration notificationLifetime;

    /** @param notificationLifetime how long an alarm about a past event (restart, authentication failure) stays open */
    TrapAlarms(Alarms alarms, Duration notificationLifetime) {
        this.alarms = alarms;
        this.notificationLifetime = notificationLifetime;
    }

    /** What the trap is attributed to. */
    private record Source(String id, String name, String site, String keyPart) {
    }

    @Override
    public void handle(DomainEvent event) {
        if (!TrapEvents.TYPE.equals(event.type())) {
            return;
        }
        Map<String, Object> p = event.payload();
        String trap = text(p.get(TrapEvents.TRAP));
        Source source = source(p);
        if (trap == null || source == null) {
            LOG.warn("Trap event {} ignored: no {} or no source (payload keys {})", event.eventId(), trap == null
                    ? TrapEvents.TRAP : TrapEvents.AGENT_ADDRESS, p.keySet());
            return;
        }
        String note = "trap " + trap + " from " + text(p.get(TrapEvents.SOURCE)) + " (" + text(p.get(TrapEvents.VERSION))
                + (Boolean.TRUE.equals(p.get(TrapEvents.INFORM)) ? " inform" : "") + ", event " + event.eventId() + ")";
        Alarms.Work work = switch (trap) {
            case TrapEvents.LINK_DOWN, TrapEvents.LINK_UP -> link(event, trap, source, note);
            case TrapEvents.UPS_ON_BATTERY -> raise(source, UPS_ON_BATTERY, Map.of(), Severity.CRITICAL,
                    source.name() + ": UPS on battery" + minutesRemaining(p), null, note);
            case TrapEvents.UPS_ON_BATTERY_CLEARED -> clear(source, UPS_ON_BATTERY, Map.of(), note);
            case TrapEvents.UPS_BATTERY_LOW -> raise(source, UPS_BATTERY_LOW, Map.of(), Severity.CRITICAL,
                    source.name() + ": UPS battery low (upsAlarmLowBattery)", null, note);
            case TrapEvents.UPS_BATTERY_LOW_CLEARED -> clear(source, UPS_BATTERY_LOW, Map.of(), note);
            case TrapEvents.COLD_START, TrapEvents.WARM_START -> raise(source, DEVICE_RESTARTED, Map.of(), Severity.WARNING,
                    source.name() + " restarted (" + trap + ")", notificationLifetime, note);
            case TrapEvents.AUTHENTICATION_FAILURE -> raise(source, AUTHENTICATION_FAILURE, Map.of(), Severity.WARNING,
                    source.name() + ": SNMP authentication failure (a request with a wrong community or user)",
                    notificationLifetime, note);
            default -> null;
        };
        if (work == null) {
            LOG.debug("Trap event {} ({}) raises no alarm", event.eventId(), trap);
            return;
        }
        alarms.once(event.eventId(), work);
    }

    private Alarms.Work link(DomainEvent event, String trap, Source source, String note) {
        Long ifIndex = number(event.payload().get(TrapEvents.IF_INDEX));
        if (ifIndex == null) {
            LOG.warn("Trap event {} ({} from {}) ignored: it has no ifIndex", event.eventId(), trap, source.name());
            return null;
        }
        Map<String, String> instance = Map.of("ifIndex", Long.toString(ifIndex));
        if (TrapEvents.LINK_UP.equals(trap)) {
            return clear(source, INTERFACE_DOWN, instance, note);
        }
        List<?> varbinds = event.payload().get(TrapEvents.VARBINDS) instanceof List<?> l ? l : List.of();
        boolean shutDown = "2".equals(varbind(varbinds, IF_ADMIN_STATUS + ifIndex));
        String name = varbind(varbinds, IF_NAME + ifIndex);
        if (name == null || name.isBlank()) {
            name = varbind(varbinds, IF_DESCR + ifIndex);
        }
        String description = source.name() + ": interface " + ifIndex + (name == null || name.isBlank() ? "" : " (" + name
                + ")") + (shutDown ? " administratively shut down" : " down");
        return raise(source, INTERFACE_DOWN, instance, shutDown ? Severity.WARNING : Severity.MAJOR, description, null, note);
    }

    private Alarms.Work raise(Source s, String type, Map<String, String> instance, Severity severity, String description,
                              Duration expires, String note) {
        NewAlarm alarm = new NewAlarm(AlarmKeys.of(type, s.keyPart(), instance), SourceKind.DEVICE, s.id(), s.name(),
                s.site(), type, severity, description, expires);
        return (c, now) -> alarms.raise(c, alarm, BY, note, now);
    }

    private Alarms.Work clear(Source s, String type, Map<String, String> instance, String note) {
        String key = AlarmKeys.of(type, s.keyPart(), instance);
        return (c, now) -> alarms.clear(c, key, BY, note, now);
    }

    private static Source source(Map<String, Object> p) {
        String deviceId = text(p.get(TrapEvents.DEVICE_ID));
        String device = text(p.get(TrapEvents.DEVICE));
        if (deviceId != null && device != null) {
            return new Source(deviceId, device, text(p.get(TrapEvents.SITE)), deviceId);
        }
        String address = text(p.get(TrapEvents.AGENT_ADDRESS));
        if (address == null) {
            String sender = text(p.get(TrapEvents.SOURCE));
            address = sender == null ? null : sender.replaceFirst(":\\d+$", "");
        }
        return address == null ? null : new Source(null, address, null, address);
    }

    private static String minutesRemaining(Map<String, Object> p) {
        String m = p.get(TrapEvents.VARBINDS) instanceof List<?> l ? varbind(l, UPS_MINUTES_REMAINING) : null;
        return m == null ? "" : " (" + m + " min of battery left)";
    }

    /** @return the text value of the varbind with this OID, or null */
    private static String varbind(List<?> varbinds, String oid) {
        for (Object v : varbinds) {
            if (v instanceof Map<?, ?> m && oid.equals(text(m.get("oid")))) {
                return text(m.get("value"));
            }
        }
        return null;
    }

    private static String text(Object o) {
        return o == null ? null : o.toString();
    }

    private static Long number(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        try {
            return o == null ? null : Long.valueOf(o.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}

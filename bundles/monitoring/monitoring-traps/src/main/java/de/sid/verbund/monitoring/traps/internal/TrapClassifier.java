package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.monitoring.trap.TrapEvents;
import java.util.Map;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;

/**
 * Gives a notification its well-known name from {@link TrapEvents}, or {@link TrapEvents#RAW}.
 *
 * <ul>
 *   <li>{@code snmpTraps} 1 to 5 (RFC 3418, RFC 2863): coldStart, warmStart, linkDown, linkUp,
 *       authenticationFailure;</li>
 *   <li>UPS-MIB (RFC 1628): {@code upsTrapOnBattery}; {@code upsTrapAlarmEntryAdded} and
 *       {@code upsTrapAlarmEntryRemoved} whose {@code upsAlarmDescr} is {@code upsAlarmOnBattery} or
 *       {@code upsAlarmLowBattery}. Each UPS trap is recognised in its SMIv2 form
 *       ({@code upsTraps.n}) and in the form an SNMPv1 trap of enterprise {@code upsTraps} converts to
 *       by RFC 3584 section 3.1 ({@code upsTraps.0.n}).</li>
 * </ul>
 */
final class TrapClassifier {
    static final OID UPS_TRAPS = new OID("1.3.6.1.2.1.33.2");
    /** upsAlarmDescr (RFC 1628), indexed by upsAlarmId; its value names the alarm. */
    static final OID UPS_ALARM_DESCR = new OID("1.3.6.1.2.1.33.1.6.2.1.2");
    static final OID UPS_ALARM_ON_BATTERY = new OID("1.3.6.1.2.1.33.1.6.3.2");
    static final OID UPS_ALARM_LOW_BATTERY = new OID("1.3.6.1.2.1.33.1.6.3.3");
    /** ifIndex (RFC 2863), the first object of linkDown and linkUp. */
    static final OID IF_INDEX = new OID("1.3.6.1.2.1.2.2.1.1");
    /** ifEntry and ifXEntry: a column's instance is the ifIndex. */
    static final OID IF_ENTRY = new OID("1.3.6.1.2.1.2.2.1");
    static final OID IFX_ENTRY = new OID("1.3.6.1.2.1.31.1.1.1");

    private static final Map<OID, String> GENERIC = Map.of(
            new OID("1.3.6.1.6.3.1.1.5.1"), TrapEvents.COLD_START,
            new OID("1.3.6.1.6.3.1.1.5.2"), TrapEvents.WARM_START,
            new OID("1.3.6.1.6.3.1.1.5.3"), TrapEvents.LINK_DOWN,
            new OID("1.3.6.1.6.3.1.1.5.4"), TrapEvents.LINK_UP,
            new OID("1.3.6.1.6.3.1.1.5.5"), TrapEvents.AUTHENTICATION_FAILURE);

    private static final int UPS_ON_BATTERY = 1;
    private static final int UPS_ALARM_ADDED = 3;
    private static final int UPS_ALARM_REMOVED = 4;

    private TrapClassifier() {
    }

    /** @return the name from {@link TrapEvents}, {@link TrapEvents#RAW} for any other trap */
    static String name(Notification n) {
        String generic = GENERIC.get(n.trapOid());
        if (generic != null) {
            return generic;
        }
        int ups = upsTrap(n.trapOid());
        if (ups == UPS_ON_BATTERY) {
            return TrapEvents.UPS_ON_BATTERY;
        }
        if (ups == UPS_ALARM_ADDED || ups == UPS_ALARM_REMOVED) {
            OID alarm = upsAlarm(n);
            boolean added = ups == UPS_ALARM_ADDED;
            if (UPS_ALARM_ON_BATTERY.equals(alarm)) {
                return added ? TrapEvents.UPS_ON_BATTERY : TrapEvents.UPS_ON_BATTERY_CLEARED;
            }
            if (UPS_ALARM_LOW_BATTERY.equals(alarm)) {
                return added ? TrapEvents.UPS_BATTERY_LOW : TrapEvents.UPS_BATTERY_LOW_CLEARED;
            }
        }
        return TrapEvents.RAW;
    }

    /**
     * @return the ifIndex of a linkDown or linkUp: the value of its {@code ifIndex.n} varbind, else the
     *         instance of its first ifEntry or ifXEntry column ({@code ifAdminStatus.n}, {@code ifOperStatus.n},
     *         …); null for other traps or when there is none
     */
    static Integer ifIndex(Notification n, String name) {
        if (!TrapEvents.LINK_DOWN.equals(name) && !TrapEvents.LINK_UP.equals(name)) {
            return null;
        }
        for (VariableBinding vb : n.varbinds()) {
            Variable v = vb.getVariable();
            if (vb.getOid().startsWith(IF_INDEX) && vb.getOid().size() == IF_INDEX.size() + 1
                    && v.getSyntax() == SMIConstants.SYNTAX_INTEGER) {
                return ((Integer32) v).getValue();
            }
        }
        for (VariableBinding vb : n.varbinds()) {
            OID oid = vb.getOid();
            if ((oid.startsWith(IF_ENTRY) && oid.size() == IF_ENTRY.size() + 2)
                    || (oid.startsWith(IFX_ENTRY) && oid.size() == IFX_ENTRY.size() + 2)) {
                return oid.last();
            }
        }
        return null;
    }

    /** @return n for {@code upsTraps.n} or {@code upsTraps.0.n}, else 0 */
    private static int upsTrap(OID trapOid) {
        if (!trapOid.startsWith(UPS_TRAPS)) {
            return 0;
        }
        int extra = trapOid.size() - UPS_TRAPS.size();
        if (extra == 1) {
            return trapOid.last();
        }
        if (extra == 2 && trapOid.get(UPS_TRAPS.size()) == 0) {
            return trapOid.last();
        }
        return 0;
    }

    private static OID upsAlarm(Notification n) {
        for (VariableBinding vb : n.varbinds()) {
            if (vb.getOid().startsWith(UPS_ALARM_DESCR) && vb.getOid().size() == UPS_ALARM_DESCR.size() + 1
                    && vb.getVariable().getSyntax() == SMIConstants.SYNTAX_OBJECT_IDENTIFIER) {
                return (OID) vb.getVariable();
            }
        }
        return null;
    }
}

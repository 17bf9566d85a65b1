package de.sid.verbund.alarms.command.internal;

import de.sid.verbund.alarms.Alarm;
import de.sid.verbund.alarms.AlarmFilter;
import de.sid.verbund.alarms.AlarmService;
import de.sid.verbund.alarms.AlarmState;
import de.sid.verbund.alarms.Severity;
import de.sid.verbund.core.Page;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:alarm-list}: open alarms (or all with {@code --all}), newest first. */
@Service
@Command(scope = "verbund", name = "alarm-list", description = "Lists alarms: open ones, newest first")
public class AlarmListCommand implements Action {
    /** Times in the operators' zone (the SID is in Saxony). */
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("Europe/Berlin"));

    @Reference
    AlarmService alarms;

    @Option(name = "--all", description = "Cleared alarms too")
    boolean all;

    @Option(name = "--severity", description = "Only this severity (critical, major, minor, warning, indeterminate)")
    @Completion(value = StringsCompleter.class, values = {"critical", "major", "minor", "warning", "indeterminate"})
    String severity;

    @Option(name = "--device", description = "Only alarms of this device (name or id)")
    String device;

    @Option(name = "--type", description = "Only alarms of this type, e.g. interfaceDown")
    String type;

    @Option(name = "--limit", description = "At most this many (1 to 500)")
    int limit = 100;

    @Override
    public Object execute() {
        Set<AlarmState> states = all ? Set.of() : EnumSet.of(AlarmState.ACTIVE, AlarmState.ACKNOWLEDGED);
        Set<Severity> severities = severity == null ? Set.of() : Set.of(Severity.parse(severity));
        Page<Alarm> page = alarms.alarms(new AlarmFilter(states, severities, device, type), Page.limit(limit), null);
        ShellTable t = new ShellTable();
        for (String c : new String[] {"Id", "Severity", "State", "Source", "Site", "Type", "Count", "First seen",
                "Last seen", "Description"}) {
            t.column(c);
        }
        List<Alarm> items = page.items();
        for (Alarm a : items) {
            t.addRow().addContent(a.id(), a.severity().label(), a.state().label(), a.sourceName(),
                    a.site() == null ? "" : a.site(), a.type(), a.count(), TIME.format(a.firstSeen()),
                    TIME.format(a.lastSeen()), a.description());
        }
        t.print(System.out);
        if (page.nextCursor() != null) {
            System.out.println("(more than " + items.size() + "; narrow with --severity, --device, --type or raise --limit)");
        }
        return null;
    }
}

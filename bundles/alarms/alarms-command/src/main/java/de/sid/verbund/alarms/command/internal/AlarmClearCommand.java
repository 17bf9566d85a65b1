package de.sid.verbund.alarms.command.internal;

import de.sid.verbund.alarms.Alarm;
import de.sid.verbund.alarms.AlarmService;
import de.sid.verbund.cluster.ClusterService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/** {@code verbund:alarm-clear [--reason TEXT] ID}: clears an open alarm by hand, as {@code shell:<console user>}. */
@Service
@Command(scope = "verbund", name = "alarm-clear", description = "Clears an open alarm by hand")
public class AlarmClearCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    AlarmService alarms;

    @Reference
    Session session;

    @Option(name = "--reason", description = "Why, for the alarm's history")
    String reason;

    @Argument(index = 0, name = "id", required = true, description = "Alarm id (verbund:alarm-list shows them)")
    String id;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:alarm-clear");
        Alarm a = alarms.clearAlarm(id, Actors.of(session), reason);
        System.out.println("cleared " + a.id() + " (" + a.severity().label() + " " + a.type() + " of " + a.sourceName() + ")");
        return null;
    }
}

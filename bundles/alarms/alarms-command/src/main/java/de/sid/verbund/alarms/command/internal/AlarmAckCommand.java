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

/** {@code verbund:alarm-ack [--note TEXT] ID}: acknowledges an ACTIVE alarm, as {@code shell:<console user>}. */
@Service
@Command(scope = "verbund", name = "alarm-ack", description = "Acknowledges an alarm: seen, it no longer escalates")
public class AlarmAckCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    AlarmService alarms;

    @Reference
    Session session;

    @Option(name = "--note", description = "A note for the alarm's history, e.g. who works on it")
    String note;

    @Argument(index = 0, name = "id", required = true, description = "Alarm id (verbund:alarm-list shows them)")
    String id;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:alarm-ack");
        Alarm a = alarms.acknowledge(id, Actors.of(session), note);
        System.out.println("acknowledged " + a.id() + " (" + a.severity().label() + " " + a.type() + " of " + a.sourceName()
                + ")");
        return null;
    }
}

package de.sid.verbund.shell.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.security.User;
import de.sid.verbund.security.UserService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code verbund:user-delete <user>}: deletes a user and its API tokens; the last sid-admin stays. */
@Service
@Command(scope = "verbund", name = "user-delete", description = "Deletes a user and its API tokens")
public class UserDeleteCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    UserService users;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "user", required = true, description = "User name")
    String username;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:user-delete");
        User u = users.findByUsername(username)
                .orElseThrow(() -> new IllegalArgumentException("no user named " + username));
        users.delete(u.id());
        audit.record("shell", "delete user", "user/" + u.id(), "SUCCESS", u.username() + " " + u.roles());
        System.out.println("deleted " + u.username() + " and its API tokens");
        return null;
    }
}

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

/** {@code verbund:user-unlock <user>}: lifts the lock that repeated failed logins put on an account. */
@Service
@Command(scope = "verbund", name = "user-unlock", description = "Lifts the lock after repeated failed logins")
public class UserUnlockCommand implements Action {
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
        ClusterService.refuseWithoutQuorum(cluster, "verbund:user-unlock");
        User u = users.findByUsername(username)
                .orElseThrow(() -> new IllegalArgumentException("no user named " + username));
        users.unlock(u.id());
        audit.record("shell", "unlock user", "user/" + u.id(), "SUCCESS", u.username());
        System.out.println("unlocked " + u.username());
        return null;
    }
}

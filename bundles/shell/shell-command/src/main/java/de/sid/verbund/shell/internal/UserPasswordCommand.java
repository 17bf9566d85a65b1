package de.sid.verbund.shell.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.security.User;
import de.sid.verbund.security.UserService;
import java.io.IOException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;

/**
 * {@code verbund:user-password <user>}: sets a new password (asked for twice, not echoed),
 * unlocks the account and revokes its API tokens. The way back in for a locked-out sole admin.
 */
@Service
@Command(scope = "verbund", name = "user-password",
        description = "Sets a user's password (prompted), unlocks the account and revokes its API tokens")
public class UserPasswordCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    UserService users;

    @Reference
    AuditLog audit;

    @Reference
    Session session;

    @Argument(index = 0, name = "user", required = true, description = "User name")
    String username;

    @Override
    public Object execute() throws IOException {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:user-password");
        User u = users.findByUsername(username)
                .orElseThrow(() -> new IllegalArgumentException("no user named " + username));
        String first = session.readLine("New password for " + u.username() + ": ", '*');
        String second = session.readLine("Again: ", '*');
        if (first == null || !first.equals(second)) {
            throw new IllegalArgumentException("the two passwords differ; nothing changed");
        }
        users.setPassword(u.id(), first);
        audit.record("shell", "set password", "user/" + u.id(), "SUCCESS", u.username());
        System.out.println("password of " + u.username() + " set; account unlocked; API tokens revoked");
        return null;
    }
}

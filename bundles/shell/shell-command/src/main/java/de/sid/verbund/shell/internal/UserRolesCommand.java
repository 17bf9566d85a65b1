package de.sid.verbund.shell.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.security.User;
import de.sid.verbund.security.UserService;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code verbund:user-roles <user> <role,...>}: replaces a user's roles, with the rules of
 * {@code PUT /api/users/{id}/roles} (an authority's users hold authority roles only, SID staff
 * SID roles only; the last sid-admin keeps the role).
 */
@Service
@Command(scope = "verbund", name = "user-roles", description = "Replaces a user's roles (comma-separated)")
public class UserRolesCommand implements Action {
    /** Split-brain protection: the command is refused on a node without quorum. */
    @Reference(optional = true)
    ClusterService cluster;

    @Reference
    UserService users;

    @Reference
    AuditLog audit;

    @Argument(index = 0, name = "user", required = true, description = "User name")
    String username;

    @Argument(index = 1, name = "roles", required = true, description = "Roles, comma-separated, e.g. sid-operator,monitoring")
    String roles;

    @Override
    public Object execute() {
        ClusterService.refuseWithoutQuorum(cluster, "verbund:user-roles");
        User u = users.findByUsername(username)
                .orElseThrow(() -> new IllegalArgumentException("no user named " + username));
        Set<String> wanted = new LinkedHashSet<>();
        Arrays.stream(roles.split(",")).map(String::trim).forEach(wanted::add);
        User changed = users.setRoles(u.id(), wanted);
        audit.record("shell", "set roles", "user/" + u.id(), "SUCCESS", u.username() + ": " + u.roles() + " -> "
                + changed.roles());
        System.out.println("roles of " + u.username() + ": " + String.join(",", changed.roles()));
        return null;
    }
}

package de.sid.verbund.shell.internal;

import de.sid.verbund.core.Page;
import de.sid.verbund.security.User;
import de.sid.verbund.security.UserService;
import java.util.TreeSet;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code verbund:users}: lists user accounts (no secrets). */
@Service
@Command(scope = "verbund", name = "users", description = "Lists user accounts")
public class UsersCommand implements Action {
    @Reference
    UserService users;

    @Option(name = "--authority", aliases = "-a", description = "Only users of this authority (id)")
    String authorityId;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        table.column("User");
        table.column("Roles");
        table.column("Authority");
        table.column("Locked");
        table.column("Created");
        String cursor = null;
        do {
            Page<User> page = users.list(authorityId, Page.MAX_LIMIT, cursor);
            for (User u : page.items()) {
                table.addRow().addContent(u.username(), String.join(",", new TreeSet<>(u.roles())),
                        u.authorityId() == null ? "-" : u.authorityId(), u.locked() ? "yes" : "no", u.createdAt());
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        table.print(System.out);
        return null;
    }
}

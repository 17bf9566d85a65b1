package de.sid.verbund.catalog.command.internal;

import de.sid.verbund.catalog.Actor;
import org.apache.karaf.shell.api.console.Session;

/**
 * Who acts from the console: the console user as SID staff, with user id {@code shell:<user>}
 * (console access is an operator's; a console user is never the requester of an order made over REST).
 */
final class ShellActor {
    private ShellActor() {
    }

    static Actor of(Session session) {
        Object user = session == null ? null : session.get("USER");
        String name = user == null || user.toString().isBlank() ? "shell" : "shell:" + user;
        return new Actor(name, name, true);
    }
}

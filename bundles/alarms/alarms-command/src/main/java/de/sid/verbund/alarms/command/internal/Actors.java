package de.sid.verbund.alarms.command.internal;

import org.apache.karaf.shell.api.console.Session;

/** Who acts from the console, for alarm histories: {@code shell:<user>}, {@code shell} when the session has no user. */
final class Actors {
    private Actors() {
    }

    static String of(Session session) {
        Object user = session == null ? null : session.get("USER");
        return user == null || user.toString().isBlank() ? "shell" : "shell:" + user;
    }
}

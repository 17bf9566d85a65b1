package de.sid.verbund.catalog.rest.internal;

import de.sid.verbund.catalog.Actor;
import de.sid.verbund.security.Caller;

/** The catalogue's actor for a REST caller: SID staff are the users without an authority. */
final class Actors {
    private Actors() {
    }

    static Actor of(Caller caller) {
        return new Actor(caller.userId(), caller.username(), caller.authorityId() == null);
    }
}

package de.sid.verbund.messaging;

import de.sid.verbund.core.DomainEvent;

/** Handles one event. Returning normally acknowledges it; throwing asks for redelivery. */
@FunctionalInterface
public interface EventHandler {
    void handle(DomainEvent event) throws Exception;
}

package de.sid.verbund.messaging;

import de.sid.verbund.core.DomainEvent;
import java.sql.Connection;

/**
 * The transactional outbox: an area records the events of a change in the same database
 * transaction as the change itself, and a relay publishes them on the {@link EventBus} after
 * the commit. So a stored change is never without its event (the broker may be down meanwhile;
 * the relay retries) and an event is never published for a change that rolled back.
 *
 * <p>Delivery is at-least-once: a crash between the broker's commit and the removal of the rows
 * can publish an event again (same {@link DomainEvent#eventId()}, which the broker's duplicate
 * detection and idempotent consumers absorb). Events are published in the order their rows were
 * written; the events of one aggregate keep their order when its changes are serialised by a row
 * lock (as every area's state changes are). {@link DomainEvent#occurredAt()} is kept to the
 * microsecond.
 */
@FunctionalInterface
public interface Outbox {
    /**
     * Records an event, to be published on {@code topic} once the caller's transaction commits.
     *
     * @param connection the caller's transaction (from {@code Database.inTransaction}); the event
     *        is written with it and shares its fate
     * @param topic dotted topic name, e.g. {@code compute.events}
     * @param event the event
     * @throws IllegalArgumentException for an invalid topic name or an event whose payload is not
     *         JSON-compatible
     * @throws java.sql.SQLException when the row cannot be written (the caller's transaction
     *         then rolls back)
     */
    void add(Connection connection, String topic, DomainEvent event) throws java.sql.SQLException;

    /**
     * Records a command, to be sent to the point-to-point {@code queue} once the caller's
     * transaction commits ({@link EventBus#send}: exactly one consumer of the queue gets it). Rows
     * for topics and queues leave in one order, the order they were written.
     *
     * @param connection the caller's transaction; the command shares its fate
     * @param queue dotted queue name, e.g. {@code compute.commands}
     * @param event the command
     * @throws IllegalArgumentException for an invalid queue name or a payload that is not JSON-compatible
     * @throws java.sql.SQLException when the row cannot be written (the caller's transaction then rolls back)
     * @throws IllegalStateException from an outbox that records topic events only (the default:
     *         it keeps {@code Outbox} a functional interface for test doubles of {@link #add})
     */
    default void send(Connection connection, String queue, DomainEvent event) throws java.sql.SQLException {
        throw new IllegalStateException("this outbox records topic events only, no commands for queue " + queue);
    }
}

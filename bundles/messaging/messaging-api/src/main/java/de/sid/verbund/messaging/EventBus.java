package de.sid.verbund.messaging;

import de.sid.verbund.core.DomainEvent;

/**
 * The event bus areas publish to and consume from. Bodies are JSON of the
 * {@link DomainEvent} envelope ({@code eventId}, {@code type}, {@code occurredAt},
 * {@code tenantId}, {@code payload}); messages are durable (persisted by the broker before
 * {@code publish}/{@code send} returns).
 *
 * <p>Delivery is at-least-once: a handler's message is acknowledged only after the handler has
 * returned normally (after its work is stored). A handler that throws gets the message again
 * (redelivery with back-off); after {@code maxDeliveries} attempts the message is moved to the
 * dead-letter queue {@value #DEAD_LETTER_QUEUE}, never dropped. Handlers must therefore be
 * idempotent by {@link DomainEvent#eventId()}.
 *
 * <p>Order: the events of one tenant ({@link DomainEvent#tenantId()}) published to a topic or queue
 * reach the consumers that share a subscription or queue in publish order, one consumer at a time
 * (a message group per tenant); events of different tenants are handled in parallel. A redelivered
 * event may come after later ones of its tenant.
 *
 * <p>Live feeds ({@link #publishLive}, {@link #subscribeLive}) are the exception to all of the
 * above: for views that show what happens now (a dashboard), where an event lost in a broker
 * restart is harmless and every node must see every event.
 *
 * <p>Implemented by the messaging provider only (areas use it, they do not implement it), so
 * methods may be added in minor versions.
 */
@org.osgi.annotation.versioning.ProviderType
public interface EventBus {
    /** Where messages that could not be handled are parked for review. */
    String DEAD_LETTER_QUEUE = "verbund.dlq";

    /**
     * Publishes an event to a topic: every subscription of the topic gets a copy.
     *
     * @param topic dotted topic name, e.g. {@code compute.events}
     * @throws MessagingException when the broker did not accept the message
     */
    void publish(String topic, DomainEvent event);

    /**
     * Publishes several events to a topic in one broker transaction: all of them or none, in
     * list order, with one journal sync for the lot (the outbox relay's batches).
     *
     * @param topic dotted topic name
     * @param events the events, in order; an empty list does nothing
     * @throws MessagingException when the broker did not accept them (none was published)
     */
    void publish(String topic, java.util.List<DomainEvent> events);

    /**
     * Publishes an event to a live topic: every subscription attached now gets a copy. The message
     * is not persisted (a broker restart loses it), carries no duplicate-detection id and no
     * message group; use it for feeds where losing an event is harmless and a newer one
     * supersedes it (poll results for a dashboard), never through the {@link Outbox}.
     *
     * @param topic dotted topic name, e.g. {@code monitoring.polls}
     * @throws MessagingException when the broker could not be reached
     */
    void publishLive(String topic, DomainEvent event);

    /**
     * Sends an event (typically a command) to a point-to-point queue: exactly one consumer of
     * the queue gets it.
     *
     * @param queue dotted queue name, e.g. {@code compute.commands}
     * @throws MessagingException when the broker did not accept the message
     */
    void send(String queue, DomainEvent event);

    /**
     * Subscribes to a topic with a durable, named subscription: events published while the
     * subscriber is away are kept and delivered when it comes back. Several subscribers with the
     * same subscription name share the work (each event goes to one of them).
     *
     * @param topic the topic
     * @param subscription the durable subscription name, e.g. {@code billing.metering}
     * @param handler called once per event, from a bus thread
     * @return a handle that stops the consumer (the durable subscription stays)
     */
    Subscription subscribe(String topic, String subscription, EventHandler handler);

    /**
     * Subscribes to a topic with a subscription of this subscriber alone (a temporary queue): it
     * gets every event published to the topic, durable or live, while it is attached, and nothing
     * from before. Several live subscribers on one topic (one per node) each get every event.
     * The broker deletes the subscription when it is closed or its connection is lost (a node
     * that died); events published while it re-attaches after a connection loss are lost. The
     * broker keeps at most {@code 10 000} unhandled events for it and drops the oldest beyond.
     * Handling is as for {@link #subscribe} (acknowledged after the handler returns, redelivered
     * when it throws).
     *
     * @param topic the topic
     * @param handler called once per event, from a bus thread
     * @return a handle that stops the consumer and removes the subscription
     * @throws MessagingException when the broker could not be reached
     */
    Subscription subscribeLive(String topic, EventHandler handler);

    /**
     * Consumes a point-to-point queue.
     *
     * @return a handle that stops the consumer
     */
    Subscription consume(String queue, EventHandler handler);
}

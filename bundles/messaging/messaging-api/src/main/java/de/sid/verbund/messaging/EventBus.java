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
 */
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
     * Consumes a point-to-point queue.
     *
     * @return a handle that stops the consumer
     */
    Subscription consume(String queue, EventHandler handler);
}

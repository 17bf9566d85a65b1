package de.sid.verbund.core;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope of every event Verbund publishes (serialised as JSON on the event bus).
 *
 * @param eventId unique id; consumers are idempotent by it
 * @param type dotted event type, e.g. {@code vm.created}
 * @param occurredAt when it happened (UTC)
 * @param tenantId the authority the event concerns, or {@code null} for platform events
 * @param payload event-specific data; JSON-compatible values only (String, Number, Boolean,
 *        List, Map, null)
 */
public record DomainEvent(UUID eventId, String type, Instant occurredAt, String tenantId, Map<String, Object> payload) {

    public DomainEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        if (type == null || !type.matches("[a-z][a-z0-9-]*(\\.[a-z][a-z0-9-]*)+")) {
            throw new IllegalArgumentException("event type must be dotted lower case like 'vm.created': " + type);
        }
        payload = payload == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(payload));
    }

    /** A new event with a random id occurring now. */
    public static DomainEvent of(String type, String tenantId, Map<String, Object> payload) {
        return new DomainEvent(UUID.randomUUID(), type, Instant.now(), tenantId, payload);
    }
}

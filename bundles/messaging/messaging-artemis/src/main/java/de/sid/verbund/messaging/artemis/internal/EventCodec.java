package de.sid.verbund.messaging.artemis.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.sid.verbund.core.DomainEvent;
import java.io.IOException;

/**
 * JSON of the {@link DomainEvent} envelope: {@code eventId}, {@code type}, {@code occurredAt}
 * (ISO-8601 UTC), {@code tenantId}, {@code payload}. Unknown fields are ignored so that newer
 * producers can add some.
 */
final class EventCodec {
    private final ObjectMapper mapper = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** @throws IllegalArgumentException when the payload holds something that is not JSON-compatible */
    String encode(DomainEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.eventId() + " of type " + event.type()
                    + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** @throws IOException when the text is not JSON of a valid event envelope */
    DomainEvent decode(String json) throws IOException {
        if (json == null) {
            throw new IOException("empty body");
        }
        try {
            DomainEvent event = mapper.readValue(json, DomainEvent.class);
            if (event == null) {
                throw new IOException("body is JSON null");
            }
            return event;
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}

package de.sid.verbund.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DomainEventTest {
    @Test
    void envelopeCarriesItsFieldsAndCopiesThePayload() {
        Map<String, Object> payload = new HashMap<>();
        payload.put("vcpu", 4);
        payload.put("note", null);
        DomainEvent e = DomainEvent.of("vm.created", "t1", payload);
        payload.put("vcpu", 8);
        assertThat(e.payload()).containsEntry("vcpu", 4).containsKey("note");
        assertThat(e.eventId()).isNotNull();
        assertThat(e.occurredAt()).isBeforeOrEqualTo(Instant.now());
        assertThatThrownBy(() -> e.payload().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void typeMustBeDottedLowerCase() {
        assertThatThrownBy(() -> new DomainEvent(UUID.randomUUID(), "VmCreated", Instant.now(), null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new DomainEvent(UUID.randomUUID(), "vm.state-changed", Instant.now(), null, null).payload()).isEmpty();
    }

    @Test
    void idsAreValidated() {
        String id = Ids.newId();
        assertThat(Ids.parse(id).toString()).isEqualTo(id);
        assertThatThrownBy(() -> Ids.parse("1-2-3-4-5")).isInstanceOf(ProblemException.class).hasMessageContaining("UUID");
    }

    @Test
    void pageLimitsAreChecked() {
        assertThat(Page.limit((Integer) null)).isEqualTo(Page.DEFAULT_LIMIT);
        assertThat(Page.limit((String) null)).isEqualTo(Page.DEFAULT_LIMIT);
        assertThat(Page.limit(" 20 ")).isEqualTo(20);
        assertThatThrownBy(() -> Page.limit("abc")).isInstanceOf(ProblemException.class).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Page.limit("1.5")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> Page.limit("2147483648")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> Page.limit(0)).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> Page.limit(501)).isInstanceOf(ProblemException.class);
    }
}

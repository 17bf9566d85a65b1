package de.sid.verbund.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Leitweg-ID check (KoSIT Formatspezifikation Leitweg-ID 2.0.2, ISO/IEC 7064 MOD 97-10). */
class LeitwegIdTest {
    @ParameterizedTest
    @ValueSource(strings = {"04011000-1234512345-06", "991-33333TEST-33", "991-33333test-33"})
    void acceptsWellFormedIdsWithCorrectCheckDigits(String id) {
        assertThat(LeitwegId.isValid(id)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"04011000-1234512345-07", "04011000-1234512345-60", "991-33333TEST-34", "991-33333TEST-00"})
    void refusesWrongCheckDigits(String id) {
        assertThat(LeitwegId.isValid(id)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "04011000", "04011000-1234512345", "0-1234512345-06", "1234567890123-X-06",
            "04011000--06", "04011000-12345-12345-06", "04011000-1234512345-6", "04011000-1234512345-006",
            "04011000-12345_12345-06", "04011000-1234512345-06 ", "O4011000-1234512345-06",
            "04011000-1234567890123456789012345678901-06", "-1234512345-06"})
    void refusesWrongShapes(String id) {
        assertThat(LeitwegId.isValid(id)).isFalse();
    }

    @org.junit.jupiter.api.Test
    void refusesNull() {
        assertThat(LeitwegId.isValid(null)).isFalse();
    }
}

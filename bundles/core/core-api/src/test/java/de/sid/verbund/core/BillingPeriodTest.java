package de.sid.verbund.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BillingPeriodTest {
    @Test
    void monthsHaveTheirRealLengthInBerlin() {
        assertThat(BillingPeriod.of(2026, 3).hours()).isEqualTo(743);  // CET -> CEST
        assertThat(BillingPeriod.of(2026, 10).hours()).isEqualTo(745); // CEST -> CET
        assertThat(BillingPeriod.of(2026, 4).hours()).isEqualTo(720);
        assertThat(BillingPeriod.of(2026, 2).hours()).isEqualTo(672);
        assertThat(BillingPeriod.of(2028, 2).hours()).isEqualTo(696);
        assertThat(BillingPeriod.of(2026, 1).hours()).isEqualTo(744);
    }

    @Test
    void boundariesAreMidnightInBerlin() {
        BillingPeriod jan = BillingPeriod.of(2026, 1);
        assertThat(jan.start()).isEqualTo(Instant.parse("2025-12-31T23:00:00Z"));
        assertThat(jan.end()).isEqualTo(Instant.parse("2026-01-31T23:00:00Z"));
        assertThat(BillingPeriod.of(2026, 7).start()).isEqualTo(Instant.parse("2026-06-30T22:00:00Z"));
        assertThat(jan.contains(jan.start())).isTrue();
        assertThat(jan.contains(jan.end())).isFalse();
        assertThat(jan.next()).isEqualTo(BillingPeriod.of(2026, 2));
    }

    @Test
    void anInstantBelongsToTheBerlinMonth() {
        // 23:30 UTC on 31 January is already 1 February in Berlin
        assertThat(BillingPeriod.containing(Instant.parse("2026-01-31T23:30:00Z"))).isEqualTo(BillingPeriod.of(2026, 2));
        assertThat(BillingPeriod.containing(Instant.parse("2026-01-31T22:59:59Z"))).isEqualTo(BillingPeriod.of(2026, 1));
    }

    @Test
    void parsesAndRefusesBadText() {
        assertThat(BillingPeriod.parse("2026-03").toString()).isEqualTo("2026-03");
        assertThatThrownBy(() -> BillingPeriod.parse("2026-13")).isInstanceOf(ProblemException.class)
                .hasMessageContaining("yyyy-MM");
        assertThatThrownBy(() -> BillingPeriod.parse(null)).isInstanceOf(ProblemException.class);
    }
}

package de.sid.verbund.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {
    static HealthIndicator of(String name, Health h) {
        return new HealthIndicator() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Health check() {
                return h;
            }
        };
    }

    @Test
    void overallIsTheWorstComponent() {
        HealthReport r = HealthReport.of(List.of(of("b", Health.up(Map.of())),
                of("a", new Health(HealthStatus.DEGRADED, Map.of()))));
        assertThat(r.status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(r.components().keySet()).containsExactly("a", "b");
        assertThat(HealthReport.of(List.of(of("x", Health.up(null)), of("y", Health.down("gone")))).status())
                .isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void aThrowingCheckIsDownNotAnError() {
        HealthIndicator broken = new HealthIndicator() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public Health check() {
                throw new IllegalStateException("no connection");
            }
        };
        HealthReport r = HealthReport.of(List.of(broken));
        assertThat(r.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(r.components().get("broken").details().get("error").toString()).contains("no connection");
    }

    @Test
    void noComponentsMeansDown() {
        assertThat(HealthReport.of(List.of()).status()).isEqualTo(HealthStatus.DOWN);
    }
}

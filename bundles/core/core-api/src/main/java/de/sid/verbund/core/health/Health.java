package de.sid.verbund.core.health;

import java.util.Map;

/**
 * The health of one component.
 *
 * @param status UP, DEGRADED or DOWN
 * @param details facts an operator needs, e.g. {@code {"url": "jdbc:h2:…", "latencyMs": 2}}
 */
public record Health(HealthStatus status, Map<String, Object> details) {
    public Health {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static Health up(Map<String, Object> details) {
        return new Health(HealthStatus.UP, details);
    }

    public static Health down(String error) {
        return new Health(HealthStatus.DOWN, Map.of("error", error == null ? "unknown" : error));
    }
}

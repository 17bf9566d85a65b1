package de.sid.verbund.core.health;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The health of a node: the worst status of its components, and each component's health.
 *
 * @param status overall status: DOWN if any component is DOWN, else DEGRADED if any is, else UP;
 *        DOWN when there is no component at all
 * @param components health per component name, sorted by name
 */
public record HealthReport(HealthStatus status, Map<String, Health> components) {

    /**
     * Runs every indicator; an indicator that throws counts as DOWN with its message.
     *
     * @param indicators the checks to run
     */
    public static HealthReport of(Collection<HealthIndicator> indicators) {
        Map<String, Health> components = new LinkedHashMap<>();
        indicators.stream().sorted(Comparator.comparing(HealthIndicator::name)).forEach(i -> {
            Health h;
            try {
                h = i.check();
            } catch (RuntimeException e) {
                h = Health.down(e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            components.put(i.name(), h);
        });
        HealthStatus status = components.isEmpty() ? HealthStatus.DOWN : HealthStatus.UP;
        for (Health h : components.values()) {
            status = status.worst(h.status());
        }
        return new HealthReport(status, java.util.Collections.unmodifiableMap(components));
    }
}

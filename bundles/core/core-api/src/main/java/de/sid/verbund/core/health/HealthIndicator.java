package de.sid.verbund.core.health;

/**
 * A component's health check, published as an OSGi service; {@code /api/health} and
 * {@code verbund:health} collect all of them.
 */
public interface HealthIndicator {
    /** @return the component's name in the report, e.g. {@code database}, {@code broker} */
    String name();

    /**
     * Checks the component. Must answer within about a second and never throw; a failure is a
     * {@link Health#down(String)} result.
     */
    Health check();
}

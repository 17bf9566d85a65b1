package de.sid.verbund.core.health;

/** Status of one component or of the whole node, worst last. */
public enum HealthStatus {
    UP, DEGRADED, DOWN;

    /** @return the worse of the two */
    public HealthStatus worst(HealthStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}

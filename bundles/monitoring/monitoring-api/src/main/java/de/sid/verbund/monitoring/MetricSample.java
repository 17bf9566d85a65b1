package de.sid.verbund.monitoring;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One sample for the Prometheus exposition.
 *
 * @param name the metric name, e.g. {@code ifHCInOctets}
 * @param kind gauge or counter
 * @param help the HELP text
 * @param labels label names and values, in a stable order (index labels, lookups, then {@code device}, {@code site})
 * @param value the value
 */
public record MetricSample(String name, Kind kind, String help, Map<String, String> labels, double value) {
    public MetricSample {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(help, "help");
        labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    }

    /** The Prometheus metric type. */
    public enum Kind {
        /** Goes up and down. */
        GAUGE,
        /** Only goes up (until a reset): SNMP Counter32/Counter64 as read. */
        COUNTER
    }

    /**
     * @param label a label name
     * @return its value, or null if the sample has no such label
     */
    public String label(String label) {
        return labels.get(label);
    }
}

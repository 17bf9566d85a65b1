package de.sid.verbund.monitoring.profile;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/** How a value becomes a sample; the names are snmp_exporter's ({@code ObjectIdentifier} is ours). */
public enum MetricType {
    /** A number as it is (Integer32, Gauge32, Counter32/64, TimeTicks), scaled if the metric says so. */
    GAUGE("gauge"),
    /** A Counter32 or Counter64 as it is, Prometheus type counter. */
    COUNTER("counter"),
    /** Text: value 1, the text in a label named after the metric. */
    DISPLAY_STRING("DisplayString"),
    /** A MAC address {@code fa:16:3e:ee:85:8c}: value 1, in a label. */
    PHYS_ADDRESS("PhysAddress48"),
    /** Bytes as {@code 0x…} hex: value 1, in a label. */
    OCTET_STRING("OctetString"),
    /** RFC 2579 DateAndTime as ISO 8601: value 1, in a label. */
    DATE_AND_TIME("DateAndTime"),
    /** An OID in dotted form (sysObjectID): value 1, in a label. */
    OBJECT_IDENTIFIER("ObjectIdentifier"),
    /** An enumerated integer: value 1, its name (or number) in a label. */
    ENUM_AS_INFO("EnumAsInfo"),
    /** An enumerated integer: one sample per enum value, 1 for the current one, else 0. */
    ENUM_AS_STATE_SET("EnumAsStateSet");

    private final String yamlName;

    MetricType(String yamlName) {
        this.yamlName = yamlName;
    }

    /** @return the name in a profile file */
    @JsonValue
    public String yamlName() {
        return yamlName;
    }

    /**
     * @param name the name in a profile file
     * @return the type
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    @JsonCreator
    public static MetricType of(String name) {
        return Arrays.stream(values()).filter(t -> t.yamlName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown type '" + name + "', known: "
                        + Arrays.stream(values()).map(MetricType::yamlName).collect(Collectors.joining(", "))));
    }

    /** @return true for the types whose sample value is the number read */
    public boolean isNumeric() {
        return this == GAUGE || this == COUNTER;
    }
}

package de.sid.verbund.monitoring.profile;

import de.sid.verbund.monitoring.smi.Oid;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A declarative SNMP profile: what to read from a device and how to turn it into metrics. The
 * fields follow snmp_exporter's generator output ({@code walk}, {@code get}, {@code metrics}
 * with {@code indexes}, {@code lookups}, {@code enum_values}); {@code match}, {@code scale},
 * {@code filter} and {@code rate} are Verbund's additions. See {@code monitoring/profiles/README.md}.
 *
 * @param name the profile's name, unique, e.g. {@code if_mib}; devices name it in their {@code profiles}
 * @param description what the profile reads, for operators
 * @param match which devices get this profile when none are set by hand
 * @param walk subtrees to walk
 * @param get object instances to GET (scalars)
 * @param metrics the metrics made from what was read
 */
public record Profile(String name, String description, Match match, List<Oid> walk, List<Oid> get, List<Metric> metrics) {
    public Profile {
        description = description == null ? "" : description;
        match = match == null ? new Match(false, List.of()) : match;
        walk = walk == null ? List.of() : List.copyOf(walk);
        get = get == null ? List.of() : List.copyOf(get);
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    /**
     * @param all true if every device gets the profile (standard MIBs: walking a subtree a
     *        device lacks costs one request and yields nothing)
     * @param sysObjectId prefixes of {@code sysObjectID.0}; a device whose sysObjectID starts with one gets the profile
     */
    public record Match(boolean all, List<Oid> sysObjectId) {
        public Match {
            sysObjectId = sysObjectId == null ? List.of() : List.copyOf(sysObjectId);
        }

        /**
         * @param sysObjectId the device's {@code sysObjectID.0}, or null if unknown
         * @return whether the profile applies to the device
         */
        public boolean matches(Oid sysObjectId) {
            return all || (sysObjectId != null && this.sysObjectId.stream().anyMatch(sysObjectId::startsWith));
        }
    }

    /**
     * One metric: every instance under {@code oid} becomes a sample (or, for {@link
     * MetricType#ENUM_AS_STATE_SET}, one per enum value).
     *
     * @param name the metric name, as snmp_exporter names it (the MIB object's name)
     * @param oid the object type (a table column or a scalar without its {@code .0})
     * @param type how the value becomes a sample
     * @param help the HELP text
     * @param indexes the index labels, one per index of the table (none for a scalar)
     * @param lookups further labels read from other columns with the same index
     * @param enumValues names of enumerated values (for the Enum types)
     * @param scale how the raw number is scaled (optional)
     * @param filter only instances whose column of the same index holds one of the values (optional)
     * @param rate for a counter: also a per-second rate (optional)
     */
    public record Metric(String name, Oid oid, MetricType type, String help, List<Index> indexes, List<Lookup> lookups,
                         Map<Integer, String> enumValues, Scale scale, Filter filter, Rate rate) {
        public Metric {
            help = help == null ? "" : help;
            indexes = indexes == null ? List.of() : List.copyOf(indexes);
            lookups = lookups == null ? List.of() : List.copyOf(lookups);
            enumValues = enumValues == null ? Map.of() : Map.copyOf(enumValues);
        }
    }

    /**
     * @param labelname the label the index becomes, e.g. {@code ifIndex}
     * @param type the index's type; {@code gauge} (one sub-identifier, an integer) is the only
     *        one so far, enough for every table in the standard profiles
     */
    public record Index(String labelname, String type) {
        public Index {
            type = type == null ? "gauge" : type;
        }
    }

    /**
     * A label read from another object with some of this metric's index values, e.g. {@code
     * ifName} for {@code ifIndex}.
     *
     * @param labels the index labels whose values, in this order, form the instance of {@code oid}
     * @param labelname the label to set
     * @param oid the object to read
     * @param type how to render it: DisplayString, PhysAddress48, OctetString, DateAndTime,
     *        ObjectIdentifier, gauge, or EnumAsInfo (with {@code enum_values})
     * @param enumValues names of enumerated values, for EnumAsInfo
     */
    public record Lookup(List<String> labels, String labelname, Oid oid, MetricType type, Map<Integer, String> enumValues) {
        public Lookup {
            labels = labels == null ? List.of() : List.copyOf(labels);
            type = type == null ? MetricType.DISPLAY_STRING : type;
            enumValues = enumValues == null ? Map.of() : Map.copyOf(enumValues);
        }
    }

    /**
     * value = raw × {@code factor} × (value of {@code factor_oid}) × 10^(exponent of {@code
     * exponent_oid}) ÷ 10^(value of {@code precision_oid}), each part optional; the OIDs are read
     * with the metric's own index. ENTITY-SENSOR-MIB: {@code exponent_oid} =
     * entPhySensorScale with its SI-prefix {@code exponents}, {@code precision_oid} =
     * entPhySensorPrecision. If a part's object is absent, the instance gives no sample.
     *
     * @param factor a constant, e.g. 0.1 for UPS-MIB's 0.1 V units
     * @param factorOid a column to multiply by, e.g. hrStorageAllocationUnits
     * @param exponentOid a column holding an enumerated power of ten
     * @param exponents the power of ten of each enumerated value of {@code exponentOid}
     * @param precisionOid a column holding the number of decimal places of the raw value
     */
    public record Scale(Double factor, Oid factorOid, Oid exponentOid, Map<Integer, Integer> exponents, Oid precisionOid) {
        public Scale {
            exponents = exponents == null ? Map.of() : Map.copyOf(exponents);
        }
    }

    /**
     * @param oid a column read with the metric's index
     * @param values the integer values an instance's column must hold to give a sample
     */
    public record Filter(Oid oid, List<Integer> values) {
        public Filter {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    /**
     * A per-second rate of a counter, made with {@link de.sid.verbund.monitoring.RateTracker}
     * and exposed as a gauge besides the raw counter.
     *
     * @param name the rate's metric name, e.g. {@code verbund_if_in_octets_per_second}
     * @param help its HELP text
     * @param fallbackFor the name of a metric of the same profile and index that is preferred:
     *        this counter gives the rate only for instances where that one is absent
     *        ({@code ifInOctets} is the fallback for {@code ifHCInOctets})
     * @param discontinuityOid a TimeTicks column whose change means the counter restarted
     *        ({@code ifCounterDiscontinuityTime}), optional
     * @param speedOid the interface speed in bit/s ({@code ifSpeed}), for the octet-rate limit, optional
     * @param highSpeedOid the interface speed in Mbit/s ({@code ifHighSpeed}), used when {@code speed_oid} is at its maximum
     */
    public record Rate(String name, String help, String fallbackFor, Oid discontinuityOid, Oid speedOid, Oid highSpeedOid) {
        public Rate {
            help = help == null ? "" : help;
        }
    }

    /** @return the profile's name */
    @Override
    public String toString() {
        return "profile " + Objects.toString(name);
    }
}

package de.sid.verbund.monitoring.profile;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.std.FromStringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import de.sid.verbund.monitoring.smi.Oid;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads and validates profile files (YAML, {@code *.yaml} / {@code *.yml}).
 *
 * <p>YAML through Jackson's YAML data format: Jackson is already the platform's JSON library
 * (REST), its YAML module and snakeyaml 2.x are OSGi bundles on Maven Central, and the records
 * of {@link Profile} bind without hand-written parsing. Unknown keys are errors (a typo such as
 * {@code enum_value} must not be ignored silently), and every profile is checked before it is
 * used: metric and label names are valid Prometheus names, every OID a metric reads lies in a
 * walked subtree or is fetched by {@code get}, lookups name index labels of their metric, a
 * rate's fallback names a counter of the same profile.
 */
public final class ProfileLoader {
    private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final Set<String> RESERVED_LABELS = Set.of("device", "site");

    private final ObjectMapper mapper;

    /** A loader; thread-safe. */
    public ProfileLoader() {
        SimpleModule oids = new SimpleModule("verbund-oid");
        oids.addDeserializer(Oid.class, new FromStringDeserializer<Oid>(Oid.class) {
            private static final long serialVersionUID = 1L;

            @Override
            protected Oid _deserialize(String value, DeserializationContext ctxt) {
                return Oid.parse(value);
            }
        });
        mapper = new ObjectMapper(new YAMLFactory())
                .registerModule(oids)
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    }

    /**
     * @param file a profile file
     * @return the validated profile
     * @throws ProfileException naming the file, if it cannot be read, parsed or validated
     */
    public Profile load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (IOException e) {
            throw new ProfileException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * @param in the YAML text
     * @param source where it came from, for messages
     * @return the validated profile
     * @throws ProfileException naming the source, if it cannot be parsed or validated
     */
    public Profile load(InputStream in, String source) {
        Profile profile;
        try {
            profile = mapper.readValue(in, Profile.class);
        } catch (JsonMappingException e) {
            throw new ProfileException(source + ": " + e.getOriginalMessage() + " at " + e.getPathReference(), e);
        } catch (IOException e) {
            throw new ProfileException(source + ": " + e.getMessage(), e);
        }
        List<String> faults = validate(profile);
        if (!faults.isEmpty()) {
            throw new ProfileException(source + ": " + String.join("; ", faults));
        }
        return profile;
    }

    /**
     * Loads every {@code *.yaml} and {@code *.yml} file in a directory (not its subdirectories).
     *
     * @param directory e.g. {@code monitoring/profiles}
     * @return the profiles by name, in file-name order
     * @throws ProfileException if one cannot be loaded, or two have the same name
     */
    public Map<String, Profile> loadDirectory(Path directory) {
        List<Path> files;
        try (Stream<Path> s = Files.list(directory)) {
            files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new ProfileException(directory + ": cannot list: " + e.getMessage(), e);
        }
        Map<String, Profile> byName = new LinkedHashMap<>();
        Map<String, Path> from = new HashMap<>();
        for (Path f : files) {
            Profile p = load(f);
            Path before = from.putIfAbsent(p.name(), f);
            if (before != null) {
                throw new ProfileException(f + ": profile name '" + p.name() + "' is already used by " + before);
            }
            byName.put(p.name(), p);
        }
        return byName;
    }

    /**
     * @param p a parsed profile
     * @return what is wrong with it; empty if it is valid
     */
    public static List<String> validate(Profile p) {
        List<String> faults = new ArrayList<>();
        if (p.name() == null || !LABEL_NAME.matcher(p.name()).matches()) {
            faults.add("profile name '" + p.name() + "' must be letters, digits and _");
        }
        if (p.metrics().isEmpty()) {
            faults.add("no metrics");
        }
        Map<String, Profile.Metric> byName = new HashMap<>();
        Map<String, MetricType> typeByName = new HashMap<>();
        for (Profile.Metric m : p.metrics()) {
            String where = "metric " + m.name();
            if (m.name() == null || !METRIC_NAME.matcher(m.name()).matches()) {
                faults.add("metric name '" + m.name() + "' is not a Prometheus metric name");
                continue;
            }
            if (m.oid() == null || m.type() == null) {
                faults.add(where + ": needs oid and type");
                continue;
            }
            MetricType before = typeByName.putIfAbsent(m.name(), m.type());
            if (before != null && before != m.type()) {
                faults.add(where + ": defined twice with different types");
            }
            byName.putIfAbsent(m.name(), m);
            Set<String> indexLabels = new HashSet<>();
            for (Profile.Index i : m.indexes()) {
                if (i.labelname() == null || !LABEL_NAME.matcher(i.labelname()).matches() || RESERVED_LABELS.contains(i.labelname())) {
                    faults.add(where + ": index label '" + i.labelname() + "' is not a label name, or is device/site");
                }
                if (!"gauge".equals(i.type())) {
                    faults.add(where + ": index type '" + i.type() + "' is not supported (gauge only)");
                }
                indexLabels.add(i.labelname());
            }
            Oid instance = m.indexes().isEmpty() ? m.oid().append(0) : m.oid();
            requireRead(p, instance, where, faults);
            for (Profile.Lookup l : m.lookups()) {
                if (l.labelname() == null || !LABEL_NAME.matcher(l.labelname()).matches() || RESERVED_LABELS.contains(l.labelname())) {
                    faults.add(where + ": lookup label '" + l.labelname() + "' is not a label name, or is device/site");
                }
                if (l.oid() == null || l.labels().isEmpty() || !indexLabels.containsAll(l.labels())) {
                    faults.add(where + ": lookup " + l.labelname() + " needs an oid and labels among the indexes " + indexLabels);
                } else {
                    requireRead(p, l.oid(), where + " lookup " + l.labelname(), faults);
                }
                if (l.type() == MetricType.COUNTER || l.type() == MetricType.ENUM_AS_STATE_SET) {
                    faults.add(where + ": lookup " + l.labelname() + " cannot be of type " + l.type().yamlName());
                }
            }
            if ((m.type() == MetricType.ENUM_AS_INFO || m.type() == MetricType.ENUM_AS_STATE_SET) && m.enumValues().isEmpty()) {
                faults.add(where + ": " + m.type().yamlName() + " needs enum_values");
            }
            if (m.scale() != null) {
                if (!m.type().isNumeric() || m.type() == MetricType.COUNTER) {
                    faults.add(where + ": scale applies to gauges only");
                }
                Profile.Scale s = m.scale();
                if (s.exponentOid() != null && s.exponents().isEmpty()) {
                    faults.add(where + ": scale.exponent_oid needs exponents");
                }
                for (Oid o : new Oid[] {s.factorOid(), s.exponentOid(), s.precisionOid()}) {
                    if (o != null) {
                        requireRead(p, o, where + " scale", faults);
                    }
                }
            }
            if (m.filter() != null) {
                if (m.filter().oid() == null || m.filter().values().isEmpty()) {
                    faults.add(where + ": filter needs oid and values");
                } else {
                    requireRead(p, m.filter().oid(), where + " filter", faults);
                }
            }
            if (m.rate() != null) {
                if (m.type() != MetricType.COUNTER) {
                    faults.add(where + ": only a counter has a rate");
                }
                if (m.rate().name() == null || !METRIC_NAME.matcher(m.rate().name()).matches()) {
                    faults.add(where + ": rate name '" + m.rate().name() + "' is not a Prometheus metric name");
                }
                for (Oid o : new Oid[] {m.rate().discontinuityOid(), m.rate().speedOid(), m.rate().highSpeedOid()}) {
                    if (o != null) {
                        requireRead(p, o, where + " rate", faults);
                    }
                }
            }
        }
        for (Profile.Metric m : p.metrics()) {
            if (m.rate() != null && m.rate().fallbackFor() != null) {
                Profile.Metric preferred = byName.get(m.rate().fallbackFor());
                if (preferred == null || preferred.type() != MetricType.COUNTER || preferred.rate() == null
                        || !preferred.rate().name().equals(m.rate().name())) {
                    faults.add("metric " + m.name() + ": rate.fallback_for '" + m.rate().fallbackFor()
                            + "' must be a counter of this profile with the same rate name");
                }
            }
        }
        return faults;
    }

    private static void requireRead(Profile p, Oid oid, String where, List<String> faults) {
        boolean read = p.walk().stream().anyMatch(oid::startsWith) || p.get().stream().anyMatch(g -> g.startsWith(oid) || oid.startsWith(g));
        if (!read) {
            faults.add(where + ": " + oid + " is neither under a walked subtree nor in get");
        }
    }
}

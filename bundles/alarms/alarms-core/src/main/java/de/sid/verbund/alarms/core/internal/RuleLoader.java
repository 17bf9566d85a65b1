package de.sid.verbund.alarms.core.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import de.sid.verbund.alarms.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads threshold rules from YAML (jackson-dataformat-yaml, as the SNMP profiles are read):
 *
 * <pre>
 * rules:
 * - name: ups-battery-charge-low          # unique, [a-z0-9][a-z0-9-]*
 *   metric: upsEstimatedChargeRemaining   # the sample name (see monitoring/profiles)
 *   match: {label: value}                 # optional: labels with exactly these values
 *   match_regex: {label: regex}           # optional: labels whose whole value matches (Java regex)
 *   instance: [ifIndex]                   # optional: labels telling instances apart (default: all but device, site)
 *   ratio: {metric: ifHighSpeed, factor: 1.0e6}  # optional: divide by that metric of the same instance, times factor
 *   scale: 800                            # optional: multiply the sample's value (default 1)
 *   below: 50                             # one of above, below, equals, not_equals
 *   clear_above: 55                       # optional hysteresis: clear_below with above, clear_above with below
 *   for: 5m                               # optional: held this long (ms, s, m, h, d; e.g. 1h30m)
 *   for_polls: 3                          # optional: held in this many consecutive polls (default 1)
 *   severity: major                       # critical, major, minor, warning, indeterminate (ITU-T X.733)
 *   type: upsBatteryChargeLow             # the alarm type, camelCase
 *   description: "{device}: battery charge {value} %"   # placeholders: labels, device, site, value, threshold, metric, rule
 * </pre>
 *
 * Unknown keys, duplicate keys and rule names, a missing comparison or two of them, a clear
 * threshold on the wrong side and a ratio without {@code instance} are errors that name the rule.
 */
final class RuleLoader {
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern TYPE = Pattern.compile("[a-z][A-Za-z0-9]{0,62}");
    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    /** The file: a list of rules. */
    public record RulesFile(List<RuleSpec> rules) {
    }

    /** One rule as written. */
    public record RuleSpec(String name, String metric, Map<String, String> match, Map<String, String> matchRegex,
                           List<String> instance, RatioSpec ratio, Double scale, Double above, Double below, Double equals,
                           Double notEquals, Double clearBelow, Double clearAbove, @JsonProperty("for") String forDuration,
                           Integer forPolls, String severity, String type, String description) {
    }

    /** A ratio as written. */
    public record RatioSpec(String metric, Double factor) {
    }

    private final ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    /**
     * @return the validated rules, in file order
     * @throws IllegalArgumentException naming the file (and the rule) when it cannot be read, parsed or validated
     */
    List<Rule> load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in, file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** @param source where the text came from, for messages */
    List<Rule> load(InputStream in, String source) {
        RulesFile f;
        try {
            f = mapper.readValue(in, RulesFile.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage().replaceAll("\\s+", " "), e);
        }
        if (f == null || f.rules() == null) {
            throw new IllegalArgumentException(source + ": no 'rules' list");
        }
        List<Rule> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < f.rules().size(); i++) {
            RuleSpec s = f.rules().get(i);
            String where = source + ": rule " + (s == null || s.name() == null ? "#" + (i + 1) : s.name());
            if (s == null) {
                throw new IllegalArgumentException(where + ": empty");
            }
            try {
                Rule r = rule(s);
                if (!names.add(r.name())) {
                    throw new IllegalArgumentException("a second rule of that name");
                }
                out.add(r);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(out);
    }

    private static Rule rule(RuleSpec s) {
        require(s.name() != null && NAME.matcher(s.name()).matches(), "name must be [a-z0-9][a-z0-9-]* (at most 63)");
        require(s.metric() != null && METRIC.matcher(s.metric()).matches(), "metric must be a metric name");
        require(s.type() != null && TYPE.matcher(s.type()).matches(), "type must be camelCase like upsOnBattery");
        require(s.description() != null && !s.description().isBlank(), "description is required");
        Severity severity = Severity.parse(s.severity());
        List<Double> comparisons = new ArrayList<>();
        Rule.Comparison comparison = null;
        double threshold = 0;
        for (Object[] c : new Object[][] {{Rule.Comparison.ABOVE, s.above()}, {Rule.Comparison.BELOW, s.below()},
                {Rule.Comparison.EQUALS, s.equals()}, {Rule.Comparison.NOT_EQUALS, s.notEquals()}}) {
            if (c[1] != null) {
                comparisons.add((Double) c[1]);
                comparison = (Rule.Comparison) c[0];
                threshold = (Double) c[1];
            }
        }
        require(comparisons.size() == 1, "exactly one of above, below, equals, not_equals is required");
        Double clear = null;
        if (s.clearBelow() != null) {
            require(comparison == Rule.Comparison.ABOVE && s.clearBelow() <= threshold,
                    "clear_below goes with above and must not be more than it");
            clear = s.clearBelow();
        }
        if (s.clearAbove() != null) {
            require(clear == null, "clear_below and clear_above together");
            require(comparison == Rule.Comparison.BELOW && s.clearAbove() >= threshold,
                    "clear_above goes with below and must not be less than it");
            clear = s.clearAbove();
        }
        Map<String, java.util.regex.Pattern> regex = new LinkedHashMap<>();
        if (s.matchRegex() != null) {
            for (Map.Entry<String, String> e : s.matchRegex().entrySet()) {
                try {
                    regex.put(e.getKey(), Pattern.compile(e.getValue()));
                } catch (PatternSyntaxException ex) {
                    throw new IllegalArgumentException("match_regex of " + e.getKey() + ": " + ex.getDescription());
                }
            }
        }
        Rule.Ratio ratio = null;
        if (s.ratio() != null) {
            require(s.ratio().metric() != null && METRIC.matcher(s.ratio().metric()).matches(),
                    "ratio.metric must be a metric name");
            require(s.instance() != null && !s.instance().isEmpty(), "a ratio needs instance (the labels both metrics share)");
            double factor = s.ratio().factor() == null ? 1 : s.ratio().factor();
            require(factor > 0, "ratio.factor must be positive");
            ratio = new Rule.Ratio(s.ratio().metric(), factor);
        }
        int forPolls = s.forPolls() == null ? 1 : s.forPolls();
        require(forPolls >= 1, "for_polls must be at least 1");
        double scale = s.scale() == null ? 1 : s.scale();
        require(scale != 0 && !Double.isNaN(scale), "scale must not be 0");
        return new Rule(s.name(), s.type(), severity, s.metric(), s.match() == null ? Map.of() : Map.copyOf(s.match()),
                Map.copyOf(regex), s.instance() == null ? null : List.copyOf(s.instance()), ratio, scale, comparison,
                threshold, clear, duration(s.forDuration()), forPolls, Rule.Template.parse(s.description()));
    }

    /** @return a duration like {@code 5m}, {@code 90s}, {@code 1h30m}; zero for null */
    static Duration duration(String text) {
        if (text == null) {
            return Duration.ZERO;
        }
        Matcher m = DURATION_PART.matcher(text.trim());
        Duration d = Duration.ZERO;
        int at = 0;
        while (at < text.trim().length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            d = d.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
            at = m.end();
        }
        require(at > 0 && at == text.trim().length(), "for must be a duration like 5m, 90s or 1h30m, not '" + text + "'");
        return d;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}

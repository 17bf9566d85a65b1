package de.sid.verbund.alarms.core.internal;

import de.sid.verbund.alarms.Severity;
import de.sid.verbund.monitoring.MetricSample;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A threshold rule, validated (see {@link RuleLoader} for the file format).
 *
 * @param name unique, {@code [a-z0-9][a-z0-9-]*}
 * @param type the alarm type it raises
 * @param severity the alarm's severity
 * @param metric the sample name it looks at
 * @param match labels that must have exactly these values
 * @param matchRegex labels whose values must match these patterns (whole value)
 * @param instance the labels that tell one instance (an interface, a sensor) from another, in
 *        key order; {@code null}: every label but {@code device} and {@code site}
 * @param ratio when set, the value is {@code scale × sample / (ratio sample × factor)} with the
 *        ratio metric's sample of the same device and instance
 * @param scale factor on the sample's value (1 without a ratio)
 * @param comparison how the value is compared with the threshold
 * @param threshold the threshold
 * @param clear the clear threshold (hysteresis), or {@code null}: clears as soon as the
 *        comparison no longer holds
 * @param forDuration how long the comparison must hold (from the first poll where it held) before
 *        the alarm is raised; zero for at once
 * @param forPolls in how many consecutive polls the comparison must hold (at least 1)
 * @param description the alarm description's template
 */
record Rule(String name, String type, Severity severity, String metric, Map<String, String> match,
            Map<String, Pattern> matchRegex, List<String> instance, Ratio ratio, double scale, Comparison comparison,
            double threshold, Double clear, Duration forDuration, int forPolls, Template description) {

    /** The denominator of a ratio: another metric of the same instance, times a factor. */
    record Ratio(String metric, double factor) {
    }

    /** How a value is compared with a rule's thresholds. */
    enum Comparison {
        /** Raises when value > threshold; clears when value <= threshold, or < clear. */
        ABOVE,
        /** Raises when value < threshold; clears when value >= threshold, or > clear. */
        BELOW,
        /** Raises when value == threshold; clears when it differs. */
        EQUALS,
        /** Raises when value != threshold; clears when it equals. */
        NOT_EQUALS
    }

    /** @return whether the value is past the threshold */
    boolean raises(double v) {
        return switch (comparison) {
            case ABOVE -> v > threshold;
            case BELOW -> v < threshold;
            case EQUALS -> v == threshold;
            case NOT_EQUALS -> v != threshold;
        };
    }

    /** @return whether the value is back (past the clear threshold, if there is one) */
    boolean clears(double v) {
        return switch (comparison) {
            case ABOVE -> clear == null ? v <= threshold : v < clear;
            case BELOW -> clear == null ? v >= threshold : v > clear;
            case EQUALS -> v != threshold;
            case NOT_EQUALS -> v == threshold;
        };
    }

    /** @return whether a sample of this rule's metric has the labels the rule asks for */
    boolean matches(MetricSample s) {
        for (Map.Entry<String, String> m : match.entrySet()) {
            if (!m.getValue().equals(s.label(m.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<String, Pattern> m : matchRegex.entrySet()) {
            String v = s.label(m.getKey());
            if (v == null || !m.getValue().matcher(v).matches()) {
                return false;
            }
        }
        return true;
    }

    /** @return the instance labels of a sample (of the metric or of the ratio metric), in key order */
    Map<String, String> instanceOf(MetricSample s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (instance == null) {
            s.labels().forEach((k, v) -> {
                if (!k.equals("device") && !k.equals("site")) {
                    out.put(k, v);
                }
            });
        } else {
            for (String l : instance) {
                String v = s.label(l);
                out.put(l, v == null ? "" : v);
            }
        }
        return out;
    }

    /** @return a value for a description: whole numbers without decimals, others with one */
    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /**
     * A description template: text with {@code {name}} placeholders, filled from the sample's
     * labels and {@code device}, {@code site}, {@code value}, {@code threshold}, {@code metric},
     * {@code rule}. A placeholder with nothing to fill it stays as it is.
     */
    record Template(String text, List<String> parts) {
        private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z_][A-Za-z0-9_]*)}");

        static Template parse(String text) {
            List<String> parts = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(text);
            int at = 0;
            while (m.find()) {
                parts.add(text.substring(at, m.start()));
                parts.add(m.group(1));
                at = m.end();
            }
            parts.add(text.substring(at));
            return new Template(text, List.copyOf(parts));
        }

        /** @param values placeholder values; the text parts are at even, placeholder names at odd positions */
        String render(Map<String, String> values) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < parts.size(); i++) {
                String p = parts.get(i);
                if (i % 2 == 0) {
                    b.append(p);
                } else {
                    String v = values.get(p);
                    b.append(v == null ? "{" + p + "}" : v);
                }
            }
            return b.toString();
        }
    }
}

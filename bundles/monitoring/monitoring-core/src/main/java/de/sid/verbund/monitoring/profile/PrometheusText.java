package de.sid.verbund.monitoring.profile;

import de.sid.verbund.monitoring.MetricSample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes samples in the Prometheus text format 0.0.4, as snmp_exporter does: a counter keeps
 * its MIB name ({@code ifHCInOctets}, no {@code _total}; the Java client library would add one
 * and break dashboards written for snmp_exporter). Samples of one name are written together
 * under one HELP and TYPE; a repeated series (same name and labels) is written once.
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    /**
     * @param samples the samples, in any order
     * @return the exposition text
     */
    public static String write(List<MetricSample> samples) {
        Map<String, List<MetricSample>> byName = new LinkedHashMap<>();
        for (MetricSample s : samples) {
            byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
        }
        StringBuilder b = new StringBuilder(samples.size() * 96);
        for (Map.Entry<String, List<MetricSample>> e : byName.entrySet()) {
            MetricSample first = e.getValue().get(0);
            b.append("# HELP ").append(e.getKey()).append(' ').append(escapeHelp(first.help())).append('\n');
            b.append("# TYPE ").append(e.getKey()).append(' ').append(first.kind().name().toLowerCase(Locale.ROOT)).append('\n');
            Set<Map<String, String>> seen = new HashSet<>();
            for (MetricSample s : e.getValue()) {
                if (!seen.add(s.labels())) {
                    continue;
                }
                b.append(e.getKey());
                if (!s.labels().isEmpty()) {
                    b.append('{');
                    boolean comma = false;
                    for (Map.Entry<String, String> l : s.labels().entrySet()) {
                        if (comma) {
                            b.append(',');
                        }
                        b.append(l.getKey()).append("=\"").append(escapeLabel(l.getValue())).append('"');
                        comma = true;
                    }
                    b.append('}');
                }
                b.append(' ').append(formatValue(s.value())).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * @param v a value
     * @return an integer without a fraction when it is one (below 2^53), else Java's double form; {@code NaN}, {@code +Inf}, {@code -Inf}
     */
    public static String formatValue(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 9.007199254740992E15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String escapeLabel(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String escapeHelp(String s) {
        return s.replace("\\", "\\\\").replace("\n", "\\n");
    }
}

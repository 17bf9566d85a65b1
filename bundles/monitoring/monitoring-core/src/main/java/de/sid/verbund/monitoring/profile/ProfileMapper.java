package de.sid.verbund.monitoring.profile;

import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.CounterRates;
import de.sid.verbund.monitoring.CounterSample;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.RateOutcome;
import de.sid.verbund.monitoring.RateTracker;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.OctetStrings;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.monitoring.smi.TextualConvention;
import de.sid.verbund.monitoring.smi.VarBind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a {@link PollResult} and a device's profiles into {@link MetricSample}s.
 *
 * <ul>
 *   <li>Names and labels as snmp_exporter makes them from the same profile: {@code
 *       ifHCInOctets{ifIndex="3",ifAlias="…",ifDescr="…",ifName="Gi1/0/1"}}, plus {@code device}
 *       and {@code site}.</li>
 *   <li>An absent value (noSuchObject, noSuchInstance, endOfMibView, or not returned) gives no
 *       sample, never 0. A value of the wrong type for its metric (text for a gauge) gives no
 *       sample and is counted in {@link Result#problems()}.</li>
 *   <li>Counters are exposed raw, as snmp_exporter does (so {@code rate()} in PromQL and
 *       existing dashboards work); a counter whose profile has a {@code rate} also gives a
 *       per-second gauge through the {@link RateTracker}: no sample on the first poll, after a
 *       reset or above the interface speed.</li>
 * </ul>
 *
 * <p>One mapper per poller: it keeps the rate baselines of all devices (keyed by device, rate
 * name and index). Thread-safe.
 */
public final class ProfileMapper {
    private final RateTracker<RateKey> rates = new RateTracker<>();

    /** The baseline key of one rate. */
    record RateKey(String device, String rate, Oid index) {
    }

    /**
     * @param samples the samples
     * @param problems values that could not be mapped (type mismatches), for a log line and a counter
     */
    public record Result(List<MetricSample> samples, List<String> problems) {
        public Result {
            samples = List.copyOf(samples);
            problems = List.copyOf(problems);
        }
    }

    /** @return the tracker of rate baselines (for its counts of resets and discarded rates) */
    public RateTracker<?> rates() {
        return rates;
    }

    /**
     * @param device the device's name (the {@code device} label)
     * @param site the device's site (the {@code site} label)
     * @param poll what a poll read
     * @param profiles the device's profiles
     * @return the samples; none if the device was not reachable
     */
    public Result map(String device, String site, PollResult poll, Collection<Profile> profiles) {
        List<MetricSample> out = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        if (!poll.reachable()) {
            return new Result(out, problems);
        }
        PolledValues data = PolledValues.of(poll);
        Map<String, String> deviceLabels = new LinkedHashMap<>();
        deviceLabels.put("device", device);
        deviceLabels.put("site", site);
        Map<LabelScheme, Map<Oid, Map<String, String>>> labelsByScheme = new HashMap<>();
        for (Profile p : profiles) {
            Map<String, Profile.Metric> byName = new LinkedHashMap<>();
            p.metrics().forEach(m -> byName.putIfAbsent(m.name(), m));
            for (Profile.Metric m : p.metrics()) {
                Map<Oid, Map<String, String>> labelsByIndex = labelsByScheme.computeIfAbsent(
                        new LabelScheme(m.indexes(), m.lookups()), k -> new HashMap<>());
                mapMetric(device, poll, data, m, byName, deviceLabels, labelsByIndex, out, problems);
            }
        }
        return new Result(out, problems);
    }

    /**
     * What a sample's labels are made of: metrics with the same index labels and lookups have
     * the same labels for the same index (every column of ifTable and ifXTable), so the lookups
     * are read and rendered once per row, not once per cell.
     */
    private record LabelScheme(List<Profile.Index> indexes, List<Profile.Lookup> lookups) {
    }

    private void mapMetric(String device, PollResult poll, PolledValues data, Profile.Metric m,
                           Map<String, Profile.Metric> byName, Map<String, String> deviceLabels,
                           Map<Oid, Map<String, String>> labelsByIndex, List<MetricSample> out, List<String> problems) {
        for (int at = data.firstAfter(m.oid()); at < data.size() && data.oid(at).startsWith(m.oid()); at++) {
            Oid oid = data.oid(at);
            SnmpValue value = data.value(at);
            if (value.isAbsent()) {
                continue;
            }
            Oid index = oid.suffixAfter(m.oid());
            if (m.indexes().isEmpty()) {
                if (index.size() != 1 || index.arc(0) != 0) {
                    continue;
                }
            } else if (index.size() != m.indexes().size()) {
                continue;
            }
            if (m.filter() != null) {
                Long f = integer(data.get(m.filter().oid().append(index)));
                if (f == null || !m.filter().values().contains(f.intValue())) {
                    continue;
                }
            }
            Map<String, String> labels = labelsByIndex.get(index);
            if (labels == null) {
                labels = labels(m, index, data, deviceLabels);
                labelsByIndex.put(index, labels);
            }
            switch (m.type()) {
                case GAUGE -> {
                    Double number = number(value);
                    if (number == null) {
                        problems.add(where(device, m, index) + ": a gauge, but the agent sent " + value);
                        continue;
                    }
                    Double scaled = m.scale() == null ? number : scale(number, m.scale(), index, data);
                    if (scaled != null) {
                        out.add(new MetricSample(m.name(), MetricSample.Kind.GAUGE, m.help(), labels, scaled));
                    }
                }
                case COUNTER -> {
                    if (!(value instanceof SnmpValue.Counter32 || value instanceof SnmpValue.Counter64)) {
                        problems.add(where(device, m, index) + ": a counter, but the agent sent " + value);
                        continue;
                    }
                    out.add(new MetricSample(m.name(), MetricSample.Kind.COUNTER, m.help(), labels, number(value)));
                    if (m.rate() != null) {
                        rate(device, poll, data, m, byName, index, value, labels, out);
                    }
                }
                case ENUM_AS_STATE_SET -> {
                    Long current = integer(value);
                    if (current == null) {
                        problems.add(where(device, m, index) + ": an enum, but the agent sent " + value);
                        continue;
                    }
                    for (Map.Entry<Integer, String> ev : new TreeMap<>(m.enumValues()).entrySet()) {
                        Map<String, String> l = new LinkedHashMap<>(labels);
                        l.put(m.name(), ev.getValue());
                        out.add(new MetricSample(m.name(), MetricSample.Kind.GAUGE, m.help(), l, ev.getKey().longValue() == current ? 1 : 0));
                    }
                }
                default -> {
                    String text = render(value, m.type(), m.enumValues());
                    if (text == null) {
                        problems.add(where(device, m, index) + ": " + m.type().yamlName() + ", but the agent sent " + value);
                        continue;
                    }
                    Map<String, String> l = new LinkedHashMap<>(labels);
                    l.put(m.name(), text);
                    out.add(new MetricSample(m.name(), MetricSample.Kind.GAUGE, m.help(), l, 1));
                }
            }
        }
    }

    /** @return {@code device metric.index}, for a problem's text */
    private static String where(String device, Profile.Metric m, Oid index) {
        return device + " " + m.name() + "." + index;
    }

    /**
     * @return the labels of a row: its index labels, then the lookups (which may replace an
     *         index label), then {@code device} and {@code site}; one map for all its samples
     */
    private static Map<String, String> labels(Profile.Metric m, Oid index, PolledValues data, Map<String, String> deviceLabels) {
        Map<String, String> labels = new LinkedHashMap<>();
        Map<String, Long> indexArcs = new HashMap<>();
        for (int i = 0; i < m.indexes().size(); i++) {
            String label = m.indexes().get(i).labelname();
            indexArcs.put(label, index.arc(i));
            labels.put(label, Long.toString(index.arc(i)));
        }
        for (Profile.Lookup l : m.lookups()) {
            Oid at = l.oid();
            for (String label : l.labels()) {
                at = at.append((int) (long) indexArcs.get(label));
            }
            SnmpValue lv = data.get(at);
            String text = lv == null || lv.isAbsent() ? "" : render(lv, l.type(), l.enumValues());
            labels.put(l.labelname(), text == null ? "" : text);
        }
        labels.putAll(deviceLabels);
        return MetricSample.fixedLabels(labels);
    }

    private void rate(String device, PollResult poll, PolledValues data, Profile.Metric m,
                      Map<String, Profile.Metric> byName, Oid index, SnmpValue value, Map<String, String> labels,
                      List<MetricSample> out) {
        Profile.Rate r = m.rate();
        if (r.fallbackFor() != null) {
            SnmpValue preferred = data.get(byName.get(r.fallbackFor()).oid().append(index));
            if (preferred instanceof SnmpValue.Counter64 || preferred instanceof SnmpValue.Counter32) {
                return;
            }
        }
        SnmpValue discontinuity = r.discontinuityOid() == null ? SnmpValue.NO_SUCH_OBJECT : data.get(r.discontinuityOid().append(index));
        if (!(discontinuity instanceof SnmpValue.TimeTicks)) {
            discontinuity = SnmpValue.NO_SUCH_OBJECT;
        }
        SnmpValue upTime = poll.sysUpTime() instanceof SnmpValue.TimeTicks ? poll.sysUpTime() : SnmpValue.NO_SUCH_OBJECT;
        double max = Double.POSITIVE_INFINITY;
        if (r.speedOid() != null || r.highSpeedOid() != null) {
            Long speed = r.speedOid() == null ? null : integer(data.get(r.speedOid().append(index)));
            Long high = r.highSpeedOid() == null ? null : integer(data.get(r.highSpeedOid().append(index)));
            max = CounterRates.maxOctetsPerSecond(speed == null ? 0 : speed, high == null ? 0 : high);
        }
        RateOutcome outcome = rates.update(new RateKey(device, r.name(), index),
                new CounterSample(value, upTime, poll.startedAt(), discontinuity), max);
        if (outcome instanceof RateOutcome.Rate rate) {
            out.add(new MetricSample(r.name(), MetricSample.Kind.GAUGE, r.help(), labels, rate.perSecond()));
        }
    }

    private static Double scale(double raw, Profile.Scale s, Oid index, PolledValues data) {
        BigDecimal v = BigDecimal.valueOf(raw);
        if (s.factor() != null) {
            v = v.multiply(BigDecimal.valueOf(s.factor()));
        }
        if (s.factorOid() != null) {
            Double f = number(data.get(s.factorOid().append(index)));
            if (f == null) {
                return null;
            }
            v = v.multiply(BigDecimal.valueOf(f));
        }
        int power = 0;
        if (s.exponentOid() != null) {
            Long code = integer(data.get(s.exponentOid().append(index)));
            Integer exponent = code == null ? null : s.exponents().get(code.intValue());
            if (exponent == null) {
                return null;
            }
            power += exponent;
        }
        if (s.precisionOid() != null) {
            Long precision = integer(data.get(s.precisionOid().append(index)));
            if (precision == null) {
                return null;
            }
            power -= precision.intValue();
        }
        return v.scaleByPowerOfTen(power).doubleValue();
    }

    private static Long integer(SnmpValue v) {
        if (v instanceof SnmpValue.Integer32 i) {
            return (long) i.value();
        }
        if (v instanceof SnmpValue.Gauge32 g) {
            return g.value();
        }
        return null;
    }

    private static Double number(SnmpValue v) {
        if (v instanceof SnmpValue.Integer32 i) {
            return (double) i.value();
        } else if (v instanceof SnmpValue.Gauge32 g) {
            return (double) g.value();
        } else if (v instanceof SnmpValue.Counter32 c) {
            return (double) c.value();
        } else if (v instanceof SnmpValue.Counter64 c) {
            return c.toDouble();
        } else if (v instanceof SnmpValue.TimeTicks t) {
            return (double) t.value();
        }
        return null;
    }

    /** @return the label text of a value, or null if the value does not fit the type */
    private static String render(SnmpValue v, MetricType type, Map<Integer, String> enumValues) {
        return switch (type) {
            case DISPLAY_STRING -> v instanceof SnmpValue.OctetString s ? OctetStrings.render(s, TextualConvention.DISPLAY_STRING) : null;
            case PHYS_ADDRESS -> v instanceof SnmpValue.OctetString s ? OctetStrings.render(s, TextualConvention.PHYS_ADDRESS) : null;
            case OCTET_STRING -> v instanceof SnmpValue.OctetString s ? OctetStrings.render(s, TextualConvention.HEX)
                    : v instanceof SnmpValue.ObjectIdentifier o ? o.value().toString() : null; // ifSpecific is an OID, typed OctetString by snmp_exporter
            case DATE_AND_TIME -> v instanceof SnmpValue.OctetString s ? OctetStrings.render(s, TextualConvention.DATE_AND_TIME) : null;
            case OBJECT_IDENTIFIER -> v instanceof SnmpValue.ObjectIdentifier o ? o.value().toString() : null;
            case ENUM_AS_INFO, ENUM_AS_STATE_SET -> {
                Long i = integer(v);
                yield i == null ? null : enumValues.getOrDefault(i.intValue(), Long.toString(i));
            }
            case GAUGE, COUNTER -> {
                Double d = number(v);
                yield d == null ? null : PrometheusText.formatValue(d);
            }
        };
    }
}

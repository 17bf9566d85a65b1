package de.sid.verbund.alarms.core.internal;

import de.sid.verbund.alarms.AlarmKeys;
import de.sid.verbund.alarms.NewAlarm;
import de.sid.verbund.alarms.SourceKind;
import de.sid.verbund.monitoring.MetricSample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Evaluates threshold rules on one poll's samples at a time and says which alarms to raise and
 * clear. Pure logic over in-memory state, cheap per sample: a sample whose metric no rule names
 * costs one hash lookup; the database is not touched (the caller applies the actions elsewhere).
 *
 * <p>Per rule and instance (device and instance labels) it keeps whether the alarm is raised
 * ("firing") and since when and for how many polls the threshold has been passed ("pending"):
 * <ul>
 *   <li>not firing, threshold passed: pending starts or goes on; once it has lasted {@code for}
 *       (from the first poll past the threshold to this one) and {@code for_polls} polls, the
 *       alarm is raised and the instance fires;</li>
 *   <li>not firing, threshold not passed: pending is reset;</li>
 *   <li>firing, back past the clear threshold (or no longer past the threshold): the alarm is
 *       cleared;</li>
 *   <li>no sample of the instance in a poll (the device did not answer, the row is gone): nothing
 *       changes, so an unreachable UPS keeps its "on battery" alarm. A device that does not
 *       answer is the device-unreachable rule's business ({@code verbund_device_up}).</li>
 * </ul>
 * An instance seen for the first time starts firing when its alarm key is open in the store
 * (after a restart, or when another cluster node polled the device before), so a condition that
 * ended while nobody watched still clears, and one that goes on is not raised twice.
 *
 * <p>Thread-safety: polls of different devices may be evaluated at once; polls of one device come
 * one after another (the poller's guarantee), and each instance's state is guarded by itself.
 */
final class RuleEngine {
    /** What to do: raise {@code alarm}, or clear the open alarm of {@code key}. */
    record Action(Rule rule, String key, String stateKey, NewAlarm alarm, String reason) {
        boolean raise() {
            return alarm != null;
        }
    }

    /** The state of one rule on one instance. */
    private static final class State {
        boolean firing;
        Instant pendingSince;
        int pendingPolls;
        volatile Instant lastSeen;

        State(boolean firing) {
            this.firing = firing;
        }
    }

    private final List<Rule> rules;
    private final Map<String, List<Rule>> byMetric = new HashMap<>();
    private final Map<String, List<Rule>> byRatioMetric = new HashMap<>();
    private final Map<String, State> states = new ConcurrentHashMap<>();
    private volatile Set<String> openKeys = Set.of();

    RuleEngine(List<Rule> rules) {
        this.rules = List.copyOf(rules);
        for (Rule r : rules) {
            byMetric.computeIfAbsent(r.metric(), m -> new ArrayList<>()).add(r);
            if (r.ratio() != null) {
                byRatioMetric.computeIfAbsent(r.ratio().metric(), m -> new ArrayList<>()).add(r);
            }
        }
    }

    List<Rule> rules() {
        return rules;
    }

    /** @param keys the keys of the open alarms in the store, for instances seen from now on */
    void openKeys(Set<String> keys) {
        openKeys = Set.copyOf(keys);
    }

    /**
     * @param deviceId the polled device's id
     * @param device its name
     * @param site its site
     * @param at when the poll started
     * @param samples the poll's samples
     * @return the alarms to raise and clear, in sample order
     */
    List<Action> evaluate(String deviceId, String device, String site, Instant at, List<MetricSample> samples) {
        if (rules.isEmpty()) {
            return List.of();
        }
        List<MetricSample> candidates = null;
        Map<Rule, Map<Map<String, String>, Double>> denominators = null;
        for (MetricSample s : samples) {
            if (byMetric.containsKey(s.name())) {
                if (candidates == null) {
                    candidates = new ArrayList<>();
                }
                candidates.add(s);
            }
            List<Rule> ratioRules = byRatioMetric.get(s.name());
            if (ratioRules != null) {
                if (denominators == null) {
                    denominators = new HashMap<>();
                }
                for (Rule r : ratioRules) {
                    denominators.computeIfAbsent(r, x -> new HashMap<>()).put(r.instanceOf(s), s.value());
                }
            }
        }
        if (candidates == null) {
            return List.of();
        }
        List<Action> actions = new ArrayList<>();
        for (MetricSample s : candidates) {
            for (Rule r : byMetric.get(s.name())) {
                if (!r.matches(s)) {
                    continue;
                }
                Map<String, String> instance = r.instanceOf(s);
                double value = s.value() * r.scale();
                Double per = null;
                if (r.ratio() != null) {
                    per = denominators == null ? null : denominators.getOrDefault(r, Map.of()).get(instance);
                    if (per == null || per == 0 || Double.isNaN(per)) {
                        continue; // no speed known (or 0): nothing to compare with
                    }
                    value = value / (per * r.ratio().factor());
                }
                if (Double.isNaN(value)) {
                    continue;
                }
                Action a = step(r, deviceId, device, site, at, s, instance, value);
                if (a != null) {
                    actions.add(a);
                }
            }
        }
        return actions;
    }

    private Action step(Rule r, String deviceId, String device, String site, Instant at, MetricSample s,
                        Map<String, String> instance, double value) {
        String key = AlarmKeys.of(r.type(), deviceId, instance);
        String stateKey = r.name() + '\u0000' + key;
        State st = states.computeIfAbsent(stateKey, k -> new State(openKeys.contains(key)));
        synchronized (st) {
            st.lastSeen = at;
            if (st.firing) {
                if (r.clears(value)) {
                    st.firing = false;
                    st.pendingSince = null;
                    st.pendingPolls = 0;
                    return new Action(r, key, stateKey, null, "back to " + Rule.format(value) + " (rule " + r.name() + ")");
                }
                return null;
            }
            if (!r.raises(value)) {
                st.pendingSince = null;
                st.pendingPolls = 0;
                return null;
            }
            if (st.pendingSince == null) {
                st.pendingSince = at;
            }
            st.pendingPolls++;
            if (st.pendingPolls < r.forPolls() || at.isBefore(st.pendingSince.plus(r.forDuration()))) {
                return null;
            }
            st.firing = true;
        }
        Map<String, String> values = new LinkedHashMap<>(s.labels());
        values.put("device", device);
        values.put("site", site == null ? "" : site);
        values.put("value", Rule.format(value));
        values.put("threshold", Rule.format(r.threshold()));
        values.put("metric", r.metric());
        values.put("rule", r.name());
        NewAlarm alarm = new NewAlarm(key, SourceKind.DEVICE, deviceId, device, site, r.type(), r.severity(),
                r.description().render(values), null);
        return new Action(r, key, stateKey, alarm, null);
    }

    /**
     * The store did not take an action: let the next poll try again (a raise is repeated at the
     * next poll past the threshold, a clear at the next poll back).
     */
    void failed(Action a) {
        State st = states.get(a.stateKey());
        if (st != null) {
            synchronized (st) {
                st.firing = !a.raise();
            }
        }
    }

    /** Forgets instances not seen since {@code before} (deleted devices, removed interfaces). @return how many */
    int forget(Instant before) {
        int n = 0;
        for (Map.Entry<String, State> e : states.entrySet()) {
            Instant seen = e.getValue().lastSeen;
            if (seen != null && seen.isBefore(before) && states.remove(e.getKey(), e.getValue())) {
                n++;
            }
        }
        return n;
    }

    /** @return how many rule instances are tracked */
    int instances() {
        return states.size();
    }
}

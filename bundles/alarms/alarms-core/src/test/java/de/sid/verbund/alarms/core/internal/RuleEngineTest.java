package de.sid.verbund.alarms.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.alarms.Severity;
import de.sid.verbund.monitoring.MetricSample;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Threshold rules: the file format and the evaluation of samples poll by poll. */
class RuleEngineTest {
    static final Path SHIPPED = Path.of("../../../monitoring/alarm-rules.yaml");
    private static final String DEVICE_ID = "0b5cfd6e-2f7a-4c55-9a43-64c2a1d8e001";
    private static final Instant T0 = Instant.parse("2026-11-30T08:00:00Z");

    private final RuleEngine shipped = new RuleEngine(new RuleLoader().load(SHIPPED));

    static List<Rule> rules(String yaml) {
        return new RuleLoader().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    static MetricSample sample(String name, double value, String... labels) {
        Map<String, String> l = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        l.put("device", "dev-1");
        l.put("site", "dc1");
        return new MetricSample(name, MetricSample.Kind.GAUGE, "help", l, value);
    }

    private List<RuleEngine.Action> poll(RuleEngine e, int minute, MetricSample... samples) {
        return e.evaluate(DEVICE_ID, "dev-1", "dc1", T0.plus(Duration.ofMinutes(minute)), List.of(samples));
    }

    /** ifIndex 1 at the given utilisation of 1 Gbit/s, ifIndex 2 idle, plus samples no rule looks at. */
    private static MetricSample[] interfaces(double percentOfGigabit) {
        double octetsPerSecond = percentOfGigabit / 100 * 1e9 / 8;
        return new MetricSample[] {
            sample("ifHCInOctets", 123456789, "ifIndex", "1", "ifName", "Gi0/1"),
            sample("verbund_if_in_octets_per_second", octetsPerSecond, "ifIndex", "1", "ifName", "Gi0/1"),
            sample("ifHighSpeed", 1000, "ifIndex", "1", "ifName", "Gi0/1"),
            sample("verbund_if_in_octets_per_second", 10, "ifIndex", "2", "ifName", "Gi0/2"),
            sample("ifHighSpeed", 1000, "ifIndex", "2", "ifName", "Gi0/2"),
            sample("verbund_if_in_octets_per_second", 1e9, "ifIndex", "3", "ifName", "Nu0"),
            sample("ifHighSpeed", 0, "ifIndex", "3", "ifName", "Nu0")};
    }

    private static List<String> describe(List<RuleEngine.Action> actions) {
        List<String> out = new ArrayList<>();
        for (RuleEngine.Action a : actions) {
            out.add(a.raise() ? "raise " + a.key() + " " + a.alarm().severity() + " " + a.alarm().description()
                    : "clear " + a.key() + " " + a.reason());
        }
        return out;
    }

    @Test
    void theShippedRulesLoad() {
        assertThat(shipped.rules()).extracting(Rule::name).containsExactly("ups-on-battery", "ups-battery-charge-low",
                "inlet-temperature-high", "interface-in-utilisation-high", "interface-out-utilisation-high",
                "device-unreachable");
        Rule util = shipped.rules().get(3);
        assertThat(util.forDuration()).isEqualTo(Duration.ofMinutes(5));
        assertThat(util.ratio()).isEqualTo(new Rule.Ratio("ifHighSpeed", 1e6));
        assertThat(util.severity()).isEqualTo(Severity.MINOR);
    }

    @Test
    void utilisationAbove90PercentFor5MinutesRaisesAndBelow80Clears() {
        List<String> seen = new ArrayList<>();
        for (int minute = 0; minute <= 5; minute++) {
            seen.addAll(describe(poll(shipped, minute, interfaces(95))));
        }
        List<String> atFive = List.copyOf(seen);
        seen.clear();
        seen.addAll(describe(poll(shipped, 6, interfaces(85))));
        seen.addAll(describe(poll(shipped, 7, interfaces(99))));
        List<String> inBetween = List.copyOf(seen);
        List<String> cleared = describe(poll(shipped, 8, interfaces(70)));

        assertThat(atFive).containsExactly("raise interfaceInUtilisationHigh/" + DEVICE_ID + "/ifIndex=1 MINOR dev-1: "
                + "interface Gi0/1 receives at 95 % of its speed (above 90 % for 5 min)");
        assertThat(inBetween).isEmpty();
        assertThat(cleared).containsExactly("clear interfaceInUtilisationHigh/" + DEVICE_ID + "/ifIndex=1 back to 70 "
                + "(rule interface-in-utilisation-high)");
    }

    @Test
    void aDipBelowTheThresholdRestartsTheForPeriod() {
        List<String> seen = new ArrayList<>();
        for (int minute = 0; minute <= 4; minute++) {
            seen.addAll(describe(poll(shipped, minute, interfaces(95))));
        }
        seen.addAll(describe(poll(shipped, 5, interfaces(89))));
        for (int minute = 6; minute <= 10; minute++) {
            seen.addAll(describe(poll(shipped, minute, interfaces(95))));
        }
        assertThat(seen).isEmpty();
        assertThat(describe(poll(shipped, 11, interfaces(95)))).hasSize(1);
    }

    @Test
    void batteryChargeUsesHysteresisAndUpsOnBatteryTheStateSetSample() {
        List<String> low = describe(poll(shipped, 0, sample("upsEstimatedChargeRemaining", 45),
                sample("upsOutputSource", 0, "upsOutputSource", "normal"),
                sample("upsOutputSource", 1, "upsOutputSource", "battery")));
        List<String> stillLow = describe(poll(shipped, 1, sample("upsEstimatedChargeRemaining", 52),
                sample("upsOutputSource", 1, "upsOutputSource", "battery")));
        List<String> back = describe(poll(shipped, 2, sample("upsEstimatedChargeRemaining", 56),
                sample("upsOutputSource", 1, "upsOutputSource", "normal"),
                sample("upsOutputSource", 0, "upsOutputSource", "battery")));
        List<String> notLowYet = describe(poll(shipped, 3, sample("upsEstimatedChargeRemaining", 50)));
        List<String> lowAgain = describe(poll(shipped, 4, sample("upsEstimatedChargeRemaining", 49.5)));

        assertThat(low).containsExactly(
                "raise upsBatteryChargeLow/" + DEVICE_ID + " MAJOR dev-1: UPS battery charge 45 % (below 50 %)",
                "raise upsOnBattery/" + DEVICE_ID + " CRITICAL dev-1: UPS on battery (upsOutputSource battery)");
        assertThat(stillLow).isEmpty();
        assertThat(back).containsExactly("clear upsBatteryChargeLow/" + DEVICE_ID + " back to 56 (rule ups-battery-charge-low)",
                "clear upsOnBattery/" + DEVICE_ID + " back to 0 (rule ups-on-battery)");
        assertThat(notLowYet).isEmpty();
        assertThat(lowAgain).singleElement().asString().contains("charge 49.5 %");
    }

    @Test
    void aDeviceIsUnreachableAfterThreeFailedPollsAndReachableAtTheFirstAnswer() {
        MetricSample down = sample("verbund_device_up", 0);
        List<String> seen = new ArrayList<>();
        seen.addAll(describe(poll(shipped, 0, down)));
        seen.addAll(describe(poll(shipped, 1, down)));
        seen.addAll(describe(poll(shipped, 2, sample("verbund_device_up", 1))));
        seen.addAll(describe(poll(shipped, 3, down)));
        seen.addAll(describe(poll(shipped, 4, down)));
        List<String> beforeThird = List.copyOf(seen);
        List<String> third = describe(poll(shipped, 5, down));
        List<String> answered = describe(poll(shipped, 6, sample("verbund_device_up", 1)));

        assertThat(beforeThird).isEmpty();
        assertThat(third).containsExactly("raise deviceUnreachable/" + DEVICE_ID
                + " MAJOR dev-1 could not be polled (3 polls in a row; its status says why)");
        assertThat(answered).containsExactly("clear deviceUnreachable/" + DEVICE_ID + " back to 1 (rule device-unreachable)");
    }

    @Test
    void inletTemperatureLooksOnlyAtSensorsWhoseDescriptionSaysInletAndAPollWithoutTheSampleChangesNothing() {
        MetricSample[] hot = {
            sample("verbund_sensor_temperature_celsius", 35.9, "entPhysicalIndex", "100006004", "entPhysicalName", "",
                    "entPhysicalDescr", "Front-panel temp sensor"),
            sample("verbund_sensor_temperature_celsius", 41.8, "entPhysicalIndex", "100006001", "entPhysicalName", "",
                    "entPhysicalDescr", "Cpu temp sensor")};
        List<String> first = describe(poll(shipped, 0, hot));
        List<String> second = describe(poll(shipped, 1, hot));
        List<String> unreachable = describe(poll(shipped, 2, sample("verbund_device_up", 0)));
        List<String> stillHot = describe(poll(shipped, 3, hot));

        assertThat(first).isEmpty();
        assertThat(second).containsExactly("raise inletTemperatureHigh/" + DEVICE_ID + "/entPhysicalIndex=100006004 MINOR "
                + "dev-1: inlet temperature 35.9 °C at Front-panel temp sensor (above 27 °C)");
        assertThat(unreachable).isEmpty();
        assertThat(stillHot).isEmpty();
    }

    @Test
    void anInstanceFirstSeenWithAnOpenAlarmStartsFiringSoItClearsAndIsNotRaisedTwice() {
        RuleEngine e = new RuleEngine(new RuleLoader().load(SHIPPED));
        e.openKeys(Set.of("upsBatteryChargeLow/" + DEVICE_ID, "upsOnBattery/" + DEVICE_ID));

        List<String> stillOnBattery = describe(poll(e, 0, sample("upsOutputSource", 1, "upsOutputSource", "battery")));
        List<String> chargedMeanwhile = describe(poll(e, 0, sample("upsEstimatedChargeRemaining", 100)));

        assertThat(stillOnBattery).isEmpty();
        assertThat(chargedMeanwhile).containsExactly("clear upsBatteryChargeLow/" + DEVICE_ID
                + " back to 100 (rule ups-battery-charge-low)");
    }

    @Test
    void anActionTheStoreDidNotTakeIsTriedAgainAtTheNextPoll() {
        List<RuleEngine.Action> raise = poll(shipped, 0, sample("upsEstimatedChargeRemaining", 30));
        shipped.failed(raise.get(0));
        List<RuleEngine.Action> again = poll(shipped, 1, sample("upsEstimatedChargeRemaining", 31));
        List<RuleEngine.Action> clear = poll(shipped, 2, sample("upsEstimatedChargeRemaining", 90));
        shipped.failed(clear.get(0));
        List<RuleEngine.Action> clearAgain = poll(shipped, 3, sample("upsEstimatedChargeRemaining", 90));

        assertThat(again).singleElement().satisfies(a -> assertThat(a.raise()).isTrue());
        assertThat(clearAgain).singleElement().satisfies(a -> assertThat(a.raise()).isFalse());
        assertThat(shipped.forget(T0.plus(Duration.ofMinutes(3)))).isZero();
        assertThat(shipped.forget(T0.plus(Duration.ofMinutes(4)))).isEqualTo(1);
        assertThat(shipped.instances()).isZero();
    }

    @Test
    void badRuleFilesAreRefusedNamingTheRule() {
        String ok = "rules:\n- name: r1\n  metric: m\n  above: 1\n  severity: major\n  type: t\n  description: d\n";
        assertThat(rules(ok)).singleElement().satisfies(r -> assertThat(r.forPolls()).isEqualTo(1));
        assertThatThrownBy(() -> rules(ok + "  colour: red\n")).hasMessageContaining("test.yaml")
                .hasMessageContaining("colour");
        assertThatThrownBy(() -> rules(ok + "  below: 0\n")).hasMessageContaining("rule r1")
                .hasMessageContaining("exactly one of above, below");
        assertThatThrownBy(() -> rules(ok + "  clear_below: 2\n")).hasMessageContaining("clear_below goes with above");
        assertThatThrownBy(() -> rules(ok + "  clear_above: 0\n")).hasMessageContaining("clear_above goes with below");
        assertThatThrownBy(() -> rules(ok + "  ratio: {metric: ifHighSpeed}\n")).hasMessageContaining("a ratio needs instance");
        assertThatThrownBy(() -> rules(ok + "  for: 5 minutes\n")).hasMessageContaining("for must be a duration like 5m");
        assertThatThrownBy(() -> rules(ok + "  match_regex: {x: '('}\n")).hasMessageContaining("match_regex of x");
        assertThatThrownBy(() -> rules(ok.replace("major", "severe"))).hasMessageContaining("unknown severity 'severe'");
        assertThatThrownBy(() -> rules(ok.replace("type: t", "type: Bad-Type"))).hasMessageContaining("camelCase");
        assertThatThrownBy(() -> rules(ok + ok.substring("rules:\n".length()))).hasMessageContaining("a second rule");
        assertThat(RuleLoader.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(RuleLoader.duration("250ms")).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void placeholdersWithoutValueStayAsWritten() {
        Rule r = rules("rules:\n- name: r1\n  metric: m\n  not_equals: 1\n  severity: warning\n  type: t\n"
                + "  description: '{device} {label} {nope} {value}/{threshold} {metric} {rule}'\n").get(0);
        RuleEngine e = new RuleEngine(List.of(r));

        assertThat(describe(poll(e, 0, sample("m", 2, "label", "x")))).containsExactly(
                "raise t/" + DEVICE_ID + "/label=x WARNING dev-1 x {nope} 2/1 m r1");
    }
}

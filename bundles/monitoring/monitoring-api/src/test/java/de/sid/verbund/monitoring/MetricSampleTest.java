package de.sid.verbund.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricSampleTest {

    static Map<String, String> row() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("ifIndex", "3");
        m.put("ifName", "Gi1/0/3");
        m.put("device", "sw-1");
        m.put("site", "dc1");
        return m;
    }

    @Test
    void fixedLabelsAreAnOrderedUnmodifiableMapEqualToTheOriginal() {
        Map<String, String> original = row();
        Map<String, String> fixed = MetricSample.fixedLabels(original);

        assertThat(fixed).isEqualTo(original).hasSameHashCodeAs(original);
        assertThat(original).isEqualTo(fixed);
        assertThat(fixed.keySet()).containsExactly("ifIndex", "ifName", "device", "site");
        assertThat(fixed.get("ifName")).isEqualTo("Gi1/0/3");
        assertThat(fixed.get("ifAlias")).isNull();
        assertThat(fixed.containsKey("site")).isTrue();
        assertThatThrownBy(() -> fixed.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> fixed.entrySet().iterator().next().setValue("y"))
                .isInstanceOf(UnsupportedOperationException.class);
        original.put("ifName", "changed");
        assertThat(fixed.get("ifName")).isEqualTo("Gi1/0/3");
    }

    @Test
    void samplesShareFixedLabelsAndCopyOthers() {
        Map<String, String> fixed = MetricSample.fixedLabels(row());
        MetricSample in = new MetricSample("ifHCInOctets", MetricSample.Kind.COUNTER, "", fixed, 1);
        MetricSample out = new MetricSample("ifHCOutOctets", MetricSample.Kind.COUNTER, "", fixed, 2);
        assertThat(in.labels()).isSameAs(fixed).isSameAs(out.labels());
        assertThat(MetricSample.fixedLabels(fixed)).isSameAs(fixed);

        Map<String, String> plain = row();
        MetricSample copied = new MetricSample("ifSpeed", MetricSample.Kind.GAUGE, "", plain, 1e9);
        plain.put("site", "elsewhere");
        assertThat(copied.label("site")).isEqualTo("dc1");
        assertThat(copied).isEqualTo(new MetricSample("ifSpeed", MetricSample.Kind.GAUGE, "", row(), 1e9));
        assertThat(List.copyOf(copied.labels().values())).containsExactly("3", "Gi1/0/3", "sw-1", "dc1");
    }
}

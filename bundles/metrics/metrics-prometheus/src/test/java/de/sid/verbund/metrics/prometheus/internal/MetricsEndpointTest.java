package de.sid.verbund.metrics.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {
    private static String scrape(MetricsEndpoint e) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, e.registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void exposesBuildInfoAndJvmMetrics() throws Exception {
        String text = scrape(new MetricsEndpoint());
        assertThat(text).contains("# TYPE verbund_build_info gauge").containsPattern("verbund_build_info\\{java_version=\"[^\"]+\",version=\"[^\"]+\"} 1");
        assertThat(text).contains("jvm_memory_used_bytes{area=\"heap\"}").contains("jvm_threads_current");
    }

    @Test
    void areaCollectorsComeAndGo() throws Exception {
        MetricsEndpoint e = new MetricsEndpoint();
        Counter c = Counter.builder().name("verbund_test_events_total").help("test").build();
        c.inc(3);
        e.addCollector(c);
        assertThat(scrape(e)).contains("verbund_test_events_total 3.0");
        e.removeCollector(c);
        assertThat(scrape(e)).doesNotContain("verbund_test_events_total");
    }
}

package de.sid.verbund.monitoring.smi;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The case end to end: ifAlias bytes in Latin-1 and an ifPhysAddress, rendered and
 * exposed through the real Prometheus text writer, and the exposition parsed by Prometheus'
 * own parser ({@code promtool check metrics}, Debian package {@code prometheus}).
 */
class OctetStringsExpositionTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @Test
    void latin1AliasAndMacKeepTheExpositionValid() throws Exception {
        byte[] alias = HexFormat.of().parseHex("4DFC6E6368656E");
        byte[] mac = HexFormat.of().parseHex("FA163EEE858C");
        byte[] nasty = "Uplink\n# HELP fake\r\"quoted\" \\ \u0000end".getBytes(StandardCharsets.ISO_8859_1);

        PrometheusRegistry registry = new PrometheusRegistry();
        Gauge status = Gauge.builder().name("ifOperStatus").help("The current operational state of the interface (IF-MIB).")
                .labelNames("device", "ifIndex", "ifAlias", "ifPhysAddress").register(registry);
        status.labelValues("sw-1", "1", OctetStrings.render(alias, TextualConvention.DISPLAY_STRING),
                OctetStrings.render(mac, TextualConvention.PHYS_ADDRESS)).set(1);
        status.labelValues("sw-1", "2", OctetStrings.render(nasty, TextualConvention.DISPLAY_STRING),
                OctetStrings.render(new byte[0], TextualConvention.PHYS_ADDRESS)).set(2);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        byte[] exposition = out.toByteArray();
        String text = new String(exposition, StandardCharsets.UTF_8);

        assertThat(text).contains("ifOperStatus{device=\"sw-1\",ifAlias=\"München\",ifIndex=\"1\",ifPhysAddress=\"fa:16:3e:ee:85:8c\"} 1.0");
        // one HELP, one TYPE, two samples: the device's line break did not make a line of its own
        assertThat(text.lines()).hasSize(4);
        assertThat(text).contains("ifAlias=\"Uplink\\\\x0a# HELP fake\\\\x0d\\\"quoted\\\" \\\\ \\\\x00end\"");

        PromtoolResult check = promtool(exposition);
        // exit 1 is a parse error; exit 3 is lint only (snmp_exporter's camelCase names)
        assertThat(check.exitCode()).as(check.output()).isIn(0, 3);
        assertThat(check.output()).doesNotContain("error while linting").doesNotContain("parsing error");
    }

    @Test
    void promtoolRejectsRawLatin1SoTheCheckAbovePullsItsWeight() throws Exception {
        byte[] broken = ("# HELP ifOperStatus x\n# TYPE ifOperStatus gauge\nifOperStatus{ifAlias=\"M\u00fcnchen\"} 1\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        PromtoolResult check = promtool(broken);
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.output()).contains("invalid label value");
    }

    record PromtoolResult(int exitCode, String output) {
    }

    private static PromtoolResult promtool(byte[] exposition) throws IOException, InterruptedException {
        assertThat(Files.isExecutable(PROMTOOL)).as("promtool is missing: apt-get install prometheus (./verbund test installs it)").isTrue();
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(exposition);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("promtool finished").isTrue();
        return new PromtoolResult(p.exitValue(), output);
    }
}

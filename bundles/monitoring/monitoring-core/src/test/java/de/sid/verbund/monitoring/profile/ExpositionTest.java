package de.sid.verbund.monitoring.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded device, mapped with all profiles that match it and written as text, passes
 * Prometheus' own parser ({@code promtool check metrics}, Debian package {@code prometheus}).
 */
class ExpositionTest {
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @BeforeAll
    static void load() {
        RecordedDevicesTest.load();
    }

    static Stream<String> recordings() throws IOException {
        try (Stream<Path> s = Files.list(Snmprec.DIR)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snmprec")).sorted().toList().stream();
        }
    }

    @Test
    void allRecordingsAreThere() throws IOException {
        assertThat(recordings()).hasSize(25);
    }

    @ParameterizedTest
    @MethodSource("recordings")
    void exposedSamplesPassPromtool(String file) throws Exception {
        Snmprec rec = Snmprec.read(file);
        ProfileMapper mapper = new ProfileMapper();
        ProfileMapper.Result first = RecordedDevicesTest.map(mapper, file.replace(".snmprec", ""), rec, RecordedDevicesTest.T0);
        // a second poll 60 s later with the same values: rates (0) appear for every counter with a rate
        Snmprec later = rec.with(e -> e.getKey().equals(de.sid.verbund.monitoring.PollRequest.SYS_UP_TIME)
                && e.getValue() instanceof de.sid.verbund.monitoring.smi.SnmpValue.TimeTicks t
                ? Map.entry(e.getKey(), new de.sid.verbund.monitoring.smi.SnmpValue.TimeTicks(t.value() + 6000)) : e);
        ProfileMapper.Result second = RecordedDevicesTest.map(mapper, file.replace(".snmprec", ""), later,
                RecordedDevicesTest.T0.plusSeconds(60));
        assertThat(first.samples()).as("samples of " + file).isNotEmpty();
        assertThat(first.problems()).as("problems of " + file).isEmpty();
        assertThat(second.samples().size()).isGreaterThanOrEqualTo(first.samples().size());
        String text = PrometheusText.write(second.samples());
        if (rec.get("1.3.6.1.2.1.1.3.0") != null) {
            assertThat(text).contains("sysUpTime{device=");
        } else {
            // iosxe_isr4321 and nxos were recorded without sysUpTime: no sample, not 0
            assertThat(text).doesNotContain("sysUpTime{");
        }
        List<String> series = text.lines().filter(l -> !l.startsWith("#")).map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
        assertThat(series).doesNotHaveDuplicates();

        int exit;
        String output;
        assertThat(Files.isExecutable(PROMTOOL)).as("promtool is missing: apt-get install prometheus").isTrue();
        Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
        try (var stdin = p.getOutputStream()) {
            stdin.write(text.getBytes(StandardCharsets.UTF_8));
        }
        output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        exit = p.exitValue();
        // exit 1 is a parse error; exit 3 is lint only (snmp_exporter's camelCase names, counters without _total)
        assertThat(exit).as(file + ": " + output).isIn(0, 3);
        assertThat(output).doesNotContain("error while linting").doesNotContain("parsing error");
    }
}

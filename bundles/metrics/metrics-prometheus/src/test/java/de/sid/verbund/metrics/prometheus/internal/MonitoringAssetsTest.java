package de.sid.verbund.metrics.prometheus.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Prometheus and Grafana assets in {@code monitoring/} against what Verbund exposes: every
 * metric a dashboard panel, a dashboard variable or an alert rule queries is one Verbund defines
 * (a profile's metric in {@code monitoring/profiles}, or a {@code verbund_*} name in the bundles'
 * code, with the suffixes the exposition adds: {@code _total}, {@code _bucket}, {@code _sum},
 * {@code _count}, {@code _info}), or Prometheus' own {@code up}. The dashboards parse, have unique
 * uids, and name the datasource of the provisioning file. Every alert rule has a promtool test in
 * which it fires and one in which it stays quiet.
 */
class MonitoringAssetsTest {
    private static final Path ROOT = Path.of("../../..").toAbsolutePath().normalize();
    private static final Path MONITORING = ROOT.resolve("monitoring");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VERBUND_NAME = Pattern.compile("\"(verbund_[a-z0-9_]+)\"");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][\\w:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final List<String> SUFFIXES = List.of("_total", "_bucket", "_sum", "_count", "_info");

    private static Set<String> defined;
    private static String datasourceUid;

    @BeforeAll
    static void definedNames() throws IOException {
        defined = new HashSet<>(Set.of("up"));
        try (Stream<Path> profiles = Files.list(MONITORING.resolve("profiles"))) {
            for (Path p : profiles.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                YAML.readTree(p.toFile()).path("metrics").forEach(m -> defined.add(m.path("name").asText()));
            }
        }
        try (Stream<Path> sources = Files.walk(ROOT.resolve("bundles"))) {
            for (Path p : sources.filter(f -> f.toString().endsWith(".java") && f.toString().contains("/src/main/")).toList()) {
                Matcher m = VERBUND_NAME.matcher(Files.readString(p));
                while (m.find()) {
                    defined.add(m.group(1));
                }
            }
        }
        assertThat(defined).contains("ifHCInOctets", "upsEstimatedChargeRemaining", "verbund_device_up",
                "verbund_billing_budget_limit_eur");
        datasourceUid = YAML.readTree(MONITORING.resolve("grafana/provisioning/datasources/verbund.yml").toFile())
                .path("datasources").get(0).path("uid").asText();
        assertThat(datasourceUid).isNotBlank();
    }

    private static boolean isDefined(String name) {
        if (defined.contains(name)) {
            return true;
        }
        return SUFFIXES.stream().anyMatch(s -> name.endsWith(s) && defined.contains(name.substring(0, name.length() - s.length())));
    }

    /** @return the metric names a PromQL expression selects (no functions, keywords, labels or numbers) */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")      // string literals
                .replaceAll("\\{[^}]*}", "")                               // label matchers
                .replaceAll("\\[[^]]*]", "")                               // range selectors
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String id = m.group();
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean call = next < s.length() && s.charAt(next) == '(';
            if (!call && !KEYWORDS.contains(id.toLowerCase(java.util.Locale.ROOT))) {
                names.add(id);
            }
        }
        return names;
    }

    @Test
    void theExpressionParserFindsMetricsOnly() {
        assertThat(metricNames("histogram_quantile(0.95, sum by (operation, le) (rate(verbund_compute_operation_duration_seconds_bucket[5m])))"))
                .containsExactly("verbund_compute_operation_duration_seconds_bucket");
        assertThat(metricNames("8 * a{x=~\"$site\"} / on (instance, device) group_left () (1e6 * b > 0) or vector(0)"))
                .containsExactly("a", "b");
    }

    private static List<Path> dashboards() throws IOException {
        try (Stream<Path> s = Files.list(MONITORING.resolve("grafana/dashboards"))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static void panels(JsonNode list, List<JsonNode> out) {
        for (JsonNode p : list) {
            out.add(p);
            panels(p.path("panels"), out);
        }
    }

    @Test
    void dashboardsParseUseTheProvisionedDatasourceAndOnlyMetricsVerbundDefines() throws IOException {
        List<Path> files = dashboards();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("interfaces.json", "power.json", "climate.json", "hosts-vms.json", "billing.json");
        Set<String> uids = new HashSet<>();
        List<String> problems = new ArrayList<>();
        int queries = 0;
        for (Path f : files) {
            JsonNode d = JSON.readTree(f.toFile());
            String name = f.getFileName().toString();
            assertThat(uids.add(d.path("uid").asText())).as("uid of %s unique", name).isTrue();
            assertThat(d.path("title").asText()).as("title of %s", name).isNotBlank();
            List<JsonNode> all = new ArrayList<>();
            panels(d.path("panels"), all);
            for (JsonNode p : all) {
                if (p.path("type").asText().equals("row")) {
                    continue;
                }
                String where = name + " panel \"" + p.path("title").asText() + "\"";
                if (!datasourceUid.equals(p.path("datasource").path("uid").asText())) {
                    problems.add(where + ": datasource " + p.path("datasource"));
                }
                if (p.path("targets").isEmpty()) {
                    problems.add(where + ": no query");
                }
                for (JsonNode t : p.path("targets")) {
                    queries++;
                    if (!datasourceUid.equals(t.path("datasource").path("uid").asText())) {
                        problems.add(where + " query " + t.path("refId").asText() + ": datasource " + t.path("datasource"));
                    }
                    check(where, t.path("expr").asText(), problems);
                }
            }
            for (JsonNode v : d.path("templating").path("list")) {
                String where = name + " variable " + v.path("name").asText();
                if (!datasourceUid.equals(v.path("datasource").path("uid").asText())) {
                    problems.add(where + ": datasource " + v.path("datasource"));
                }
                String q = v.path("query").path("query").asText();
                Matcher lv = Pattern.compile("label_values\\((.*),\\s*\\w+\\)").matcher(q);
                check(where, lv.matches() ? lv.group(1) : q, problems);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(queries).isGreaterThan(40);
    }

    private static void check(String where, String expr, List<String> problems) {
        Set<String> names = metricNames(expr);
        if (names.isEmpty()) {
            problems.add(where + ": no metric in " + expr);
        }
        for (String n : names) {
            if (!isDefined(n)) {
                problems.add(where + ": " + n + " is not a metric Verbund defines (" + expr + ")");
            }
        }
    }

    @Test
    void alertRulesQueryDefinedMetricsAndEachHasAFiringAndAQuietTest() throws IOException {
        JsonNode rules = YAML.readTree(MONITORING.resolve("prometheus/alerts.yml").toFile());
        JsonNode tests = YAML.readTree(MONITORING.resolve("prometheus/alerts.test.yml").toFile());
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode t : tests.path("tests")) {
            for (JsonNode a : t.path("alert_rule_test")) {
                (a.path("exp_alerts").isEmpty() ? quiet : fires).add(a.path("alertname").asText());
            }
        }
        List<String> problems = new ArrayList<>();
        Set<String> alerts = new TreeSet<>();
        for (JsonNode g : rules.path("groups")) {
            for (JsonNode r : g.path("rules")) {
                String alert = r.path("alert").asText();
                alerts.add(alert);
                check(alert, r.path("expr").asText(), problems);
                if (!fires.contains(alert)) {
                    problems.add(alert + ": no test in which it fires");
                }
                if (!quiet.contains(alert)) {
                    problems.add(alert + ": no test in which it stays quiet");
                }
                if (r.path("labels").path("severity").asText().isEmpty()) {
                    problems.add(alert + ": no severity");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(alerts).contains("DeviceDown", "UpsOnBattery", "UpsBatteryLow", "TemperatureHigh", "InterfaceSaturated",
                "HostDown", "PollerBehind", "BudgetExceeded");
    }

    @Test
    void theScrapeConfigurationLoadsTheRulesAndScrapesMetrics() throws IOException {
        JsonNode config = YAML.readTree(MONITORING.resolve("prometheus.yml").toFile());
        List<String> ruleFiles = new ArrayList<>();
        config.path("rule_files").forEach(r -> ruleFiles.add(r.asText()));
        assertThat(ruleFiles).containsExactly("prometheus/alerts.yml");
        JsonNode job = config.path("scrape_configs").get(0);
        assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
        assertThat(job.path("static_configs").get(0).path("targets")).isNotEmpty();
        // a target label named like a sample's label would rename the sample's to exported_*
        assertThat(job.path("static_configs").get(0).path("labels").fieldNames()).toIterable()
                .doesNotContain("device", "site", "host", "authority");
    }
}

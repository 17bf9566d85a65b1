package de.sid.verbund.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import de.sid.verbund.monitoring.snmpsim.DataDirectory;
import de.sid.verbund.monitoring.snmpsim.ReplayAgent;
import de.sid.verbund.testsupport.Ports;
import de.sid.verbund.testsupport.SharedData;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's {@code prometheus}) scrapes a running Verbund with
 * {@code monitoring/prometheus.yml}: the distribution runs as a process ({@code bin/karaf server})
 * and polls three recorded devices served by the replay agent (registered through the devices
 * file); the test rewrites the configuration's target to the node's port and its intervals to 2 s,
 * keeps its rule file, and queries Prometheus' HTTP API.
 */
class PrometheusScrapeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** recording (community) -> kind */
    private static final Map<String, String> DEVICES = new TreeMap<>(Map.of("procurve_2520", "switch",
            "eaton-mgeups_5px", "ups", "raritan-pdu_px2-temp", "pdu"));

    private KarafProcess node;
    private ReplayAgent agent;
    private Process prometheus;

    @AfterEach
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.destroy();
            if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        if (node != null) {
            node.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void prometheusScrapesTheNodeWithTheShippedConfigurationAndFindsEveryDevice() throws Exception {
        Path prometheusBinary = Path.of("/usr/bin/prometheus");
        assertThat(prometheusBinary).as("Debian package prometheus (./verbund test installs it)").isExecutable();
        Path data = Files.createDirectories(Path.of("target", "prometheus-it-snmprec").toAbsolutePath());
        for (String recording : DEVICES.keySet()) {
            Files.copy(SharedData.data("snmprec").resolve(recording + ".snmprec"), data.resolve(recording + ".snmprec"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        agent = ReplayAgent.start(DataDirectory.load(data).tables(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);

        node = KarafProcess.unpack("prometheus");
        // billing rates the month-to-date costs (and reads the budgets) for every scrape, not every 5 minutes
        KarafProcess.set(node.home, "de.sid.verbund.billing.cfg", "month.to.date.cache.s", 0);
        StringBuilder devices = new StringBuilder("credentials:\n");
        DEVICES.keySet().forEach(r -> devices.append("- {name: ").append(r).append(", version: v2c, community: ").append(r)
                .append("}\n"));
        devices.append("devices:\n");
        DEVICES.forEach((r, kind) -> devices.append("- {name: ").append(r).append(", address: 127.0.0.1, port: ")
                .append(agent.address().getPort()).append(", site: it, kind: ").append(kind).append(", interval: 10, credential: ")
                .append(r).append("}\n"));
        Files.writeString(node.home.resolve("etc/verbund-devices.yaml"), devices);
        node.start();
        await().atMost(180, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().until(() -> {
            String metrics = scrape();
            return DEVICES.keySet().stream().allMatch(d -> metrics.contains("verbund_device_up{device=\"" + d + "\",site=\"it\"} 1.0"));
        });

        Path monitoring = Path.of(System.getProperty("verbund.monitoring", "../monitoring")).toAbsolutePath().normalize();
        ObjectNode config = (ObjectNode) YAML.readTree(monitoring.resolve("prometheus.yml").toFile());
        ObjectNode global = (ObjectNode) config.path("global");
        global.put("scrape_interval", "2s").put("evaluation_interval", "2s");
        List<String> ruleFiles = new ArrayList<>();
        config.path("rule_files").forEach(r -> ruleFiles.add(monitoring.resolve(r.asText()).toString()));
        config.putArray("rule_files").addAll(ruleFiles.stream().map(JSON.getNodeFactory()::textNode).toList());
        ObjectNode job = (ObjectNode) config.path("scrape_configs").get(0);
        assertThat(job.path("metrics_path").asText()).isEqualTo("/metrics");
        ((ObjectNode) job.path("static_configs").get(0)).putArray("targets").add("127.0.0.1:" + node.httpPort);
        Path work = Files.createDirectories(node.home.resolve("prometheus"));
        Path configFile = work.resolve("prometheus.yml");
        YAML.writeValue(configFile.toFile(), config);
        int port = Ports.freeTcpPort();
        File log = work.resolve("prometheus.log").toFile();
        prometheus = new ProcessBuilder(prometheusBinary.toString(), "--config.file=" + configFile,
                "--storage.tsdb.path=" + work.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log).start();
        String api = "http://127.0.0.1:" + port + "/api/v1/";

        JsonNode up = await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> query(api, "verbund_device_up"), r -> r.size() == DEVICES.size());
        List<String> names = new ArrayList<>();
        for (JsonNode series : up) {
            names.add(series.path("metric").path("device").asText());
            assertThat(series.path("metric").path("job").asText()).isEqualTo("verbund");
            assertThat(series.path("metric").path("site").asText()).as("the sample's own site label, not renamed").isEqualTo("it");
            assertThat(series.path("value").get(1).asText()).isEqualTo("1");
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(DEVICES.keySet());
        assertThat(query(api, "up{job=\"verbund\"}").get(0).path("value").get(1).asText()).isEqualTo("1");

        // the metrics the rules and dashboards rely on are there, with the device's kind
        JsonNode kinds = query(api, "verbund_device_info");
        assertThat(kinds).hasSize(DEVICES.size());
        kinds.forEach(k -> assertThat(k.path("metric").path("kind").asText())
                .isEqualTo(DEVICES.get(k.path("metric").path("device").asText())));
        assertThat(query(api, "upsEstimatedChargeRemaining")).singleElement()
                .satisfies(s -> assertThat(s.path("metric").path("device").asText()).isEqualTo("eaton-mgeups_5px"));
        assertThat(query(api, "time() - verbund_device_last_poll_timestamp_seconds < 3 * verbund_device_poll_interval_seconds"))
                .hasSize(DEVICES.size());
        assertThat(query(api, "verbund_billing_budget_limit_eur")).as("the demo authorities' budgets").isNotEmpty();

        // the shipped rules are loaded and evaluate without errors against the real data
        JsonNode rules = await().atMost(30, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                .until(() -> get(api + "rules").path("data").path("groups"), g -> g.size() > 0
                        && g.findValues("lastEvaluation").stream().noneMatch(t -> t.asText().startsWith("0001")));
        List<String> alerts = new ArrayList<>();
        for (JsonNode r : rules.findValues("rules").stream().flatMap(a -> toList(a).stream()).toList()) {
            alerts.add(r.path("name").asText());
            assertThat(r.path("health").asText()).as(r.path("name").asText() + ": " + r.path("lastError").asText()).isEqualTo("ok");
        }
        assertThat(alerts).contains("DeviceDown", "UpsOnBattery", "UpsBatteryLow", "TemperatureHigh", "InterfaceSaturated",
                "HostDown", "PollerBehind", "BudgetExceeded");
        // nothing is wrong with the replayed devices: no device down, no UPS on battery
        assertThat(query(api, "ALERTS{alertname=~\"DeviceDown|UpsOnBattery|UpsBatteryLow|PollerBehind\"}")).isEmpty();
    }

    private static List<JsonNode> toList(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private String scrape() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** @return the result vector of an instant query */
    private static JsonNode query(String api, String promql) throws IOException, InterruptedException {
        JsonNode r = get(api + "query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        assertThat(r.path("status").asText()).as(r.toString()).isEqualTo("success");
        return r.path("data").path("result");
    }

    private static JsonNode get(String url) throws IOException, InterruptedException {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}

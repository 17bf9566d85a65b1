package de.sid.verbund.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/** What the REST load drivers share: an API token, test-driver hosts, requests and percentiles. */
final class LoadSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String url;
    final String auth;

    /** Creates an API token for admin/admin (HTTP Basic would pay a bcrypt check on every request). */
    LoadSupport(String url) throws Exception {
        this.url = url;
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> token = http.send(post("/api/users/me/tokens", basic,
                "{\"name\":\"load\",\"validDays\":1,\"password\":\"admin\"}"), HttpResponse.BodyHandlers.ofString());
        if (token.statusCode() != 201) {
            throw new IllegalStateException("token: " + token.statusCode() + " " + token.body());
        }
        this.auth = "Bearer " + JSON.readTree(token.body()).path("secret").asText();
    }

    /**
     * Registers {@code n} fresh test-driver hosts named {@code load-<run>-<i>} (site {@code load},
     * no reserve) and waits until they are ENABLED.
     *
     * @return the node files, in host order
     */
    List<Path> registerHosts(String run, int n) throws Exception {
        Path dir = Files.createTempDirectory("verbund-load");
        List<Path> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path node = dir.resolve("load-" + i + ".xml");
            Files.writeString(node, nodeXml());
            nodes.add(node);
            String body = "{\"name\":\"load-" + run + "-" + i + "\",\"uri\":\"test://" + node.toAbsolutePath()
                    + "\",\"site\":\"load\",\"cpuOvercommit\":8,\"ramOvercommit\":1,\"ramReserveMib\":0}";
            HttpResponse<String> r = http.send(post("/api/hosts", auth, body), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201) {
                throw new IllegalStateException("host registration: " + r.statusCode() + " " + r.body());
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(60 + n / 2).toNanos();
        while (enabled(run) < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("hosts did not become ENABLED in time");
            }
            Thread.sleep(200);
        }
        return nodes;
    }

    private int enabled(String run) throws Exception {
        HttpResponse<String> r = http.send(get("/api/hosts"), HttpResponse.BodyHandlers.ofString());
        int n = 0;
        for (JsonNode h : JSON.readTree(r.body())) {
            n += h.path("name").asText().startsWith("load-" + run) && "ENABLED".equals(h.path("state").asText()) ? 1 : 0;
        }
        return n;
    }

    HttpRequest post(String path, String authorization, String body) {
        return HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", authorization)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", auth).timeout(Duration.ofSeconds(60))
                .GET().build();
    }

    /** @return the p-th percentile of the durations, ms (nearest rank) */
    static double pct(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    /**
     * A test-driver host: 64 cores, 512 GiB, a pool and a network. (The test driver caps a pool
     * at 100 GiB whatever the file says: 100 VMs of 1 GiB per host.)
     */
    static String nodeXml() {
        return "<node><cpu><mhz>2400</mhz><model>load</model><active>64</active><nodes>1</nodes><sockets>2</sockets>"
                + "<cores>32</cores><threads>1</threads></cpu><memory>536870912</memory>"
                + "<network><name>default</name><bridge name='virbr0'/><forward mode='nat'/>"
                + "<ip address='192.168.122.1' netmask='255.255.255.0'/></network>"
                + "<pool type='dir'><name>default-pool</name><capacity>107374182400</capacity>"
                + "<allocation>0</allocation><available>107374182400</available>"
                + "<target><path>/var/lib/libvirt/images</path></target></pool></node>";
    }
}

package de.sid.verbund.itests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The distribution as an operator runs it: {@code bin/karaf server} from the unpacked tar.gz.
 * Data written before a stop (Ctrl-C / SIGTERM, or {@code bin/stop}) is there after a start.
 */
class DistributionRestartIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8));

    private KarafProcess node;
    private Path home;
    private Process karaf;
    private int httpPort;

    @AfterEach
    void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    private ProcessHandle karafJvm() {
        return node.jvm();
    }

    @Test
    void dataSurvivesStopAndStart() throws Exception {
        home = unpack();
        long t0 = System.nanoTime();
        start();
        JsonNode health = awaitHealthy();
        System.out.printf("first boot to healthy: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(health.path("components").path("database").path("status").asText()).isEqualTo("UP");

        String name = "keep-" + UUID.randomUUID().toString().substring(0, 8);
        HttpResponse<String> created = post("/api/users",
                "{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\",\"roles\":[\"monitoring\"]}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

        // Ctrl-C in the foreground signals the JVM; it shuts down the same way on SIGTERM
        ProcessHandle jvm = karafJvm();
        jvm.destroy();
        assertThat(jvm.onExit().get(60, TimeUnit.SECONDS).isAlive()).as("karaf stopped on SIGTERM").isFalse();
        assertThat(karaf.waitFor(30, TimeUnit.SECONDS)).isTrue();

        t0 = System.nanoTime();
        start();
        awaitHealthy();
        System.out.printf("restart to healthy: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        assertThat(get("/api/users?limit=500").path("items").findValuesAsText("username")).contains(name);
        assertThat(get("/api/audit?limit=500").path("items").findValuesAsText("action")).contains("POST /api/users");
        assertThat(home.resolve("data/verbund/verbund.mv.db")).exists();
        assertThat(home.resolve("data/artemis")).isDirectory();

        Process stop = new ProcessBuilder(home.resolve("bin/stop").toString()).directory(home.toFile()).inheritIO().start();
        assertThat(stop.waitFor(60, TimeUnit.SECONDS)).isTrue();
        ProcessHandle jvm2 = karafJvm();
        assertThat(jvm2.onExit().get(60, TimeUnit.SECONDS).isAlive()).as("karaf stopped by bin/stop").isFalse();
    }

    private Path unpack() throws IOException, InterruptedException {
        node = KarafProcess.unpack("restart");
        httpPort = node.httpPort;
        return node.home;
    }

    private void start() throws IOException {
        karaf = node.start();
    }

    private JsonNode awaitHealthy() {
        JsonNode[] last = new JsonNode[1];
        await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            last[0] = get("/api/health");
            // UP with the component details: the admin's credentials were checked
            return "UP".equals(last[0].path("status").asText()) && last[0].path("components").has("database");
        });
        return last[0];
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", ADMIN).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    private HttpResponse<String> post(String path, String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                .header("Authorization", ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}

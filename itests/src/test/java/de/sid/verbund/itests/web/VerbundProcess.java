package de.sid.verbund.itests.web;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.itests.KarafProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The Verbund distribution as an operator runs it ({@code bin/karaf server} from the unpacked
 * tar.gz, random free ports, the demo users, tenants, catalogue and test-driver hosts), started
 * once per test JVM and shared by the browser tests; stopped when the JVM exits. Also a small
 * REST client for test set-up with HTTP Basic.
 */
public final class VerbundProcess implements org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static VerbundProcess shared;

    private final HttpClient http = HttpClient.newHttpClient();
    private final KarafProcess node;
    private final Path home;
    private final int port;

    private VerbundProcess(KarafProcess node) {
        this.node = node;
        this.home = node.home;
        this.port = node.httpPort;
    }

    private VerbundProcess(int port) {
        this.node = null;
        this.home = null;
        this.port = port;
    }

    /**
     * The running Verbund of this JVM, started (and waited for: health UP, demo data there) on
     * first use; with {@code -Dverbund.web.url=http://host:port} an already running one (e.g.
     * {@code ./verbund run}) instead, for working on the pages.
     */
    public static synchronized VerbundProcess shared() {
        String url = System.getProperty("verbund.web.url", "");
        if (shared == null && !url.isBlank()) {
            shared = new VerbundProcess(URI.create(url).getPort());
        }
        if (shared == null) {
            try {
                VerbundProcess p = unpack();
                p.start();
                Runtime.getRuntime().addShutdownHook(new Thread(p::stop, "verbund-stop"));
                shared = p;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * The URL of the node's embedded Artemis broker ({@code tcp://127.0.0.1:<port>}), for tests that
     * publish an event as another area would; {@code null} for a Verbund started elsewhere.
     */
    public String brokerUrl() throws IOException {
        if (home == null) {
            return null;
        }
        return configValue(home, "de.sid.verbund.messaging.cfg", "broker.url");
    }

    private static VerbundProcess unpack() throws IOException, InterruptedException {
        KarafProcess node = KarafProcess.unpack("web");
        // tests publish events as another area would, through the node's broker
        String tcpPort = configValue(node.home, "de.sid.verbund.messaging.cfg", "tcp.port");
        KarafProcess.set(node.home, "de.sid.verbund.messaging.cfg", "broker.url", "tcp://127.0.0.1:" + tcpPort);
        return new VerbundProcess(node);
    }

    private static String configValue(Path home, String file, String key) throws IOException {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(key) + "\\s*=\\s*(\\S+)\\s*$")
                .matcher(Files.readString(home.resolve("etc").resolve(file)));
        return m.find() ? m.group(1) : null;
    }

    private void start() throws IOException {
        node.start();
        long t0 = System.nanoTime();
        await().atMost(180, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            JsonNode h = get("admin", "/api/health");
            return "UP".equals(h.path("status").asText()) && h.path("components").has("database")
                    // the demo tenants, catalogue and hosts are in place
                    && get("admin", "/api/authorities?limit=500").path("items").size() >= 3
                    && get("admin", "/api/offerings").path("items").size() >= 4
                    && get("admin", "/api/hosts").findValuesAsText("state").contains("ENABLED");
        });
        System.out.printf("web tests: Verbund answering with demo data after %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    /** Stops the process (JUnit calls this when the whole test run ends). */
    @Override
    public void close() {
        stop();
    }

    private synchronized void stop() {
        if (node != null) {
            try {
                node.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private HttpRequest.Builder request(String user, String path) {
        String basic = "Basic " + Base64.getEncoder().encodeToString((user + ":" + user).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", basic)
                .timeout(Duration.ofSeconds(20));
    }

    /** GET as a demo user (password = user name); the JSON body. */
    public JsonNode get(String user, String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(request(user, path).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body());
    }

    /** A request as a demo user with a JSON body (or none); the raw response. */
    public HttpResponse<String> send(String user, String method, String path, String body)
            throws IOException, InterruptedException {
        return http.send(request(user, path).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A request without credentials but with the given headers (for cookie and CSRF checks). */
    public HttpResponse<String> sendRaw(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    public static ObjectMapper json() {
        return JSON;
    }
}

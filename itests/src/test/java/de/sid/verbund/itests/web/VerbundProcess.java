package de.sid.verbund.itests.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.testsupport.Ports;
import java.io.File;
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
import java.util.UUID;
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
    private final Path home;
    private final int port;
    private Process karaf;

    private VerbundProcess(Path home, int port) {
        this.home = home;
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
            shared = new VerbundProcess(null, URI.create(url).getPort());
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
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^broker\\.url\\s*=\\s*(\\S+)\\s*$")
                .matcher(Files.readString(home.resolve("etc").resolve("de.sid.verbund.messaging.cfg")));
        return m.find() ? m.group(1) : null;
    }

    private static VerbundProcess unpack() throws IOException, InterruptedException {
        Path dist = Path.of(System.getProperty("verbund.distribution"));
        assertThat(dist).exists();
        Path target = Path.of("target", "web-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
        Files.createDirectories(target);
        Process tar = new ProcessBuilder("tar", "-xzf", dist.toString(), "-C", target.toString(), "--strip-components=1")
                .inheritIO().start();
        assertThat(tar.waitFor()).isZero();
        int httpPort = Ports.freeTcpPort();
        set(target, "org.ops4j.pax.web.cfg", "org.osgi.service.http.port", httpPort);
        set(target, "org.apache.karaf.shell.cfg", "sshPort", Ports.freeTcpPort());
        set(target, "org.apache.karaf.management.cfg", "rmiRegistryPort", Ports.freeTcpPort());
        set(target, "org.apache.karaf.management.cfg", "rmiServerPort", Ports.freeTcpPort());
        set(target, "de.sid.verbund.cluster.cfg", "port", Ports.freeTcpPort());
        set(target, "de.sid.verbund.cluster.cfg", "cluster.name", "web-" + UUID.randomUUID());
        int broker = Ports.freeTcpPort();
        set(target, "de.sid.verbund.messaging.cfg", "tcp.port", broker);
        set(target, "de.sid.verbund.messaging.cfg", "broker.url", "tcp://127.0.0.1:" + broker);
        return new VerbundProcess(target, httpPort);
    }

    /** Replaces (or appends) {@code key = value} in an etc/ file. */
    private static void set(Path home, String file, String key, Object value) throws IOException {
        Path f = home.resolve("etc").resolve(file);
        String text = Files.readString(f);
        String line = key + " = " + value;
        String replaced = text.replaceAll("(?m)^" + java.util.regex.Pattern.quote(key) + "\\s*=.*$",
                java.util.regex.Matcher.quoteReplacement(line));
        Files.writeString(f, replaced.equals(text) && !text.contains(line) ? text + "\n" + line + "\n" : replaced);
    }

    private void start() throws IOException {
        File log = home.resolve("console.log").toFile();
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        karaf = pb.start();
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
        if (karaf != null) {
            karaf.descendants().forEach(ProcessHandle::destroyForcibly);
            karaf.destroyForcibly();
            try {
                karaf.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            karaf = null;
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

package de.sid.verbund.itests;

import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.vmOptions;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import javax.inject.Inject;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;

/**
 * Boots our own distribution (the {@code verbund} feature at boot) in a fresh Karaf with
 * random ports, and gives tests an HTTP client and a shell. Pax Exam starts its own JVM, so the
 * flags of {@code bin/setenv} are repeated here.
 */
public abstract class VerbundTestSupport {
    protected static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    protected SessionFactory sessionFactory;

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Configuration
    public Option[] config() {
        // the distribution this build made (failsafe names it), else the one installed in the local repository
        String built = System.getProperty("verbund.distribution");
        String karaf = built != null && new File(built).isFile() ? new File(built).toURI().toString()
                : maven().groupId("de.sid.verbund").artifactId("verbund").type("tar.gz").versionAsInProject().getURL();
        String http = Integer.toString(freePort());
        return new Option[] {
            karafDistributionConfiguration().frameworkUrl(karaf).name("Verbund").unpackDirectory(new File("target/exam"))
                    .useDeployFolder(false),
            configureConsole().ignoreLocalConsole().ignoreRemoteShell(),
            logLevel(LogLevel.WARN),
            editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", http),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", Integer.toString(freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", Integer.toString(freePort())),
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", Integer.toString(freePort())),
            editConfigurationFilePut("etc/de.sid.verbund.cluster.cfg", "port", Integer.toString(freePort())),
            editConfigurationFilePut("etc/de.sid.verbund.cluster.cfg", "cluster.name", "it-" + UUID.randomUUID()),
            editConfigurationFilePut("etc/de.sid.verbund.messaging.cfg", "tcp.port", "0"),
            systemProperty("verbund.it.http.port").value(http),
            // the probe waits for Pax Exam's own services in the container: 10 s by default, which a
            // busy 2-core machine booting the whole platform sometimes exceeds ("gave up waiting for service")
            systemProperty("pax.exam.service.timeout").value("60000"),
            vmOptions("-Xmx768m", "-Djdk.util.zip.disableZip64ExtraFieldValidation=true",
                    "-Dhazelcast.socket.bind.any=false", "-Dhazelcast.phone.home.enabled=false",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
                    "--add-opens=java.management/sun.management=ALL-UNNAMED",
                    "--add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED"),
            mavenBundle("org.awaitility", "awaitility").versionAsInProject(),
            mavenBundle("org.hamcrest", "hamcrest").versionAsInProject(),
        };
    }

    // --- HTTP ------------------------------------------------------------------------------------

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    protected static String base() {
        return "http://127.0.0.1:" + System.getProperty("verbund.it.http.port");
    }

    protected static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Creates a ministry (as the demo admin) for tenant users of a test: a user with an authority
     * role must belong to an existing authority.
     *
     * @return its id
     */
    protected static String newAuthority() {
        String name = "IT-Ministerium " + java.util.UUID.randomUUID().toString().substring(0, 8);
        Reply r = post("/api/authorities", basic("admin", "admin"), "{\"name\":\"" + name + "\",\"kind\":\"MINISTRY\","
                + "\"costCentre\":\"IT-1\",\"billingMode\":\"INTERNAL\"}");
        if (r.status() != 201) {
            throw new AssertionError("authority not created (" + r.status() + "): " + r.body());
        }
        return r.json().path("id").asText();
    }

    /** A response: status, headers and body. */
    protected record Reply(int status, String contentType, String wwwAuthenticate, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }

    protected static Reply get(String path, String auth) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET(), auth);
    }

    protected static Reply post(String path, String auth, String json) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), auth);
    }

    protected static Reply send(HttpRequest.Builder b, String auth) {
        if (auth != null) {
            b.header("Authorization", auth);
        }
        try {
            HttpResponse<String> r = CLIENT.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                    r.headers().firstValue("WWW-Authenticate").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // --- shell -----------------------------------------------------------------------------------

    /** Runs a shell command; @return what it printed. @throws Exception what the command threw */
    protected String executeCommand(String command) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        Session session = sessionFactory.create(System.in, ps, ps);
        try {
            session.execute(command);
        } finally {
            session.close();
        }
        ps.flush();
        return out.toString(StandardCharsets.UTF_8);
    }
}

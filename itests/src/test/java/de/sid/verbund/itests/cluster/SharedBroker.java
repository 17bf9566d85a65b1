package de.sid.verbund.itests.cluster;

import static org.awaitility.Awaitility.await;

import de.sid.verbund.testsupport.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The shared broker of a test cluster: {@code verbund-broker.jar} (module messaging-broker, path in
 * {@code -Dverbund.broker.jar}) run as a process of its own on a free loopback port, with its journal
 * and console log ({@code broker.log}) in a directory of the test. {@link #configure} points every node
 * of a {@link ClusterNodes} at it ({@code embedded = false}, {@code broker.url}), as
 * {@code ./verbund run --cluster} does, so the nodes share one queue per subscription and command
 * queue. {@link #close()} stops it with SIGTERM (SIGKILL after 30 s).
 */
public final class SharedBroker implements AutoCloseable {
    /** Client options of the nodes' connection, as the local cluster's: a dead node's messages go back within 10 s. */
    public static final String NODE_OPTIONS = "connectionTTL=10000&clientFailureCheckPeriod=2000";

    private final Path dir;
    private final int port = Ports.freeTcpPort();
    private final Process process;

    private SharedBroker(Path dir, Duration startTimeout) throws IOException {
        this.dir = Files.createDirectories(dir);
        Path jar = Path.of(System.getProperty("verbund.broker.jar", ""));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no broker jar at " + jar.toAbsolutePath()
                    + " (build it: mvn -pl bundles/messaging/messaging-broker -am package)");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        process = new ProcessBuilder(java.toString(), "-Xmx256m", "-jar", jar.toString(), "--data",
                dir.resolve("journal").toString(), "--listen", "127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile()))
                .start();
        try {
            await().atMost(startTimeout).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the broker exited with " + process.exitValue() + "; see "
                            + dir.resolve("broker.log"));
                }
                return accepts(port);
            });
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Starts a broker with its journal under {@code dir}; returns once it accepts connections.
     *
     * @throws IllegalStateException when the jar is missing or the broker exits or does not listen in time
     */
    public static SharedBroker start(Path dir, Duration startTimeout) throws IOException {
        return new SharedBroker(dir, startTimeout);
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return {@code tcp://127.0.0.1:PORT}, for the test's own clients */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** @return the process id of the broker's JVM */
    public long pid() {
        return process.pid();
    }

    /** Sets every node of {@code cluster} (before it starts) to use this broker instead of an embedded one. */
    public SharedBroker configure(ClusterNodes cluster) {
        cluster.setAll("de.sid.verbund.messaging.cfg", "embedded", false)
                .setAll("de.sid.verbund.messaging.cfg", "broker.url", url() + "?" + NODE_OPTIONS);
        return this;
    }

    /** @return where its journal and log are */
    public Path dir() {
        return dir;
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}

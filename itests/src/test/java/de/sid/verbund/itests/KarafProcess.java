package de.sid.verbund.itests;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.testsupport.Ports;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The distribution as an operator runs it: the tar.gz unpacked under {@code target/}, every port
 * of {@code etc/} set to a free one, and {@code bin/karaf server} as a child process.
 */
public final class KarafProcess implements AutoCloseable {
    public final Path home;
    public final int httpPort;
    private Process karaf;

    private KarafProcess(Path home, int httpPort) {
        this.home = home;
        this.httpPort = httpPort;
    }

    /** Unpacks the distribution failsafe names ({@code verbund.distribution}) to {@code target/<prefix>-<random>}. */
    public static KarafProcess unpack(String prefix) throws IOException, InterruptedException {
        Path dist = Path.of(System.getProperty("verbund.distribution"));
        assertThat(dist).exists();
        Path target = Path.of("target", prefix + "-" + UUID.randomUUID().toString().substring(0, 8)).toAbsolutePath();
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
        set(target, "de.sid.verbund.cluster.cfg", "cluster.name", prefix + "-" + UUID.randomUUID());
        set(target, "de.sid.verbund.messaging.cfg", "tcp.port", Ports.freeTcpPort());
        return new KarafProcess(target, httpPort);
    }

    /** Replaces (or appends) {@code key = value} in an etc/ file. */
    public static void set(Path home, String file, String key, Object value) throws IOException {
        Path f = home.resolve("etc").resolve(file);
        String text = Files.readString(f);
        String line = key + " = " + value;
        String replaced = text.replaceAll("(?m)^" + java.util.regex.Pattern.quote(key) + "\\s*=.*$",
                java.util.regex.Matcher.quoteReplacement(line));
        Files.writeString(f, replaced.equals(text) && !text.contains(line) ? text + "\n" + line + "\n" : replaced);
    }

    /** Starts {@code bin/karaf server}, its output appended to {@code console.log}. */
    public Process start() throws IOException {
        File log = home.resolve("console.log").toFile();
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/karaf").toString(), "server").directory(home.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        karaf = pb.start();
        return karaf;
    }

    /** bin/karaf runs the JVM as a child process: that is the one to signal. */
    public ProcessHandle jvm() {
        return karaf.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst().orElse(karaf.toHandle());
    }

    public Process process() {
        return karaf;
    }

    /** Kills Karaf and its JVM. */
    @Override
    public void close() throws InterruptedException {
        if (karaf != null) {
            karaf.descendants().forEach(ProcessHandle::destroyForcibly);
            karaf.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }
}

package de.sid.verbund.monitoring.snmp.internal;

import static org.awaitility.Awaitility.await;

import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.testsupport.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real net-snmp agent ({@code snmpd}, Debian package {@code snmpd}) on a free loopback port,
 * with a configuration of our own and its state in a temporary directory (NOTES: the endpoint
 * on the command line, no agentAddress line, {@code MIBS=} against missing-MIB noise).
 *
 * <p>Communities: {@code public} sees everything; {@code restricted} sees only the system
 * group, so a walk of it ends with endOfMibView (v2c) or noSuchName (v1).
 */
final class NetSnmpAgent implements AutoCloseable {
    static final Path SNMPD = Path.of("/usr/sbin/snmpd");
    static final String SYS_DESCR = "Verbund test agent";

    private final Path dir;
    private final Process process;
    private final int port;

    private NetSnmpAgent(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    static NetSnmpAgent start(Snmp4jClient client) throws IOException {
        if (!Files.isExecutable(SNMPD)) {
            throw new IllegalStateException("snmpd is missing: apt-get install snmpd snmp (./verbund test installs it)");
        }
        Path dir = Files.createTempDirectory("verbund-snmpd");
        Path conf = dir.resolve("snmpd.conf");
        Files.writeString(conf, String.join("\n",
                "rocommunity public 127.0.0.1",
                "view systemonly included .1.3.6.1.2.1.1",
                "rocommunity restricted 127.0.0.1 -V systemonly",
                "sysDescr " + SYS_DESCR,
                "sysLocation Dresden, Rechenzentrum 1",
                "sysContact ops@example.invalid",
                "sysName snmpd-test",
                "sysServices 72",
                ""), StandardCharsets.UTF_8);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = Ports.freeUdpPort();
            ProcessBuilder pb = new ProcessBuilder(SNMPD.toString(), "-f", "-Lo", "-C", "-c", conf.toString(),
                    "udp:127.0.0.1:" + port)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("snmpd-" + port + ".log").toFile());
            pb.environment().put("MIBS", "");
            pb.environment().put("SNMP_PERSISTENT_DIR", dir.resolve("persist").toString());
            Process p = pb.start();
            NetSnmpAgent agent = new NetSnmpAgent(dir, p, port);
            SnmpTarget probe = agent.target("public").withTimeout(Duration.ofMillis(300)).withRetries(0);
            try {
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                        .until(() -> {
                            if (!p.isAlive()) {
                                throw new IOException("snmpd exited: " + agent.log());
                            }
                            try {
                                client.get(probe, List.of(Oid.parse("1.3.6.1.2.1.1.3.0"))).toCompletableFuture().get();
                                return true;
                            } catch (java.util.concurrent.ExecutionException e) {
                                return false;
                            }
                        });
                return agent;
            } catch (RuntimeException e) {
                last = new IOException("snmpd on port " + port + " did not answer: " + agent.log(), e);
                agent.close();
            }
        }
        throw last;
    }

    /** @return an SNMPv2c target for this agent with the given community */
    SnmpTarget target(String community) {
        return SnmpTarget.v2c("snmpd", address(), community);
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    int port() {
        return port;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("snmpd-" + port + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package de.sid.verbund.testsupport;

import static org.awaitility.Awaitility.await;

import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.inventory.Credential.AuthProtocol;
import de.sid.verbund.monitoring.inventory.Credential.PrivProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real net-snmp agent ({@code snmpd}, Debian package {@code snmpd}) on a free loopback port,
 * with a configuration of our own and its state in a temporary directory, for tests and the
 * demo. Started as NOTES.md says works (the endpoint on the command line, no {@code agentAddress}
 * line, {@code MIBS=} against missing-MIB noise), but with {@code SNMPCONFPATH} naming only the
 * temporary configuration and persistent directories instead of {@code -C -c FILE}: {@code -C}
 * also keeps snmpd from reading its persistent file, so engineBoots would never go up and an
 * engine ID it made up would change at every start. {@code SNMP_PERSISTENT_DIR} points into the
 * temporary directory, so neither {@code /etc/snmp} nor {@code /var/lib/snmp} is touched (runs
 * as root or not).
 *
 * <p>Communities: {@code public} sees everything; {@code restricted} sees only the system group,
 * so a walk of it ends with endOfMibView (v2c) or noSuchName (v1). SNMPv3 users come from
 * {@link Config#user(User)}: one {@code createUser} and one {@code rouser} line each (RFC 3414
 * USM, net-snmp's VACM shorthand).
 *
 * <p>The persistent directory keeps {@code engineBoots}: {@link #restart()} starts the agent
 * again on the same port with the same directory, so its engineBoots goes up by one and its
 * engineTime starts again at 0, as after a reboot (RFC 3414 section 2.2).
 */
public final class NetSnmpAgent implements AutoCloseable {
    public static final Path SNMPD = Path.of("/usr/sbin/snmpd");
    /** The sysDescr.0 every agent started here answers unless {@link Config#sysDescr(String)} says otherwise. */
    public static final String SYS_DESCR = "Verbund test agent";
    private static final Pattern ENGINE_BOOTS = Pattern.compile("(?m)^engineBoots (\\d+)$");

    private final Path dir;
    private Config config;
    private final int port;
    private Process process;
    private int starts;

    private NetSnmpAgent(Config config, Path dir, int port) {
        this.config = config;
        this.dir = dir;
        this.port = port;
    }

    /**
     * An SNMPv3 USM user of the agent.
     *
     * @param name the user name (RFC 3414 usmUserName)
     * @param auth net-snmp's name of the authentication protocol ({@code SHA}, {@code SHA-224},
     *        {@code SHA-256}, {@code SHA-384}, {@code SHA-512}), null for noAuthNoPriv
     * @param authPassphrase at least 8 characters, null without authentication
     * @param priv net-snmp's name of the privacy protocol ({@code DES}, {@code AES},
     *        {@code AES-256}), null without privacy
     * @param privPassphrase at least 8 characters, null without privacy
     */
    public record User(String name, String auth, String authPassphrase, String priv, String privPassphrase) {
        public User {
            Objects.requireNonNull(name, "name");
            if ((auth == null) != (authPassphrase == null) || (priv == null) != (privPassphrase == null)
                    || (priv != null && auth == null)) {
                throw new IllegalArgumentException("user " + name + ": a protocol goes with its passphrase, privacy needs auth");
            }
        }

        public static User noAuthNoPriv(String name) {
            return new User(name, null, null, null, null);
        }

        public static User authNoPriv(String name, String auth, String authPassphrase) {
            return new User(name, auth, authPassphrase, null, null);
        }

        public static User authPriv(String name, String auth, String authPassphrase, String priv, String privPassphrase) {
            return new User(name, auth, authPassphrase, priv, privPassphrase);
        }

        /** @return net-snmp's {@code rouser} level: {@code noauth}, {@code auth} or {@code priv} */
        String level() {
            return auth == null ? "noauth" : priv == null ? "auth" : "priv";
        }

        String createUserLine() {
            StringBuilder b = new StringBuilder("createUser ").append(name);
            if (auth != null) {
                b.append(' ').append(auth).append(" \"").append(authPassphrase).append('"');
            }
            if (priv != null) {
                b.append(' ').append(priv).append(" \"").append(privPassphrase).append('"');
            }
            return b.toString();
        }

        /** @return the same user as Verbund stores it: {@link SnmpCredentials.Usm} */
        public SnmpCredentials.Usm credentials() {
            return new SnmpCredentials.Usm(name, authProtocol(auth), authPassphrase, privProtocol(priv), privPassphrase);
        }

        /** @return the protocol as the API names it: {@code SHA-256} → {@link AuthProtocol#SHA256} */
        public static AuthProtocol authProtocol(String netSnmpName) {
            if (netSnmpName == null) {
                return AuthProtocol.NONE;
            }
            return switch (netSnmpName.toUpperCase(java.util.Locale.ROOT)) {
                case "SHA", "SHA1", "SHA-1" -> AuthProtocol.SHA1;
                case "SHA-224" -> AuthProtocol.SHA224;
                case "SHA-256" -> AuthProtocol.SHA256;
                case "SHA-384" -> AuthProtocol.SHA384;
                case "SHA-512" -> AuthProtocol.SHA512;
                default -> throw new IllegalArgumentException("no such auth protocol in Verbund: " + netSnmpName);
            };
        }

        /** @return the protocol as the API names it: {@code AES} → {@link PrivProtocol#AES128} */
        public static PrivProtocol privProtocol(String netSnmpName) {
            if (netSnmpName == null) {
                return PrivProtocol.NONE;
            }
            return switch (netSnmpName.toUpperCase(java.util.Locale.ROOT)) {
                case "DES" -> PrivProtocol.DES;
                case "AES", "AES-128" -> PrivProtocol.AES128;
                case "AES-256" -> PrivProtocol.AES256;
                default -> throw new IllegalArgumentException("no such privacy protocol in Verbund: " + netSnmpName);
            };
        }
    }

    /**
     * What the agent is started with.
     *
     * @param users SNMPv3 users
     * @param engineId the agent's snmpEngineID as hex ({@code exactEngineID}), 5 to 32 bytes;
     *        null: net-snmp makes one up (and keeps it in the persistent directory)
     * @param sysDescr the sysDescr.0 it answers
     * @param extraLines more {@code snmpd.conf} lines
     */
    public record Config(List<User> users, String engineId, String sysDescr, List<String> extraLines) {
        public Config {
            users = List.copyOf(users);
            extraLines = List.copyOf(extraLines);
        }

        public Config user(User u) {
            List<User> more = new ArrayList<>(users);
            more.add(u);
            return new Config(more, engineId, sysDescr, extraLines);
        }

        public Config engineId(String hex) {
            return new Config(users, hex, sysDescr, extraLines);
        }

        public Config sysDescr(String text) {
            return new Config(users, engineId, text, extraLines);
        }

        public Config line(String snmpdConfLine) {
            List<String> more = new ArrayList<>(extraLines);
            more.add(snmpdConfLine);
            return new Config(users, engineId, sysDescr, more);
        }

        String snmpdConf() {
            List<String> lines = new ArrayList<>(List.of(
                    "rocommunity public 127.0.0.1",
                    "view systemonly included .1.3.6.1.2.1.1",
                    "rocommunity restricted 127.0.0.1 -V systemonly",
                    "sysDescr " + sysDescr,
                    "sysLocation Dresden, Rechenzentrum 1",
                    "sysContact ops@example.invalid",
                    "sysName snmpd-test",
                    "sysServices 72"));
            if (engineId != null) {
                lines.add("exactEngineID 0x" + engineId);
            }
            for (User u : users) {
                lines.add(u.createUserLine());
                lines.add("rouser " + u.name() + " " + u.level());
            }
            lines.addAll(extraLines);
            return String.join("\n", lines) + "\n";
        }
    }

    /** @return the default configuration: the two communities, no SNMPv3 user, a made-up engine ID */
    public static Config config() {
        return new Config(List.of(), null, SYS_DESCR, List.of());
    }

    /** Starts an agent with the {@linkplain #config() default configuration}. */
    public static NetSnmpAgent start() throws IOException {
        return start(config());
    }

    /**
     * Starts {@code snmpd} on a free loopback UDP port and waits (at most 20 s) until it has
     * opened it. A port taken meanwhile by someone else is retried with another, twice.
     *
     * @throws IllegalStateException if snmpd is not installed
     * @throws IOException if it does not start (the message holds its log)
     */
    public static NetSnmpAgent start(Config config) throws IOException {
        if (!Files.isExecutable(SNMPD)) {
            throw new IllegalStateException("snmpd is missing: apt-get install snmpd snmp (./verbund test installs it)");
        }
        Path dir = Files.createTempDirectory("verbund-snmpd");
        Files.createDirectories(dir.resolve("conf"));
        Files.writeString(dir.resolve("conf").resolve("snmpd.conf"), config.snmpdConf(), StandardCharsets.UTF_8);
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            NetSnmpAgent agent = new NetSnmpAgent(config, dir, Ports.freeUdpPort());
            try {
                agent.launch();
                return agent;
            } catch (IOException e) {
                last = e;
                agent.stop();
            }
        }
        deleteTree(dir);
        throw last;
    }

    private void launch() throws IOException {
        starts++;
        Path log = log(starts);
        // -I -smux: no SMUX listener on TCP port 199, which a second agent (or the system's) would hold
        ProcessBuilder pb = new ProcessBuilder(SNMPD.toString(), "-f", "-Lo", "-I", "-smux", "udp:127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("MIBS", "");
        pb.environment().put("SNMPCONFPATH", dir.resolve("conf") + ":" + persistentDir());
        pb.environment().put("SNMP_PERSISTENT_DIR", persistentDir().toString());
        Process p = pb.start();
        process = p;
        try {
            // snmpd logs its version once its endpoints are open; it exits if one cannot be opened
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        if (!p.isAlive()) {
                            throw new IOException("snmpd exited with " + p.exitValue() + ": " + read(log));
                        }
                        return read(log).contains("NET-SNMP version");
                    });
        } catch (RuntimeException e) {
            throw new IOException("snmpd on udp:127.0.0.1:" + port + " did not start: " + read(log), e);
        }
    }

    /**
     * Stops the agent and starts it again on the same port with the same persistent directory:
     * engineBoots goes up by one, engineTime and sysUpTime start again at 0.
     */
    public void restart() throws IOException {
        stop();
        launch();
    }

    /**
     * Stops the agent and starts a new one on the same port with an empty persistent directory
     * and another configuration, e.g. another engine ID: a replaced device at the same address.
     * (Restarted with its old persistent directory, net-snmp keeps accepting requests for the
     * old engine ID, with the users it localized for it.)
     */
    public void replace(Config newConfig) throws IOException {
        stop();
        deleteTree(persistentDir());
        config = newConfig;
        Files.writeString(dir.resolve("conf").resolve("snmpd.conf"), newConfig.snmpdConf(), StandardCharsets.UTF_8);
        launch();
    }

    /** Stops the agent (SIGTERM, then SIGKILL after 10 s); its directory stays until {@link #close()}. */
    public void stop() {
        Process p = process;
        if (p == null) {
            return;
        }
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    /** @return an SNMPv2c target for this agent with the given community and the default timeouts */
    public SnmpTarget v2c(String community) {
        return SnmpTarget.v2c("snmpd", address(), community);
    }

    /** @return an SNMPv3 target for this agent as the given user, with the default timeouts */
    public SnmpTarget v3(User user) {
        return SnmpTarget.v3("snmpd", address(), user.credentials());
    }

    /** @return 127.0.0.1 and the agent's port */
    public InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    public int port() {
        return port;
    }

    /** @return what this agent was started with */
    public Config configuration() {
        return config;
    }

    /** @return where snmpd keeps its state (engineBoots, the localized users) */
    public Path persistentDir() {
        return dir.resolve("persist");
    }

    /** @return the engineBoots snmpd stored at its last start (RFC 3414 snmpEngineBoots) */
    public int engineBoots() {
        Matcher m = ENGINE_BOOTS.matcher(read(persistentDir().resolve("snmpd.conf")));
        if (!m.find()) {
            throw new IllegalStateException("no engineBoots in " + persistentDir().resolve("snmpd.conf"));
        }
        return Integer.parseInt(m.group(1));
    }

    /** @return the output of the current (or last) run of snmpd */
    public String log() {
        return read(log(starts));
    }

    private Path log(int start) {
        return dir.resolve("snmpd-" + port + "-" + start + ".log");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no " + file + ": " + e + ")";
        }
    }

    /** Stops the agent and deletes its directory. */
    @Override
    public void close() {
        stop();
        deleteTree(dir);
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package de.sid.verbund.monitoring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceStatus;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.profile.Profile;
import de.sid.verbund.monitoring.profile.ProfileLoader;
import de.sid.verbund.monitoring.snmp.internal.Snmp4jClient;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.NetSnmpAgent;
import de.sid.verbund.testsupport.NetSnmpAgent.User;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The poller's whole path against a real net-snmp agent: credentials stored (encrypted) in the
 * inventory, devices registered, {@code DeviceInventory.target}, the SNMP4J client, the
 * {@code system} and {@code if_mib} profiles, over SNMPv2c and SNMPv3.
 */
@Timeout(120)
class NetSnmpPollingTest {
    static final User SHA256_AES128 = User.authPriv("monitor", "SHA-256", "monitor-auth-256", "AES", "monitor-priv-128");
    static final User SHA512_AES256 = User.authPriv("monitor512", "SHA-512", "monitor-auth-512", "AES-256", "monitor-priv-256");
    static final User SHA224_AUTH = User.authNoPriv("watcher", "SHA-224", "watcher-auth-224");

    @TempDir
    static Path dir;
    static JdbcDatabase db;
    static Inventory inventory;
    static NetSnmpAgent agent;
    static Snmp4jClient snmp;
    static ScheduledExecutorService scheduler;
    static DevicePolling polling;

    @BeforeAll
    static void start() throws IOException {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir.resolve("db")), "verbund", "", 4, 10_000);
        db.migrate("monitoring", Inventory.class.getClassLoader());
        inventory = new Inventory(db, SecretCipher.loadOrCreate(dir.resolve("etc/verbund-credentials.key")));
        agent = NetSnmpAgent.start(NetSnmpAgent.config().user(SHA256_AES128).user(SHA512_AES256).user(SHA224_AUTH));
        snmp = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2);
        scheduler = Executors.newScheduledThreadPool(2);
        Map<String, Profile> profiles = new ProfileLoader().loadDirectory(Path.of("../../../monitoring/profiles"));
        polling = new DevicePolling(inventory, snmp, profiles, scheduler, 4, Duration.ofMillis(1000), 1);
    }

    @AfterAll
    static void stop() {
        if (polling != null) {
            polling.close();
        }
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (snmp != null) {
            snmp.close();
        }
        if (agent != null) {
            agent.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static Device register(String name, NewCredential credential) {
        Credential c = inventory.createCredential(credential);
        return inventory.createDevice(new NewDevice(name, "127.0.0.1", agent.port(), "dc1", "server", 60,
                List.of("system", "if_mib"), c.id()));
    }

    static NewCredential v3(String name, User u) {
        return new NewCredential(name, "v3", null, u.name(), u.auth(), u.authPassphrase(), u.priv(), u.privPassphrase());
    }

    static PollSummary pollNow(Device d) throws Exception {
        return polling.pollNow(d).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void v2cAndV3DevicesArePolledThroughTheProfilesAndReadWhatSnmpdServes() throws Exception {
        List<Device> devices = List.of(
                register("snmpd-v2c", new NewCredential("snmpd-public", "v2c", "public", null, null, null, null, null)),
                register("snmpd-v3-sha256-aes128", v3("snmpd-sha256-aes128", SHA256_AES128)),
                register("snmpd-v3-sha512-aes256", v3("snmpd-sha512-aes256", SHA512_AES256)),
                register("snmpd-v3-sha224-authnopriv", v3("snmpd-sha224", SHA224_AUTH)));
        List<Integer> interfaces = new ArrayList<>();
        for (Device d : devices) {
            PollSummary poll = pollNow(d);
            assertThat(poll.up()).as(d.name() + ": " + poll.problem()).isTrue();
            assertThat(poll.problem()).isNull();
            DeviceStatus status = polling.status(d.id()).orElseThrow();
            assertThat(status.sysDescr()).isEqualTo(NetSnmpAgent.SYS_DESCR);
            assertThat(status.sysObjectId()).startsWith("1.3.6.1.4.1.8072.");
            List<MetricSample> samples = polling.samples(d.id());
            assertThat(samples).extracting(MetricSample::name).contains("sysUpTime", "ifOperStatus", "ifHCInOctets");
            assertThat(samples).filteredOn(m -> m.name().equals("ifOperStatus")).anyMatch(m -> "lo".equals(m.label("ifDescr")));
            interfaces.add((int) samples.stream().filter(m -> m.name().equals("ifOperStatus")).count());
        }
        // the same agent, the same interfaces, whichever way it is asked
        assertThat(interfaces).allMatch(n -> n.equals(interfaces.get(0))).allMatch(n -> n > 0);
    }

    @Test
    void aWrongPassphraseMakesAPollThatSaysWhichAndNeverShowsASecret() throws Exception {
        String wrong = "not-the-monitor-auth";
        Device d = register("snmpd-v3-wrong", new NewCredential("snmpd-wrong", "v3", null, SHA256_AES128.name(), "SHA-256",
                wrong, "AES", SHA256_AES128.privPassphrase()));

        PollSummary poll = pollNow(d);

        assertThat(poll.up()).isFalse();
        assertThat(poll.problem()).contains("authentication of USM user 'monitor' failed: wrong authentication passphrase",
                "[report usmStatsWrongDigests]").doesNotContain(wrong, SHA256_AES128.privPassphrase());
        assertThat(polling.status(d.id()).orElseThrow().toString()).doesNotContain(wrong);
        assertThat(new String(db.inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT auth_passphrase FROM monitoring_credential WHERE name = 'snmpd-wrong'");
                 var rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }).getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8)).doesNotContain(wrong);
    }
}

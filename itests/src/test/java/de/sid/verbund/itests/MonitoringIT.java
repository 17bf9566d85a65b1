package de.sid.verbund.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import de.sid.verbund.monitoring.snmpsim.DataDirectory;
import de.sid.verbund.monitoring.snmpsim.ReplayAgent;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Monitoring in the real distribution: the test starts the replay agent (its bundle installed in
 * the container) on a loopback port serving recorded devices, registers one through REST, polls
 * it now and finds its samples at {@code /metrics}, its interfaces and sensors at
 * {@code /api/devices/{id}}, walks it through REST and the shell, and registers another through
 * the devices file.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class MonitoringIT extends VerbundTestSupport {
    private static final String MONITOR = basic("monitor", "monitor");
    private static final String ADMIN = basic("admin", "admin");
    private ReplayAgent agent;

    @Configuration
    @Override
    public Option[] config() {
        Option[] base = super.config();
        Option[] all = Arrays.copyOf(base, base.length + 2);
        String built = System.getProperty("verbund.snmpsim.bundle");
        all[base.length] = built != null && new File(built).isFile() ? bundle(new File(built).toURI().toString())
                : mavenBundle("de.sid.verbund", "de.sid.verbund.monitoring.snmpsim").versionAsInProject();
        all[base.length + 1] = systemProperty("verbund.it.snmprec")
                .value(de.sid.verbund.testsupport.SharedData.data("snmprec").toString());
        return all;
    }

    @Before
    public void startAgent() throws Exception {
        Path dir = Files.createTempDirectory("verbund-it-snmprec");
        for (String f : List.of("procurve_2520.snmprec", "eaton-mgeups_5px.snmprec")) {
            Files.copy(Path.of(System.getProperty("verbund.it.snmprec"), f), dir.resolve(f));
        }
        agent = ReplayAgent.start(DataDirectory.load(dir).tables(), new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                1);
    }

    @After
    public void stopAgent() {
        agent.close();
    }

    private static Reply delete(String path, String auth) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).DELETE(), auth);
    }

    /** @return the new device's id */
    private String register(String name, String community) {
        // the inventory migrates its schema in the background after boot
        Reply[] cr = new Reply[1];
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() -> {
            cr[0] = post("/api/credentials", MONITOR, "{\"name\":\"" + name + "-cred\",\"version\":\"v2c\",\"community\":\""
                    + community + "\"}");
            return cr[0].status() != 503;
        });
        assertEquals(cr[0].body(), 201, cr[0].status());
        assertFalse(cr[0].body().contains(community));
        Reply d = post("/api/devices", MONITOR, "{\"name\":\"" + name + "\",\"address\":\"127.0.0.1\",\"port\":"
                + agent.address().getPort() + ",\"site\":\"it\",\"kind\":\"switch\",\"credentialId\":\""
                + cr[0].json().path("id").asText() + "\"}");
        assertEquals(d.body(), 201, d.status());
        return d.json().path("id").asText();
    }

    private static String pollNow(String id) {
        Reply[] r = new Reply[1];
        // the poller loads its profiles in the background after boot
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() -> {
            r[0] = post("/api/devices/" + id + "/poll", MONITOR, "");
            return r[0].status() == 200;
        });
        return r[0].body();
    }

    @Test
    public void aDevicePolledInTheContainerShowsAtMetricsAndInItsDetails() throws Exception {
        String id = register("sw-it", "procurve_2520");

        JsonNode poll = JSON.readTree(pollNow(id));
        String metrics = get("/metrics", null).body();
        JsonNode detail = get("/api/devices/" + id, MONITOR).json();

        String mine = metrics.lines().filter(l -> l.contains("device=\"sw-it\"")).limit(40)
                .reduce("", (x, y) -> x + "\n" + y);
        assertTrue(poll.toString(), poll.path("up").asBoolean());
        assertTrue(poll.toString(), poll.path("samples").asInt() > 100);
        assertTrue(mine, metrics.contains("verbund_device_up{device=\"sw-it\",site=\"it\"} 1.0"));
        // the exposition writes labels in alphabetical order
        assertTrue(mine, metrics.lines().anyMatch(l -> l.startsWith("ifHCInOctets{device=\"sw-it\",ifAlias=\"\","
                + "ifDescr=\"1\",ifIndex=\"1\",ifName=\"1\",site=\"it\"} ")));
        assertTrue(mine, metrics.lines().anyMatch(l -> l.startsWith("verbund_sensor_temperature_celsius{device=\"sw-it\",")
                && l.contains("entPhysicalIndex=\"25\"") && l.endsWith("} 20.0")));
        assertEquals("API", detail.path("origin").asText());
        assertTrue(detail.toString(), detail.path("status").path("up").asBoolean());
        assertTrue(detail.path("status").toString(), detail.path("status").path("sysDescr").asText().startsWith("HP Stack"));
        assertEquals(44, detail.path("interfaces").size());
        assertEquals("ethernetCsmacd", detail.path("interfaces").get(0).path("ifType").asText());
        assertEquals(8, detail.path("sensors").size());
        assertFalse(detail.has("ups"));
        assertFalse(detail.toString().contains("procurve_2520"));
    }

    @Test
    public void aSubtreeIsWalkedThroughRestAndTheShell() throws Exception {
        String id = register("walk-it", "procurve_2520");

        Reply walk = get("/api/devices/" + id + "/walk?oid=1.3.6.1.2.1.2.2.1.6&limit=3", MONITOR);
        Reply bad = get("/api/devices/" + id + "/walk?oid=ifDescr", MONITOR);
        String shell = executeCommand("verbund:device-walk walk-it 1.3.6.1.2.1.1");

        assertEquals(walk.body(), 200, walk.status());
        assertEquals(3, walk.json().path("rows").size());
        assertTrue(walk.json().path("truncated").asBoolean());
        assertTrue(walk.json().path("rows").get(0).path("hex").asBoolean());
        assertEquals(400, bad.status());
        assertTrue(shell, shell.contains("1.3.6.1.2.1.1.1.0") && shell.contains("HP Stack") && shell.contains("complete"));
    }

    @Test
    public void authorityUsersAreRefusedTheDeviceAndItsWalk() {
        String id = register("refused-it", "procurve_2520");
        String authority = newAuthority();
        String name = "auth-" + UUID.randomUUID().toString().substring(0, 6);
        Reply u = post("/api/users", ADMIN, "{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\",\"authorityId\":\""
                + authority + "\",\"roles\":[\"authority-admin\"]}");
        assertEquals(u.body(), 201, u.status());
        String auth = basic(name, "long-enough-pw");

        assertEquals(403, get("/api/devices/" + id, auth).status());
        assertEquals(403, get("/api/devices/" + id + "/walk?oid=1.3.6.1.2.1.1", auth).status());
    }

    @Test
    public void devicesFromTheDevicesFileArePolledAndNotDeletedThroughTheApi() throws Exception {
        Path file = Path.of(System.getProperty("karaf.base"), "etc", "verbund-devices.yaml");
        Files.writeString(file, "credentials:\n- {name: file-ups, version: v2c, community: eaton-mgeups_5px}\n"
                + "devices:\n- {name: ups-file, address: 127.0.0.1, port: " + agent.address().getPort()
                + ", site: it, kind: ups, credential: file-ups}\n");
        try {
            JsonNode[] device = new JsonNode[1];
            await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
                for (JsonNode d : get("/api/devices", MONITOR).json().path("items")) {
                    if (d.path("name").asText().equals("ups-file")) {
                        device[0] = d;
                    }
                }
                return device[0] != null;
            });
            String id = device[0].path("id").asText();
            pollNow(id);
            JsonNode detail = get("/api/devices/" + id, MONITOR).json();
            Reply refused = delete("/api/devices/" + id, MONITOR);

            assertEquals("FILE", device[0].path("origin").asText());
            assertEquals(100.0, detail.path("ups").path("chargePercent").asDouble(), 0.0);
            assertFalse(detail.path("ups").path("onBattery").asBoolean());
            assertEquals(409, refused.status());
            assertTrue(refused.body(), refused.body().contains("devices file"));
            assertTrue(get("/metrics", null).body().contains("upsEstimatedChargeRemaining{device=\"ups-file\",site=\"it\"} 100.0"));
        } finally {
            Files.delete(file);
        }
        await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() ->
                !get("/api/devices", MONITOR).body().contains("ups-file"));
    }
}

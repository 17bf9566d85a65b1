package de.sid.verbund.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Cluster operations and split-brain protection in the real distribution: a node configured for a
 * three-node cluster ({@code min.cluster.size = 2}) that finds no other member is a minority of one.
 * {@code /api/cluster} and {@code verbund:cluster-status} say so and show it owning every host; every
 * change over REST is 503 (RFC 9457 problem {@code urn:verbund:problem:no-quorum}), reads and the dry
 * run still work, mutating shell commands are refused; authority users may not see the cluster.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ClusterIT extends VerbundTestSupport {
    private static final String ADMIN = basic("admin", "admin");

    @Override
    @Configuration
    public Option[] config() {
        return Stream.concat(Arrays.stream(super.config()), Stream.of(
                editConfigurationFilePut("etc/de.sid.verbund.cluster.cfg", "min.cluster.size", "2"),
                editConfigurationFilePut("etc/de.sid.verbund.cluster.cfg", "member.id", "it-node-1"))).toArray(Option[]::new);
    }

    @Before
    public void waitForTheMemberTheDemoHostsAndUsers() {
        await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            JsonNode c = get("/api/cluster", ADMIN).json();
            return c.path("members").size() == 1 && c.path("members").get(0).path("hosts").size() >= 3
                    // the demo authorities' users exist (seeded after the cluster is up): a refusal is 403, not 401
                    && get("/api/offerings", basic("steuern-user", "steuern-user")).status() == 200;
        });
    }

    @Test
    public void clusterStatusShowsTheLoneMemberWithoutQuorumOwningEveryHost() throws Exception {
        Reply r = get("/api/cluster", basic("operator", "operator"));
        assertEquals(r.body(), 200, r.status());
        JsonNode c = r.json();
        assertEquals("it-node-1", c.path("localMemberId").asText());
        assertEquals(2, c.path("minClusterSize").asInt());
        assertFalse(c.path("quorum").asBoolean());
        JsonNode me = c.path("members").get(0);
        assertEquals("it-node-1", me.path("id").asText());
        assertTrue(me.path("local").asBoolean());
        assertTrue(me.toString(), me.path("uptimeS").asLong() >= 0 && me.hasNonNull("startedAt"));
        assertTrue(me.path("hosts").toString(), me.path("hosts").toString().contains("demo-small"));
        assertEquals(0, c.path("unowned").path("hosts").size());
        assertEquals(200, get("/api/cluster", basic("monitor", "monitor")).status());

        Reply health = get("/api/health", ADMIN);
        assertEquals("DEGRADED", health.json().path("components").path("cluster").path("status").asText());

        String shell = executeCommand("verbund:cluster-status");
        assertTrue(shell, shell.contains("quorum NO: changes are refused here (min.cluster.size 2), seen from it-node-1"));
        assertTrue(shell, shell.contains("demo-small"));
    }

    @Test
    public void authorityUsersAndClerksMayNotSeeTheCluster() {
        for (String who : new String[] {"steuern-admin", "steuern-user", "clerk"}) {
            Reply r = get("/api/cluster", basic(who, who));
            assertEquals(who + ": " + r.body(), 403, r.status());
        }
        assertEquals(401, get("/api/cluster", null).status());
    }

    @Test
    public void onTheMinoritySideChangesAre503ReadsAndDryRunsWork() {
        Reply refused = post("/api/authorities", ADMIN, "{\"name\":\"IT-Minderheit\",\"kind\":\"MINISTRY\","
                + "\"costCentre\":\"IT-1\",\"billingMode\":\"INTERNAL\"}");
        assertEquals(refused.body(), 503, refused.status());
        assertTrue(refused.contentType(), refused.contentType().startsWith("application/problem+json"));
        JsonNode p = refused.json();
        assertEquals("urn:verbund:problem:no-quorum", p.path("type").asText());
        assertEquals("Cluster minority", p.path("title").asText());
        assertTrue(p.toString(), p.path("detail").asText().contains("sees 1 of the 2 cluster members required"));
        assertTrue(p.toString(), p.path("detail").asText().contains("POST /api/authorities is refused"));
        assertEquals("/api/authorities", p.path("instance").asText());
        assertFalse(get("/api/authorities", ADMIN).body().contains("IT-Minderheit"));

        assertEquals(200, get("/api/authorities", ADMIN).status());
        assertEquals(200, get("/api/vms", ADMIN).status());
        Reply dryRun = post("/api/placement/dry-run", ADMIN, "{\"vcpu\":1,\"ramMib\":512,\"diskGib\":1}");
        assertEquals(dryRun.body(), 200, dryRun.status());
        assertEquals(401, post("/api/authorities", null, "{}").status()); // authentication comes first
    }

    @Test
    public void mutatingShellCommandsAreRefused() throws Exception {
        try {
            String out = executeCommand("verbund:user-unlock admin");
            fail("a mutating command ran without quorum: " + out);
        } catch (Exception e) {
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage(), e.getMessage().contains("verbund:user-unlock is refused"));
        }
        assertTrue(executeCommand("verbund:users").contains("admin")); // reads work
    }
}

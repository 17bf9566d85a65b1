package de.sid.verbund.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The platform foundation in a real Karaf: health, metrics, security, audit, bad input, isolation, shell. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PlatformIT extends VerbundTestSupport {
    private static final String ADMIN = basic("admin", "admin");

    @Before
    public void waitForHealthy() {
        await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> get("/api/health", ADMIN).status() == 200
                        && "UP".equals(get("/api/health", ADMIN).json().path("status").asText()));
    }

    @Test
    public void healthShowsEveryComponentUp() {
        Reply r = get("/api/health", ADMIN);
        assertEquals(200, r.status());
        JsonNode c = r.json().path("components");
        for (String component : List.of("database", "cluster", "broker")) {
            assertEquals(component + " in " + r.body(), "UP", c.path(component).path("status").asText());
        }
        assertEquals("H2", c.path("database").path("details").path("product").asText());
    }

    @Test
    public void metricsAreValidPrometheusTextWithBuildInfoAndJvmMetrics() throws Exception {
        Reply r = get("/metrics", null);
        assertEquals(200, r.status());
        assertTrue(r.contentType(), r.contentType().startsWith("text/plain"));
        assertTrue(r.body().contains("verbund_build_info{"));
        assertTrue(r.body().contains("jvm_memory_used_bytes{"));
        // the exposition must pass Prometheus' own linter
        Path file = Files.createTempFile("metrics", ".txt");
        Files.writeString(file, r.body());
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectInput(file.toFile())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("promtool did not finish", p.waitFor(60, TimeUnit.SECONDS));
        assertEquals("promtool check metrics: " + out, 0, p.exitValue());
        Files.delete(file);
    }

    @Test
    public void anonymousRequestsAreRefusedWithAProblem() {
        Reply r = get("/api/users", null);
        assertEquals(401, r.status());
        assertTrue(r.contentType().startsWith("application/problem+json"));
        assertTrue(r.wwwAuthenticate().startsWith("Basic"));
        assertEquals(401, r.json().path("status").asInt());
        assertEquals(401, get("/api/health", basic("admin", "wrong")).status());
        assertEquals(200, get("/api/openapi.json", null).status());
    }

    @Test
    public void probesGetTheStatusWithoutCredentialsButNoDetails() {
        Reply anonymous = get("/api/health", null);
        assertEquals(200, anonymous.status());
        assertEquals("UP", anonymous.json().path("status").asText());
        assertTrue(anonymous.body(), anonymous.json().path("components").isMissingNode());
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        assertEquals(201, post("/api/users", ADMIN, user("viewer-" + suffix, newAuthority(), "authority-viewer")).status());
        Reply tenant = get("/api/health", basic("viewer-" + suffix, "long-enough-pw"));
        assertEquals(200, tenant.status());
        assertTrue(tenant.body(), tenant.json().path("components").isMissingNode());
    }

    @Test
    public void usersManageTheirOwnPasswordAndTokens() {
        String name = "self-" + UUID.randomUUID().toString().substring(0, 6);
        String id = post("/api/users", ADMIN, "{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\",\"roles\":[\"monitoring\"]}")
                .json().path("id").asText();
        String auth = basic(name, "long-enough-pw");
        assertEquals(id, get("/api/users/me", auth).json().path("id").asText());
        // a token needs the current password, and is shown once
        assertEquals(400, post("/api/users/me/tokens", auth, "{\"name\":\"ci\",\"validDays\":7}").status());
        Reply created = post("/api/users/me/tokens", auth, "{\"name\":\"ci\",\"validDays\":7,\"password\":\"long-enough-pw\"}");
        assertEquals(created.body(), 201, created.status());
        String bearer = "Bearer " + created.json().path("secret").asText();
        assertEquals(name, get("/api/users/me", bearer).json().path("username").asText());
        assertTrue(get("/api/users/me/tokens", auth).body().contains("\"ci\""));
        assertFalse(get("/api/users/me/tokens", auth).body().contains("vbt_"));
        // a token cannot change the password without the current one
        assertEquals(400, post("/api/users/me/password", bearer, "{\"password\":\"another-long-pw\"}").status());
        assertEquals(204, post("/api/users/me/password", auth,
                "{\"currentPassword\":\"long-enough-pw\",\"password\":\"another-long-pw\"}").status());
        // the new password revoked the token
        assertEquals(401, get("/api/users/me", bearer).status());
        assertEquals(200, get("/api/users/me", basic(name, "another-long-pw")).status());
    }

    @Test
    public void openApiDocumentListsTheFoundationPaths() {
        JsonNode paths = get("/api/openapi.json", null).json().path("paths");
        for (String p : List.of("/health", "/users", "/users/{id}", "/audit", "/openapi.json")) {
            assertTrue(p + " documented", paths.has(p));
        }
    }

    @Test
    public void aWriteIsAuditedWithWhoWhatAndOutcome() {
        String name = "it-" + UUID.randomUUID().toString().substring(0, 8);
        Reply created = post("/api/users", ADMIN,
                "{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\",\"roles\":[\"sid-operator\"]}");
        assertEquals(created.body(), 201, created.status());
        JsonNode entry = get("/api/audit?limit=5", ADMIN).json().path("items").get(0);
        assertEquals("admin", entry.path("subject").asText());
        assertEquals("POST /api/users", entry.path("action").asText());
        assertEquals("SUCCESS 201", entry.path("outcome").asText());
        assertEquals("/api/users/" + created.json().path("id").asText(), entry.path("target").asText());
        // the new user can log in, and an anonymous write is audited as denied
        assertEquals(200, get("/api/health", basic(name, "long-enough-pw")).status());
        assertEquals(401, post("/api/users", null, "{}").status());
        JsonNode denied = get("/api/audit?limit=1", ADMIN).json().path("items").get(0);
        assertEquals("DENIED 401", denied.path("outcome").asText());
    }

    @Test
    public void badInputGetsAClearProblemAndChangesNothing() {
        int before = countUsers();
        Reply malformed = post("/api/users", ADMIN, "{\"username\": \"x\",");
        assertEquals(400, malformed.status());
        assertTrue(malformed.json().path("detail").asText().startsWith("malformed JSON"));
        Reply wrongType = post("/api/users", ADMIN, "{\"username\": 42, \"password\": \"long-enough-pw\", \"roles\": [\"sid-operator\"]}");
        assertEquals(400, wrongType.status());
        assertTrue(wrongType.body(), wrongType.json().path("detail").asText().contains("'username'"));
        Reply unknown = post("/api/users", ADMIN, "{\"username\": \"zed\", \"colour\": \"red\"}");
        assertEquals(400, unknown.status());
        assertTrue(unknown.json().path("detail").asText().contains("unknown field 'colour'"));
        String huge = "{\"username\":\"" + "a".repeat(1024 * 1024 + 10) + "\"}";
        Reply tooLarge = post("/api/users", ADMIN, huge);
        assertEquals(413, tooLarge.status());
        assertTrue(tooLarge.json().path("detail").asText().contains("1 MiB"));
        Reply invalid = post("/api/users", ADMIN, "{\"username\": \"Q\", \"password\": \"short\", \"roles\": [\"wizard\"]}");
        assertEquals(400, invalid.status());
        assertEquals(3, invalid.json().path("errors").size());
        Reply badLimit = get("/api/users?limit=abc", ADMIN);
        assertEquals(400, badLimit.status());
        assertTrue(badLimit.json().path("detail").asText().contains("limit"));
        assertEquals(before, countUsers());
        assertEquals(404, get("/api/nothing-here", ADMIN).status());
    }

    @Test
    public void anotherAuthorityIsRefused() {
        String a = newAuthority();
        String b = newAuthority();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        assertEquals(201, post("/api/users", ADMIN, user("adm-a-" + suffix, a, "authority-admin")).status());
        Reply userB = post("/api/users", ADMIN, user("usr-b-" + suffix, b, "authority-user"));
        assertEquals(201, userB.status());
        String bId = userB.json().path("id").asText();
        String adminA = basic("adm-a-" + suffix, "long-enough-pw");
        // a foreign user looks exactly like an unknown one
        Reply foreign = get("/api/users/" + bId, adminA);
        assertEquals(404, foreign.status());
        assertEquals(404, get("/api/users/" + UUID.randomUUID(), adminA).status());
        assertEquals(403, get("/api/users?authorityId=" + b, adminA).status());
        assertEquals(403, post("/api/users", adminA, user("new-b-" + suffix, b, "authority-user")).status());
        assertEquals(201, post("/api/users", adminA, user("new-a-" + suffix, a, "authority-user")).status());
        JsonNode mine = get("/api/users", adminA).json().path("items");
        assertEquals(2, mine.size());
        for (JsonNode u : mine) {
            assertEquals(a, u.path("authorityId").asText());
        }
        assertEquals(403, get("/api/audit", adminA).status());
        // refusals are audited
        boolean audited = false;
        for (JsonNode e : get("/api/audit?limit=20", ADMIN).json().path("items")) {
            audited |= e.path("subject").asText().equals("adm-a-" + suffix) && e.path("outcome").asText().startsWith("DENIED");
        }
        assertTrue("refusal audited", audited);
    }

    @Test
    public void theShellUnlocksALockedAccount() throws Exception {
        String name = "lock-" + UUID.randomUUID().toString().substring(0, 6);
        assertEquals(201, post("/api/users", ADMIN, "{\"username\":\"" + name
                + "\",\"password\":\"long-enough-pw\",\"roles\":[\"monitoring\"]}").status());
        for (int i = 0; i < 5; i++) {
            assertEquals(401, get("/api/users/me", basic(name, "wrong-password")).status());
        }
        assertEquals(401, get("/api/users/me", basic(name, "long-enough-pw")).status());
        String out = executeCommand("verbund:user-unlock " + name);
        assertTrue(out, out.contains("unlocked " + name));
        assertEquals(200, get("/api/users/me", basic(name, "long-enough-pw")).status());
    }

    @Test
    public void shellCommandsShowHealthAndUsers() throws Exception {
        String health = executeCommand("verbund:health");
        assertTrue(health, health.contains("database") && health.contains("Overall: UP"));
        String users = executeCommand("verbund:users");
        assertTrue(users, users.contains("admin") && users.contains("sid-admin"));
        assertFalse(users, users.contains("$2y$"));
    }

    private static String user(String name, String authority, String role) {
        return "{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\",\"authorityId\":\"" + authority
                + "\",\"roles\":[\"" + role + "\"]}";
    }

    private static int countUsers() {
        List<String> names = new ArrayList<>();
        get("/api/users?limit=500", ADMIN).json().path("items").forEach(u -> names.add(u.path("username").asText()));
        return names.size();
    }

}

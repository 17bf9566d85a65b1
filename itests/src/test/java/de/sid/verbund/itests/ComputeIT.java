package de.sid.verbund.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** Compute in the real distribution: the demo test-driver hosts, placement, VM lifecycle over REST, isolation. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ComputeIT extends VerbundTestSupport {
    private static final String ADMIN = basic("admin", "admin");

    @Before
    public void waitForHosts() {
        await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            JsonNode hosts = get("/api/hosts", ADMIN).json();
            int enabled = 0;
            for (JsonNode h : hosts) {
                enabled += "ENABLED".equals(h.path("state").asText()) ? 1 : 0;
            }
            return enabled >= 3;
        });
    }

    private static String tenantUser(String role, String authority) {
        String name = role.substring(10) + "-" + UUID.randomUUID().toString().substring(0, 6);
        Reply r = post("/api/users", ADMIN, "{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\",\"authorityId\":\""
                + authority + "\",\"roles\":[\"" + role + "\"]}");
        assertEquals(r.body(), 201, r.status());
        return basic(name, "long-enough-pw");
    }

    private static Reply delete(String path, String auth) {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).DELETE(), auth);
    }

    @Test
    public void demoHostsReportTheirCapacityFromLibvirt() {
        JsonNode hosts = get("/api/hosts", ADMIN).json();
        assertEquals(3, hosts.size());
        for (JsonNode h : hosts) {
            assertTrue(h.toString(), h.path("cpuCores").asInt() > 0 && h.path("ramMib").asLong() > 0);
        }
        String hostId = hosts.get(0).path("id").asText();
        Reply unmanaged = get("/api/hosts/" + hostId + "/unmanaged", ADMIN);
        assertEquals(unmanaged.body(), 200, unmanaged.status());
        assertTrue(unmanaged.json().isArray());
        assertEquals(403, get("/api/hosts/" + hostId + "/unmanaged", basic("clerk", "clerk")).status());
        assertEquals(404, post("/api/hosts/" + hostId + "/unmanaged/" + UUID.randomUUID() + "/adopt", ADMIN,
                "{\"tenantId\":\"" + UUID.randomUUID() + "\",\"name\":\"x\"}").status());
        String out = get("/api/hosts", basic("operator", "operator")).body();
        assertTrue(out.contains("demo-small"));
        assertEquals(403, get("/api/hosts", basic("clerk", "clerk")).status());
    }

    @Test
    public void dryRunExplainsEveryHost() {
        Reply r = post("/api/placement/dry-run", ADMIN, "{\"vcpu\":2,\"ramMib\":65536,\"diskGib\":10}");
        assertEquals(r.body(), 200, r.status());
        JsonNode verdicts = r.json().path("verdicts");
        assertEquals(3, verdicts.size());
        assertTrue(r.json().path("hostId").asText().length() == 36);
        boolean refusedSmall = false;
        for (JsonNode v : verdicts) {
            if (v.path("hostName").asText().equals("demo-small")) {
                refusedSmall = !v.path("fits").asBoolean() && v.path("reason").asText().contains("needs 65536");
            }
        }
        assertTrue(r.body(), refusedSmall);
    }

    @Test
    public void anAuthorityRunsItsOwnVmsAndNobodyElseSeesThem() {
        String a = newAuthority();
        String userA = tenantUser("authority-user", a);
        String adminA = tenantUser("authority-admin", a);
        String userB = tenantUser("authority-user", newAuthority());
        String operator = basic("operator", "operator");
        // authorities get VMs through orders (quota, approvals); direct creation is SID staff's
        assertEquals(403, post("/api/vms", userA, "{\"name\":\"app-0\",\"vcpu\":2,\"ramMib\":2048,\"diskGib\":10}").status());
        assertEquals(403, post("/api/vms", adminA, "{\"name\":\"app-0\",\"vcpu\":2,\"ramMib\":2048,\"diskGib\":10}").status());
        Reply created = post("/api/vms", operator, "{\"name\":\"app-1\",\"tenantId\":\"" + a
                + "\",\"vcpu\":2,\"ramMib\":2048,\"diskGib\":10,\"image\":\"debian-12\"}");
        assertEquals(created.body(), 201, created.status());
        JsonNode vm = created.json();
        assertEquals("RUNNING", vm.path("state").asText());
        assertEquals(a, vm.path("tenantId").asText());
        String id = vm.path("id").asText();

        // another authority: the VM does not exist for it, whatever it tries
        assertEquals(404, get("/api/vms/" + id, userB).status());
        assertEquals(404, post("/api/vms/" + id + "/stop", userB, "").status());
        assertEquals(404, delete("/api/vms/" + id, userB).status());
        assertFalse(get("/api/vms", userB).body().contains(id));
        assertEquals(403, get("/api/vms?tenantId=" + a, userB).status());
        assertEquals(403, post("/api/vms", userB, "{\"name\":\"x\",\"tenantId\":\"" + a
                + "\",\"vcpu\":1,\"ramMib\":512,\"diskGib\":1}").status());

        // the owner operates it (stop, snapshots, start) but resizes and deletes only through orders
        assertEquals("STOPPED", post("/api/vms/" + id + "/stop", userA, "").json().path("state").asText());
        assertEquals(403, post("/api/vms/" + id + "/resize", userA, "{\"vcpu\":4,\"ramMib\":4096}").status());
        Reply resized = post("/api/vms/" + id + "/resize", operator, "{\"vcpu\":4,\"ramMib\":4096}");
        assertEquals(resized.body(), 200, resized.status());
        assertEquals(4096, resized.json().path("ramMib").asLong());
        assertEquals(404, post("/api/vms/" + id + "/resize", userB, "{\"vcpu\":1,\"ramMib\":512}").status());
        assertEquals(201, post("/api/vms/" + id + "/snapshots", userA, "{\"name\":\"base\"}").status());
        assertTrue(get("/api/vms/" + id + "/snapshots", userA).body().contains("\"base\""));
        assertEquals(404, get("/api/vms/" + id + "/snapshots", userB).status());
        assertEquals("RUNNING", post("/api/vms/" + id + "/start", userA, "").json().path("state").asText());
        assertEquals(409, post("/api/vms/" + id + "/resize", operator, "{\"vcpu\":2,\"ramMib\":2048}").status());
        assertTrue(get("/api/vms", userA).body().contains(id));
        assertTrue(get("/api/vms?tenantId=" + a, operator).body().contains(id));
        assertEquals(403, delete("/api/vms/" + id, userA).status());
        assertEquals("DELETED", delete("/api/vms/" + id, operator).json().path("state").asText());
        String metrics = get("/metrics", null).body();
        assertTrue(metrics.contains("verbund_compute_operations_total{operation=\"create\",outcome=\"ok\"}"));
        assertTrue(metrics.contains("verbund_compute_operation_duration_seconds_bucket{operation=\"start\""));
        assertTrue(metrics.contains("verbund_compute_host_up{host=\"demo-small\",site=\"ber-1\"} 1.0"));
        assertEquals(409, post("/api/vms/" + id + "/start", userA, "").status());

        // a viewer may look but not create
        String viewer = tenantUser("authority-viewer", a);
        assertEquals(200, get("/api/vms", viewer).status());
        assertEquals(403, post("/api/vms", viewer, "{\"name\":\"v\",\"vcpu\":1,\"ramMib\":512,\"diskGib\":1}").status());
    }

    @Test
    public void aVmThatFitsNowhereIsRefusedWithEveryHostsReason() {
        Reply r = post("/api/vms", ADMIN, "{\"name\":\"huge\",\"tenantId\":\"" + UUID.randomUUID()
                + "\",\"vcpu\":4,\"ramMib\":1000000,\"diskGib\":10}");
        assertEquals(409, r.status());
        String detail = r.json().path("detail").asText();
        assertTrue(detail, detail.startsWith("no capacity") && detail.contains("demo-small:")
                && detail.contains("demo-medium:") && detail.contains("demo-large:"));
        Reply bad = post("/api/vms", ADMIN, "{\"name\":\"Bad Name\",\"tenantId\":\"" + UUID.randomUUID()
                + "\",\"vcpu\":0,\"ramMib\":10,\"diskGib\":10}");
        assertEquals(400, bad.status());
        assertEquals(3, bad.json().path("errors").size());
        assertEquals(400, post("/api/vms", ADMIN, "{\"name\":\"x\",\"vcpu\":\"two\",\"ramMib\":512,\"diskGib\":1}").status());
    }

    @Test
    public void hostsInMaintenanceTakeNoNewVms() throws Exception {
        JsonNode hosts = get("/api/hosts", ADMIN).json();
        String small = null;
        try {
            for (JsonNode h : hosts) {
                if (!h.path("name").asText().equals("demo-small")) {
                    Reply m = post("/api/hosts/" + h.path("id").asText() + "/maintenance", ADMIN, "{\"maintenance\":true}");
                    assertEquals("MAINTENANCE", m.json().path("state").asText());
                } else {
                    small = h.path("id").asText();
                }
            }
            Reply vm = post("/api/vms", ADMIN, "{\"name\":\"maint-" + UUID.randomUUID().toString().substring(0, 6)
                    + "\",\"tenantId\":\"" + UUID.randomUUID() + "\",\"vcpu\":1,\"ramMib\":512,\"diskGib\":1}");
            assertEquals(vm.body(), 201, vm.status());
            assertEquals(small, vm.json().path("hostId").asText());
            String shell = executeCommand("verbund:host-list");
            assertTrue(shell, shell.contains("MAINTENANCE") && shell.contains("demo-small"));
            String vms = executeCommand("verbund:vm-list");
            assertTrue(vms, vms.contains(vm.json().path("id").asText()));
        } finally {
            for (JsonNode h : hosts) {
                post("/api/hosts/" + h.path("id").asText() + "/maintenance", ADMIN, "{\"maintenance\":false}");
            }
        }
    }
}

package de.sid.verbund.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * The catalogue in the real distribution with the demo tenants: an authority user orders, its
 * admin and SID operations approve, compute runs the VM (fulfilment over the compute.commands
 * queue), the user decommissions it; another authority sees nothing of it.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class CatalogIT extends VerbundTestSupport {
    private static final String ADMIN = basic("admin", "admin");
    private static final String OPERATOR = basic("operator", "operator");
    private static final String TAX_USER = basic("steuern-user", "steuern-user");
    private static final String TAX_ADMIN = basic("steuern-admin", "steuern-admin");
    private static final String STATS_ADMIN = basic("statistik-admin", "statistik-admin");

    @Before
    public void waitForCatalogueAndHosts() {
        await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> {
            JsonNode hosts = get("/api/hosts", ADMIN).json();
            int enabled = 0;
            for (JsonNode h : hosts) {
                enabled += "ENABLED".equals(h.path("state").asText()) ? 1 : 0;
            }
            return enabled >= 3 && get("/api/offerings", TAX_USER).status() == 200;
        });
    }

    private static JsonNode awaitOrder(String id, String auth, String state) {
        JsonNode o = await("order " + state).atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(250))
                .until(() -> get("/api/orders/" + id, auth).json(), x -> state.equals(x.path("state").asText())
                        || List.of("FULFILLED", "FAILED", "REJECTED", "CANCELLED").contains(x.path("state").asText()));
        assertEquals(o.toString(), state, o.path("state").asText());
        return o;
    }

    @Test
    public void anOrderGoesFromSubmissionThroughTwoApprovalsToARunningVmAndIsDecommissioned() {
        JsonNode offerings = get("/api/offerings", TAX_USER).json().path("items");
        assertEquals(offerings.toString(), 4, offerings.size());
        assertEquals("vm-xl", offerings.get(3).path("code").asText());
        String name = "app-" + UUID.randomUUID().toString().substring(0, 6);

        Reply submitted = post("/api/orders", TAX_USER, "{\"offering\":\"vm-xl\",\"name\":\"" + name + "\"}");
        assertEquals(submitted.body(), 201, submitted.status());
        JsonNode order = submitted.json().path("order");
        String id = order.path("id").asText();
        assertEquals("SUBMITTED", order.path("state").asText());
        assertEquals(1, order.path("offered").path("version").asInt());

        // another authority: the order does not exist for it; the requester may not approve it
        assertEquals(404, get("/api/orders/" + id, STATS_ADMIN).status());
        assertEquals(404, post("/api/orders/" + id + "/approve", STATS_ADMIN, "{}").status());
        assertFalse(get("/api/orders", STATS_ADMIN).body().contains(id));
        assertEquals(403, post("/api/orders/" + id + "/approve", TAX_USER, "{}").status());
        assertEquals(403, post("/api/orders/" + id + "/approve", OPERATOR, "{}").status());

        Reply first = post("/api/orders/" + id + "/approve", TAX_ADMIN, "{\"comment\":\"for the e-file project\"}");
        assertEquals(first.body(), 200, first.status());
        assertEquals("SUBMITTED", first.json().path("state").asText());
        Reply second = post("/api/orders/" + id + "/approve", OPERATOR, "{}");
        assertEquals(second.body(), 200, second.status());

        JsonNode done = awaitOrder(id, TAX_USER, "FULFILLED");
        String vmId = done.path("vmIds").get(0).asText();
        JsonNode vm = get("/api/vms/" + vmId, TAX_USER).json();
        assertEquals("RUNNING", vm.path("state").asText());
        assertEquals(name, vm.path("name").asText());
        assertEquals("vm-xl", vm.path("offeringId").asText());
        assertEquals(8, vm.path("vcpu").asInt());
        JsonNode transitions = get("/api/orders/" + id + "/transitions", TAX_USER).json();
        assertEquals(transitions.toString(), 5, transitions.size());
        assertEquals("FULFILLED", transitions.get(4).path("to").asText());

        // decommissioning: a foreign VM id is answered like a random one; the own VM goes, its quota with it
        String foreign = post("/api/orders", STATS_ADMIN, "{\"kind\":\"DECOMMISSION\",\"vmIds\":[\"" + vmId + "\"]}").body();
        String random = UUID.randomUUID().toString();
        String unknown = post("/api/orders", STATS_ADMIN, "{\"kind\":\"DECOMMISSION\",\"vmIds\":[\"" + random + "\"]}").body();
        assertEquals(unknown.replace(random, "ID"), foreign.replace(vmId, "ID"));
        assertTrue(foreign, foreign.contains("\"status\":404"));
        Reply decommission = post("/api/orders", TAX_USER, "{\"kind\":\"DECOMMISSION\",\"vmIds\":[\"" + vmId + "\"]}");
        assertEquals(decommission.body(), 201, decommission.status());
        awaitOrder(decommission.json().path("order").path("id").asText(), TAX_USER, "FULFILLED");
        assertEquals("DELETED", get("/api/vms/" + vmId, TAX_USER).json().path("state").asText());
    }

    @Test
    public void aSmallVmNeedsNoApprovalAndOwnApprovalIsRefused() throws Exception {
        Reply s = post("/api/orders", TAX_USER, "{\"offering\":\"vm-s\",\"quantity\":2,\"name\":\"tmp-"
                + UUID.randomUUID().toString().substring(0, 6) + "\"}");
        assertEquals(s.body(), 201, s.status());
        assertEquals("PROVISIONING", s.json().path("order").path("state").asText());
        JsonNode done = awaitOrder(s.json().path("order").path("id").asText(), TAX_USER, "FULFILLED");
        assertEquals(2, done.path("vmIds").size());

        Reply m = post("/api/orders", TAX_ADMIN, "{\"offering\":\"vm-m\",\"name\":\"own-" + UUID.randomUUID().toString().substring(0, 6)
                + "\"}");
        String id = m.json().path("order").path("id").asText();
        Reply own = post("/api/orders/" + id + "/approve", TAX_ADMIN, "{}");
        assertEquals(own.body(), 403, own.status());
        assertTrue(own.body(), own.body().contains("may not approve their own order"));
        assertEquals("CANCELLED", post("/api/orders/" + id + "/cancel", TAX_ADMIN, "").json().path("state").asText());
        assertEquals(409, post("/api/orders/" + id + "/approve", TAX_ADMIN, "{}").status());
        assertEquals(403, post("/api/offerings", TAX_ADMIN, "{\"code\":\"x\",\"name\":\"x\",\"sizing\":{\"vcpu\":1,"
                + "\"ramMib\":512,\"diskGib\":1}}").status());

        // the console cancels a waiting order too
        Reply w = post("/api/orders", TAX_USER, "{\"offering\":\"vm-m\",\"name\":\"wait-" + UUID.randomUUID().toString()
                .substring(0, 6) + "\"}");
        String waiting = w.json().path("order").path("id").asText();
        assertTrue(executeCommand("verbund:order-cancel " + waiting).contains("is CANCELLED"));
        assertEquals("CANCELLED", get("/api/orders/" + waiting, TAX_USER).json().path("state").asText());
    }
}

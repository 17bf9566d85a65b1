package de.sid.verbund.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.monitoring.MetricSample;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.PollObserver;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.trap.TrapEvents;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.ops4j.pax.exam.util.Filter;

/**
 * Alarms in the real distribution: trap events published on the container's own event bus (as
 * the trap receiver publishes them) become alarms, listed, acknowledged and cleared over REST
 * and the shell; authority users are refused; {@code verbund_alarms_active} is exposed.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AlarmsIT extends VerbundTestSupport {
    private static final String ADMIN = basic("admin", "admin");

    @Inject
    protected EventBus bus;

    @Inject
    @Filter("(component.name=de.sid.verbund.alarms.core.internal.ThresholdComponent)")
    protected PollObserver rules;

    @Before
    public void waitForHealthy() {
        await().atMost(90, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> get("/api/alarms", ADMIN).status() == 200);
    }

    /** A linkDown trap from an address no device has. */
    private static DomainEvent linkDown(String address, int ifIndex) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(TrapEvents.TRAP, TrapEvents.LINK_DOWN);
        p.put(TrapEvents.TRAP_OID, "1.3.6.1.6.3.1.1.5.3");
        p.put(TrapEvents.SOURCE, address + ":50162");
        p.put(TrapEvents.AGENT_ADDRESS, address);
        p.put(TrapEvents.VERSION, "v2c");
        p.put(TrapEvents.INFORM, false);
        p.put(TrapEvents.IF_INDEX, ifIndex);
        p.put(TrapEvents.VARBINDS, List.of(Map.of("oid", "1.3.6.1.2.1.31.1.1.1.1." + ifIndex, "type", "OctetString",
                "value", "Gi0/" + ifIndex)));
        return new DomainEvent(UUID.randomUUID(), TrapEvents.TYPE, Instant.now(), null, p);
    }

    /** Publishes a trap (the subscription may still be starting: again until its alarm is there). @return the alarm */
    private JsonNode trapAlarm(String address, int ifIndex) {
        DomainEvent trap = linkDown(address, ifIndex);
        return await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode items = get("/api/alarms?device=" + address + "&state=open", ADMIN).json().path("items");
            for (JsonNode a : items) {
                if (a.path("key").asText().endsWith("ifIndex=" + ifIndex)) {
                    return a;
                }
            }
            bus.publish(TrapEvents.TOPIC, new DomainEvent(UUID.randomUUID(), trap.type(), Instant.now(), null,
                    trap.payload()));
            return null;
        }, a -> a != null);
    }

    @Test
    public void aTrapBecomesAnAlarmThatIsAcknowledgedAndClearedOverRest() {
        String address = "192.0.2." + (10 + (int) (Math.random() * 200));
        JsonNode alarm = trapAlarm(address, 3);
        String id = alarm.path("id").asText();

        assertEquals("interfaceDown", alarm.path("type").asText());
        assertEquals("MAJOR", alarm.path("severity").asText());
        assertEquals(address + ": interface 3 (Gi0/3) down", alarm.path("description").asText());
        Reply ack = post("/api/alarms/" + id + "/ack", ADMIN, "{\"note\":\"on it\"}");
        assertEquals(ack.body(), 200, ack.status());
        assertEquals("ACKNOWLEDGED", ack.json().path("state").asText());
        assertEquals("admin", ack.json().path("acknowledgedBy").asText());
        Reply again = post("/api/alarms/" + id + "/ack", ADMIN, "{}");
        assertEquals(again.body(), 409, again.status());
        assertTrue(again.contentType(), again.contentType().startsWith("application/problem+json"));
        Reply clear = post("/api/alarms/" + id + "/clear", ADMIN, "");
        assertEquals(clear.body(), 200, clear.status());
        assertEquals("CLEARED", clear.json().path("state").asText());
        JsonNode detail = get("/api/alarms/" + id, ADMIN).json();
        assertEquals(id, detail.path("id").asText());
        assertEquals(3, detail.path("history").size());
        assertEquals("trap", detail.path("history").get(0).path("by").asText());
        assertEquals(404, get("/api/alarms/" + UUID.randomUUID(), ADMIN).status());
        assertEquals(400, get("/api/alarms?severity=severe", ADMIN).status());
    }

    @Test
    public void theShippedRulesRaiseAnAlarmForADeviceThatStopsAnswering() {
        Device device = new Device(UUID.randomUUID().toString(), "it-sw-" + UUID.randomUUID().toString().substring(0, 6),
                "192.0.2.1", 161, "dc1", DeviceKind.SWITCH, 60, List.of(), UUID.randomUUID().toString(), Instant.now());
        List<MetricSample> down = List.of(new MetricSample("verbund_device_up", MetricSample.Kind.GAUGE, "up",
                Map.of("device", device.name(), "site", "dc1"), 0));
        Instant[] at = {Instant.now()};
        // polls every second until the rules (loaded from monitoring/alarm-rules.yaml) have seen three in a row
        JsonNode alarm = await().atMost(60, TimeUnit.SECONDS).pollInterval(Duration.ofSeconds(1)).until(() -> {
            JsonNode items = get("/api/alarms?device=" + device.name(), ADMIN).json().path("items");
            if (items.size() > 0) {
                return items.get(0);
            }
            at[0] = at[0].plusSeconds(60);
            rules.polled(device, new PollSummary(device.id(), device.name(), false, at[0], 2000, 1, 0, 0, "timeout"), down);
            return null;
        }, a -> a != null);

        assertEquals("deviceUnreachable", alarm.path("type").asText());
        assertEquals("MAJOR", alarm.path("severity").asText());
        assertEquals(device.name() + " could not be polled (3 polls in a row; its status says why)", alarm.path("description").asText());
        assertEquals(device.id(), alarm.path("sourceId").asText());
    }

    @Test
    public void authorityUsersAreRefused() {
        String name = "alarm-user-" + UUID.randomUUID().toString().substring(0, 6);
        Reply created = post("/api/users", ADMIN, "{\"username\":\"" + name + "\",\"password\":\"long-enough-pw\","
                + "\"authorityId\":\"" + newAuthority() + "\",\"roles\":[\"authority-admin\"]}");
        assertEquals(created.body(), 201, created.status());
        String user = basic(name, "long-enough-pw");

        Reply list = get("/api/alarms", user);
        assertEquals(list.body(), 403, list.status());
        assertEquals(403, post("/api/alarms/" + UUID.randomUUID() + "/ack", user, "{}").status());
    }

    @Test
    public void theShellListsAndAcknowledgesAndMetricsCountOpenAlarms() throws Exception {
        String address = "198.51.100." + (10 + (int) (Math.random() * 200));
        String id = trapAlarm(address, 7).path("id").asText();

        String list = executeCommand("verbund:alarm-list --device " + address);
        assertTrue(list, list.contains(id) && list.contains("interfaceDown") && list.contains("major"));
        String ack = executeCommand("verbund:alarm-ack --note shell-test " + id);
        assertTrue(ack, ack.contains("acknowledged " + id));
        JsonNode acked = get("/api/alarms/" + id, ADMIN).json();
        assertEquals("ACKNOWLEDGED", acked.path("state").asText());
        assertTrue(acked.path("acknowledgedBy").asText(), acked.path("acknowledgedBy").asText().startsWith("shell"));
        String metrics = get("/metrics", null).body();
        assertTrue(metrics, metrics.contains("verbund_alarms_active{severity=\"major\",state=\"acknowledged\"}"));
        assertTrue(get("/api/openapi.json", null).json().path("paths").has("/alarms/{id}/ack"));
    }
}

package de.sid.verbund.monitoring.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.WalkEnd;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.DevicePoller;
import de.sid.verbund.monitoring.inventory.DeviceState;
import de.sid.verbund.monitoring.inventory.DeviceStatus;
import de.sid.verbund.monitoring.inventory.DeviceWalk;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.monitoring.smi.VarBind;
import de.sid.verbund.testsupport.FakeAccess;
import de.sid.verbund.testsupport.FakeInventory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

/**
 * Who may use {@code /api/devices} and {@code /api/credentials}: SID staff with {@code monitoring:*}
 * (monitoring, operators) read and write; authority users, admins and viewers and billing clerks
 * are refused (403) before the inventory is asked. Secrets never come back.
 */
class MonitoringResourcesTest {
    private static final String COMMUNITY = "very-secret-community";
    private final FakeInventory inventory = new FakeInventory();

    @Test
    void monitoringStaffAndOperatorsRegisterListAndDelete() throws Exception {
        FakeAccess monitoring = FakeAccess.monitoring();
        CredentialsResource credentials = new CredentialsResource(inventory, monitoring);
        DevicesResource devices = new DevicesResource(inventory, FakeAccess.sidOperator());

        Response created = credentials.create(new NewCredential("dc1", "v2c", COMMUNITY, null, null, null, null, null));
        Credential cr = (Credential) created.getEntity();
        Response dev = devices.create(new NewDevice("sw-1", "10.0.0.1", null, "dc1", "switch", null, null, cr.id()));
        Device d = (Device) dev.getEntity();

        assertThat(created.getStatus()).isEqualTo(201);
        assertThat(created.getHeaderString("Location")).isEqualTo("/api/credentials/" + cr.id());
        assertThat(dev.getStatus()).isEqualTo(201);
        assertThat(dev.getHeaderString("Location")).isEqualTo("/api/devices/" + d.id());
        assertThat(new DevicesResource(inventory, monitoring).list(null, null).items()).containsExactly(d);
        assertThat(new DevicesResource(inventory, monitoring).get(d.id())).isEqualTo(DeviceDetail.of(d, null));
        assertThat(new ObjectMapper().findAndRegisterModules().writeValueAsString(List.of(credentials.list(),
                credentials.get(cr.id()), created.getEntity()))).doesNotContain(COMMUNITY);
        assertThat(new DevicesResource(inventory, monitoring).delete(d.id()).getStatus()).isEqualTo(204);
        assertThat(credentials.delete(cr.id()).getStatus()).isEqualTo(204);
        assertThat(monitoring.refused).isEmpty();
        assertThat(catchThrowableOfType(() -> devices.get(d.id()), ProblemException.class).type())
                .isEqualTo(ProblemType.NOT_FOUND);
    }

    @Test
    void authorityUsersAndOtherStaffAreRefusedEverything() {
        Credential cr = inventory.createCredential(new NewCredential("c", "v2c", COMMUNITY, null, null, null, null, null));
        Device d = inventory.createDevice(new NewDevice("sw-1", "10.0.0.1", null, "dc1", "switch", null, null, cr.id()));
        int calls = inventory.calls.size();
        String authority = UUID.randomUUID().toString();

        for (FakeAccess who : List.of(FakeAccess.authorityUser(authority), FakeAccess.authorityAdmin(authority),
                FakeAccess.authorityViewer(authority), FakeAccess.billingClerk())) {
            DevicesResource devices = new DevicesResource(inventory, who);
            CredentialsResource credentials = new CredentialsResource(inventory, who);
            List<Runnable> attempts = List.of(() -> devices.list(null, null), () -> devices.get(d.id()),
                    () -> devices.create(new NewDevice("x", "10.0.0.9", null, "dc1", "ups", null, null, cr.id())),
                    () -> devices.delete(d.id()), () -> devices.poll(d.id()), () -> devices.status(d.id()),
                    () -> devices.walk(d.id(), "1.3.6.1.2.1.1", null), credentials::list,
                    () -> credentials.get(cr.id()),
                    () -> credentials.create(new NewCredential("y", "v1", "c", null, null, null, null, null)),
                    () -> credentials.delete(cr.id()));
            for (Runnable attempt : attempts) {
                assertThat(catchThrowableOfType(attempt::run, ProblemException.class).type())
                        .as("%s", who.requireCaller().roles()).isEqualTo(ProblemType.FORBIDDEN);
            }
            assertThat(who.refused).hasSize(attempts.size()).allMatch(r -> r.startsWith("monitoring:"));
        }
        assertThat(inventory.calls).hasSize(calls);
    }

    @Test
    void pollNowAnswersTheOutcomeOr503WithoutAPoller() {
        Credential cr = inventory.createCredential(new NewCredential("c", "v2c", COMMUNITY, null, null, null, null, null));
        Device d = inventory.createDevice(new NewDevice("sw-1", "10.0.0.1", null, "dc1", "switch", null, null, cr.id()));
        DevicesResource devices = new DevicesResource(inventory, FakeAccess.monitoring());

        ProblemException none = catchThrowableOfType(() -> devices.poll(d.id()), ProblemException.class);
        devices.poller = dev -> CompletableFuture.completedFuture(new PollSummary(dev.id(), dev.name(), false,
                Instant.now(), 2000, 2, 0, 0, "timeout"));
        PollSummary s = devices.poll(d.id());

        assertThat(none.type()).isEqualTo(ProblemType.UNAVAILABLE);
        // a poller that does not know the device yet: not polled
        assertThat(devices.status(d.id()).polled()).isFalse();
        assertThat(s.device()).isEqualTo("sw-1");
        assertThat(s.up()).isFalse();
        assertThat(catchThrowableOfType(() -> devices.poll(UUID.randomUUID().toString()), ProblemException.class).type())
                .isEqualTo(ProblemType.NOT_FOUND);
    }

    @Test
    void aProfileSetByHandMustBeOneThePollerHas() {
        Credential cr = inventory.createCredential(new NewCredential("c", "v2c", COMMUNITY, null, null, null, null, null));
        DevicesResource devices = new DevicesResource(inventory, FakeAccess.monitoring());
        StatePoller poller = new StatePoller();
        devices.poller = poller;
        // while the poller has loaded no profiles, names cannot be checked: accepted
        assertThat(devices.create(new NewDevice("sw-0", "10.0.0.9", null, "dc1", "switch", null, List.of("later"), cr.id()))
                .getStatus()).isEqualTo(201);
        poller.profiles = java.util.Set.of("system", "if_mib");

        ProblemException e = catchThrowableOfType(() -> devices.create(new NewDevice("sw-1", "10.0.0.1", null, "dc1",
                "switch", null, List.of("system", "nope"), cr.id())), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(e.getMessage()).contains("unknown profile(s) [nope]", "[if_mib, system]");
        assertThat(inventory.allDevices()).extracting(Device::name).containsExactly("sw-0");
        assertThat(devices.create(new NewDevice("sw-1", "10.0.0.1", null, "dc1", "switch", null, List.of("if_mib"),
                cr.id())).getStatus()).isEqualTo(201);
    }

    @Test
    void badLimitsAreBadRequests() {
        DevicesResource devices = new DevicesResource(inventory, FakeAccess.monitoring());
        assertThat(catchThrowableOfType(() -> devices.list("0", null), ProblemException.class).type())
                .isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(catchThrowableOfType(() -> devices.list("ten", null), ProblemException.class).type())
                .isEqualTo(ProblemType.BAD_REQUEST);
    }

    /** A poller that knows one device's state and walks by echoing what it was asked. */
    private static final class StatePoller implements DevicePoller {
        final Map<String, DeviceState> states = new HashMap<>();
        final List<String> walks = new ArrayList<>();
        java.util.Set<String> profiles = java.util.Set.of();

        @Override
        public java.util.Set<String> profileNames() {
            return profiles;
        }

        @Override
        public CompletionStage<PollSummary> pollNow(Device device) {
            return CompletableFuture.failedFuture(new IllegalStateException("not used"));
        }

        @Override
        public Optional<DeviceState> state(String deviceId) {
            return Optional.ofNullable(states.get(deviceId));
        }

        @Override
        public CompletionStage<DeviceWalk> walk(Device device, Oid root, int limit) {
            walks.add(device.name() + " " + root + " " + limit);
            return CompletableFuture.completedFuture(DeviceWalk.of(device.name(), new WalkResult(root,
                    List.of(new VarBind(root.append(0), SnmpValue.OctetString.ofUtf8("Ethernet1")),
                            new VarBind(root.append(1), new SnmpValue.OctetString(new byte[] {(byte) 0xfa, 0x16, 0x3e, 0, 0x0a}))),
                    WalkEnd.END_OF_SUBTREE, "", 1), limit));
        }
    }

    private static final ObjectMapper API_JSON = new ObjectMapper().findAndRegisterModules()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    @Test
    void aDeviceComesWithItsStateAndWithoutTheSectionsItDoesNotHave() throws Exception {
        Credential cr = inventory.createCredential(new NewCredential("c", "v2c", COMMUNITY, null, null, null, null, null));
        Device sw = inventory.createDevice(new NewDevice("sw-1", "10.0.0.1", null, "dc1", "switch", null, null, cr.id()));
        Device ups = inventory.createDevice(new NewDevice("ups-1", "10.0.0.2", null, "dc1", "ups", null, null, cr.id()));
        Device fresh = inventory.createDevice(new NewDevice("new-1", "10.0.0.3", null, "dc1", "pdu", null, null, cr.id()));
        DevicesResource devices = new DevicesResource(inventory, FakeAccess.monitoring());
        StatePoller poller = new StatePoller();
        devices.poller = poller;
        DeviceStatus up = new DeviceStatus(sw.id(), "sw-1", true, true, Instant.parse("2026-11-29T10:00:00Z"), 12, 3, 0,
                "Arista Networks EOS", "1.3.6.1.4.1.30065", 4938L, 900, null);
        poller.states.put(sw.id(), new DeviceState(up, List.of(new DeviceState.InterfaceState(1, "Ethernet1", "Ethernet1",
                "uplink", "ethernetCsmacd", "00:1c:73:b3:bd:72", "up", "up", 1_000_000_000L, 125_000.0, 12_500.0, 0.1, 0.01,
                0.0, 0.0, 0.0, 0.0)), List.of(new DeviceState.SensorState(100006001, "", "Cpu temp sensor", "celsius", 41.8,
                "°C", "ok")), null));
        poller.states.put(ups.id(), new DeviceState(up, List.of(), List.of(), new DeviceState.UpsState("EATON", null,
                "batteryNormal", 100.0, 2580.0, 0.0, 81.0, null, "battery", true, 59.0, 50.0, 0, List.of(), List.of())));

        JsonNode s = API_JSON.readTree(API_JSON.writeValueAsString(devices.get(sw.id())));
        JsonNode u = API_JSON.readTree(API_JSON.writeValueAsString(devices.get(ups.id())));
        JsonNode f = API_JSON.readTree(API_JSON.writeValueAsString(devices.get(fresh.id())));

        assertThat(s.path("name").asText()).isEqualTo("sw-1");
        assertThat(s.path("origin").asText()).isEqualTo("API");
        assertThat(s.path("status").path("sysDescr").asText()).isEqualTo("Arista Networks EOS");
        assertThat(s.path("interfaces").get(0).path("ifName").asText()).isEqualTo("Ethernet1");
        assertThat(s.path("interfaces").get(0).path("speedBitsPerSecond").asLong()).isEqualTo(1_000_000_000L);
        assertThat(s.path("interfaces").get(0).path("inUtilizationPercent").asDouble()).isEqualTo(0.1);
        assertThat(s.path("sensors").get(0).path("value").asDouble()).isEqualTo(41.8);
        assertThat(s.path("sensors").get(0).path("unit").asText()).isEqualTo("°C");
        assertThat(s.has("ups")).isFalse();
        assertThat(u.path("ups").path("onBattery").asBoolean()).isTrue();
        assertThat(u.path("ups").path("chargePercent").asDouble()).isEqualTo(100.0);
        assertThat(u.has("interfaces")).isFalse();
        assertThat(u.has("sensors")).isFalse();
        // not polled yet: its status says so, no sections
        assertThat(f.path("status").path("polled").asBoolean()).isFalse();
        assertThat(f.has("interfaces") || f.has("sensors") || f.has("ups")).isFalse();
        assertThat(API_JSON.writeValueAsString(List.of(devices.get(sw.id()), devices.get(ups.id())))).doesNotContain(COMMUNITY);
    }

    @Test
    void aWalkPassesTheSubtreeAndLimitAndRefusesBadOnes() throws Exception {
        Credential cr = inventory.createCredential(new NewCredential("c", "v2c", COMMUNITY, null, null, null, null, null));
        Device sw = inventory.createDevice(new NewDevice("sw-1", "10.0.0.1", null, "dc1", "switch", null, null, cr.id()));
        DevicesResource devices = new DevicesResource(inventory, FakeAccess.sidOperator());
        ProblemException noPoller = catchThrowableOfType(() -> devices.walk(sw.id(), "1.3.6.1.2.1.1", null),
                ProblemException.class);
        StatePoller poller = new StatePoller();
        devices.poller = poller;

        DeviceWalk w = devices.walk(sw.id(), ".1.3.6.1.2.1.2.2.1.2", "1");
        devices.walk(sw.id(), "1.3.6.1.2.1.2.2.1.2", null);

        assertThat(noPoller.type()).isEqualTo(ProblemType.UNAVAILABLE);
        assertThat(poller.walks).containsExactly("sw-1 1.3.6.1.2.1.2.2.1.2 1", "sw-1 1.3.6.1.2.1.2.2.1.2 1000");
        assertThat(w.rows()).singleElement().isEqualTo(new DeviceWalk.Row("1.3.6.1.2.1.2.2.1.2.0", "OctetString", "Ethernet1",
                false));
        assertThat(w.truncated()).isTrue();
        assertThat(devices.walk(sw.id(), "1.3.6.1.2.1.2.2.1.2", "5").rows().get(1))
                .isEqualTo(new DeviceWalk.Row("1.3.6.1.2.1.2.2.1.2.1", "OctetString", "0xFA163E000A", true));
        for (String[] bad : new String[][] {{"1.3.six", null}, {"1..3", null},
            {"1.3.6.1", "0"}, {"1.3.6.1", "10001"}, {"1.3.6.1", "many"}}) {
            assertThat(catchThrowableOfType(() -> devices.walk(sw.id(), bad[0], bad[1]), ProblemException.class).type())
                    .as("oid %s limit %s", bad[0], bad[1]).isEqualTo(ProblemType.BAD_REQUEST);
        }
        assertThat(poller.walks).hasSize(3);
        // no oid: the system group, as the shell's device-walk
        devices.walk(sw.id(), null, null);
        devices.walk(sw.id(), " ", "2");
        assertThat(poller.walks).endsWith("sw-1 1.3.6.1.2.1.1 1000", "sw-1 1.3.6.1.2.1.1 2");
        assertThat(catchThrowableOfType(() -> devices.walk(UUID.randomUUID().toString(), "1.3.6.1", null),
                ProblemException.class).type()).isEqualTo(ProblemType.NOT_FOUND);
        // an unknown device is unknown whatever else is wrong with the request
        assertThat(catchThrowableOfType(() -> devices.walk(UUID.randomUUID().toString(), "1..3", "0"),
                ProblemException.class).type()).isEqualTo(ProblemType.NOT_FOUND);
    }

    @Test
    void aDeviceFromTheDevicesFileIsNotDeletedThroughTheApi() {
        Credential cr = inventory.createCredential(new NewCredential("c", "v2c", COMMUNITY, null, null, null, null, null));
        Device file = new Device(UUID.randomUUID().toString(), "file-1", "10.0.0.5", 161, "dc1", DeviceKind.SENSOR, 60,
                List.of(), cr.id(), Instant.now(), Device.Origin.FILE);
        inventory.devices.put(file.id(), file);
        DevicesResource devices = new DevicesResource(inventory, FakeAccess.monitoring());

        ProblemException e = catchThrowableOfType(() -> devices.delete(file.id()), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(e.getMessage()).contains("devices file");
        assertThat(inventory.devices).containsKey(file.id());
    }
}

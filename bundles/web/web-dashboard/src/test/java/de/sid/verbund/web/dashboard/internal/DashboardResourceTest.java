package de.sid.verbund.web.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.DevicePoller;
import de.sid.verbund.monitoring.inventory.DeviceStatus;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.FakeAccess;
import de.sid.verbund.testsupport.FakeInventory;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may use {@code /api/dashboard} and what the overview says: monitoring staff and operators
 * see every device with its state and the counts per kind; authority users, admins, viewers
 * and billing clerks are refused (403), for the overview and the event stream alike.
 */
class DashboardResourceTest {
    final FakeInventory inventory = new FakeInventory();
    DashboardEvents events;

    /** The bus is not used here: the events component only subscribes (in the background) and is told of polls directly. */
    static EventBus noBus() {
        return (EventBus) Proxy.newProxyInstance(EventBus.class.getClassLoader(), new Class<?>[] {EventBus.class},
                (proxy, method, args) -> {
                    throw new IllegalStateException("broker not started");
                });
    }

    @BeforeEach
    void setUp() {
        events = new DashboardEvents(noBus(), Configs.of(DashboardConfig.class));
        inventory.devices.put("d-1", new Device("d-1", "sw-1", "127.0.0.1", 161, "dc1", DeviceKind.SWITCH, 60, List.of(),
                "c", Instant.now()));
        inventory.devices.put("d-2", new Device("d-2", "ups-1", "127.0.0.1", 161, "dc1", DeviceKind.UPS, 60, List.of(),
                "c", Instant.now()));
        inventory.devices.put("d-3", new Device("d-3", "ups-2", "127.0.0.1", 161, "dc2", DeviceKind.UPS, 60, List.of(),
                "c", Instant.now()));
        inventory.devices.put("d-4", new Device("d-4", "pdu-1", "127.0.0.1", 161, "dc1", DeviceKind.PDU, 60, List.of(),
                "c", Instant.now()));
    }

    @AfterEach
    void tearDown() {
        events.deactivate();
    }

    private DashboardResource resource(FakeAccess access) {
        DashboardResource r = new DashboardResource(inventory, access, events);
        Instant at = Instant.parse("2026-11-29T10:00:00Z");
        Map<String, DeviceStatus> status = Map.of(
                "d-1", new DeviceStatus("d-1", "sw-1", true, true, at, 5, 3, 0, "HP", "1.3.6.1.4.1.11", 100L, 400, null),
                "d-2", new DeviceStatus("d-2", "ups-1", true, false, at, 300, 3, 3, null, null, null, 0, "no answer"),
                "d-3", new DeviceStatus("d-3", "ups-2", true, true, at, 5, 3, 0, "Eaton", "1.3.6.1.4.1.705", 100L, 40, null));
        r.poller = new DevicePoller() {
            @Override
            public CompletionStage<PollSummary> pollNow(Device device) {
                return CompletableFuture.failedFuture(new IllegalStateException("not here"));
            }

            @Override
            public Optional<DeviceStatus> status(String deviceId) {
                return Optional.ofNullable(status.get(deviceId));
            }
        };
        return r;
    }

    @Test
    void monitoringStaffSeeEveryDeviceWithItsStateAndTheCountsPerKind() {
        for (FakeAccess who : List.of(FakeAccess.monitoring(), FakeAccess.sidOperator())) {
            DashboardResource.Overview o = resource(who).overview();

            assertThat(o.devices()).extracting(DashboardResource.DeviceEntry::name, DashboardResource.DeviceEntry::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("pdu-1", "unknown"),
                            org.assertj.core.groups.Tuple.tuple("sw-1", "up"), org.assertj.core.groups.Tuple.tuple("ups-1", "down"),
                            org.assertj.core.groups.Tuple.tuple("ups-2", "up"));
            assertThat(o.devices().get(2).problem()).isEqualTo("no answer");
            assertThat(o.kinds()).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of(
                    "pdu", new DashboardResource.KindCount(0, 0, 1), "switch", new DashboardResource.KindCount(1, 0, 0),
                    "ups", new DashboardResource.KindCount(1, 1, 0))));
            EventStreamAccess.check(who);
            assertThat(who.refused).isEmpty();
        }
    }

    @Test
    void authorityUsersAndClerksAreRefused() {
        String authority = UUID.randomUUID().toString();
        for (FakeAccess who : List.of(FakeAccess.authorityAdmin(authority), FakeAccess.authorityUser(authority),
                FakeAccess.authorityViewer(authority), FakeAccess.billingClerk())) {
            DashboardResource r = resource(who);
            assertThatThrownBy(r::overview).isInstanceOfSatisfying(ProblemException.class,
                    e -> assertThat(e.type()).isEqualTo(ProblemType.FORBIDDEN));
            assertThatThrownBy(() -> EventStreamAccess.check(who)).isInstanceOfSatisfying(ProblemException.class,
                    e -> assertThat(e.type()).isEqualTo(ProblemType.FORBIDDEN));
            assertThat(who.refused).hasSize(2);
        }
    }
}

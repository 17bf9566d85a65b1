package de.sid.verbund.monitoring.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.testsupport.FakeAccess;
import de.sid.verbund.testsupport.FakeInventory;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
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
        assertThat(new DevicesResource(inventory, monitoring).get(d.id())).isEqualTo(d);
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
                    () -> devices.delete(d.id()), () -> devices.poll(d.id()), () -> devices.status(d.id()), credentials::list,
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
    void badLimitsAreBadRequests() {
        DevicesResource devices = new DevicesResource(inventory, FakeAccess.monitoring());
        assertThat(catchThrowableOfType(() -> devices.list("0", null), ProblemException.class).type())
                .isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(catchThrowableOfType(() -> devices.list("ten", null), ProblemException.class).type())
                .isEqualTo(ProblemType.BAD_REQUEST);
    }
}

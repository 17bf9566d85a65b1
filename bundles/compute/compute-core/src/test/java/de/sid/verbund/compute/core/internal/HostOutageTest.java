package de.sid.verbund.compute.core.internal;

import static de.sid.verbund.compute.core.internal.ComputeFixture.DEFAULT_URI;
import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.spi.DomainState;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Ids;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hypervisor that cannot be reached for a while, run in real time through the OSGi component
 * ({@link ComputeComponent}, as a node runs it) with embedded H2, a real Artemis broker and
 * libvirt's test driver.
 *
 * <p>The host is {@code test:///default}, one hypervisor per JVM, so it outlives the service's
 * connection and a second client (this test's own connection) can change it meanwhile. The
 * outage is caused by {@link TestDriverProvider}: the service's connection is closed and every
 * connect for {@link #OUTAGE} fails as for an unreachable host (a real libvirt connect to a
 * closed port).
 *
 * <p>The periodic full sync is set to a day, so that nothing but the lifecycle callbacks of the
 * new connection (and the one resync on reconnect) can bring a change on the host into Verbund.
 */
class HostOutageTest {
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** HostConnections' back-off cap (30 s) and some slack: the longest a host may stay away after it is back. */
    private static final Duration BACK_AFTER = Duration.ofSeconds(30 + 10);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long ONE_DAY_S = 86_400;

    @RegisterExtension
    static final ComputeFixture fixture = ComputeFixture.withDefaultHost();

    @TempDir
    Path dir;
    /** Another client of the default hypervisor (the fixture's): changes made here are "outside Verbund". */
    private HypervisorConnection outside;
    private ComputeComponent compute;
    private TestDriverProvider provider;
    private List<DomainEvent> hostEvents;
    private final String tenant = Ids.newId();

    @BeforeEach
    void setUp() {
        outside = fixture.defaultHost();
        hostEvents = fixture.events("outage-test", e -> e.type().startsWith("host."));
        provider = new TestDriverProvider(fixture.libvirt());
        JdbcDatabase db = fixture.database(dir);
        compute = new ComputeComponent(db, fixture.outbox(db), Configs.of(ComputeConfig.class, "keepalive_check_s", 1L,
                "sync_interval_s", ONE_DAY_S, "stop_timeout_s", 5));
        compute.addProvider(provider);
        await().atMost(Duration.ofSeconds(30)).until(compute::isReady);
    }

    @AfterEach
    void tearDown() {
        compute.deactivate();
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void afterA20sOutageTheHostReconnectsWithCallbacksAndAVmStoppedMeanwhileIsStopped() {
        Host host = awaitHost(compute, compute.registerHost(new NewHost("default", DEFAULT_URI, "ber-1", null, null, 0L)).id(),
                HostState.ENABLED, WAIT);
        Vm vm = compute.createVm(request("web-1"));
        Vm bystander = compute.createVm(request("web-2"));
        assertThat(provider.connections(DEFAULT_URI)).isEqualTo(1);

        // the host becomes unreachable: the service's connection dies and connects are refused for 20 s
        provider.refuseFor(OUTAGE);
        provider.latest(DEFAULT_URI).close();

        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> {
            assertThat(compute.host(host.id()).orElseThrow().state()).isEqualTo(HostState.DOWN);
            assertThat(compute.vms(new VmFilter(tenant, null, null), 10, null).items()).extracting(Vm::state)
                    .containsOnly(VmState.UNKNOWN);
        });
        // meanwhile the VM is powered off on the host by another client
        outside.destroy(vm.id());
        assertThat(outside.domain(vm.id()).orElseThrow().state()).isEqualTo(DomainState.SHUTOFF);
        assertThat(compute.vm(vm.id()).orElseThrow().state()).isEqualTo(VmState.UNKNOWN);

        // back by itself, within the back-off cap of the end of the outage (the wait starts inside it)
        Host back = awaitHost(compute, host.id(), HostState.ENABLED, OUTAGE.plus(BACK_AFTER));
        assertThat(back.cpuCores()).isEqualTo(host.cpuCores());
        assertThat(provider.connections(DEFAULT_URI)).as("connections handed out").isEqualTo(2);
        // it retried, backing off: attempts 1, 2, 4, 8 and 16 s after the drop fall into the outage; retrying
        // every second would have made about 19
        assertThat(provider.refused()).as("connects refused during the outage").isBetween(2, 5);
        // the resync on reconnect found the VM stopped, and the other one still running
        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(compute.vm(vm.id()).orElseThrow().state()).isEqualTo(VmState.STOPPED);
            assertThat(compute.vm(bystander.id()).orElseThrow().state()).isEqualTo(VmState.RUNNING);
        });
        // one outage, announced once and its end once, however many connects were refused
        await().atMost(WAIT).untilAsserted(() -> assertThat(hostEvents)
                .filteredOn(e -> host.id().equals(e.payload().get("hostId")))
                .extracting(DomainEvent::type).containsExactly("host.down", "host.up"));

        // the lifecycle callbacks are registered on the new connection: changes outside Verbund arrive by
        // themselves (no resync is asked for, the full sync is a day away, and no reconnect happens)
        outside.start(vm.id());
        await("web-1 RUNNING after a start outside Verbund").atMost(WAIT)
                .until(() -> compute.vm(vm.id()).orElseThrow().state(), s -> s == VmState.RUNNING);
        outside.destroy(vm.id());
        await("web-1 STOPPED after a power-off outside Verbund").atMost(WAIT)
                .until(() -> compute.vm(vm.id()).orElseThrow().state(), s -> s == VmState.STOPPED);
        assertThat(provider.connections(DEFAULT_URI)).as("no further reconnect").isEqualTo(2);
        assertThat(compute.host(host.id()).orElseThrow().state()).isEqualTo(HostState.ENABLED);

        // and the host is usable through Verbund again
        assertThat(compute.start(vm.id()).state()).isEqualTo(VmState.RUNNING);
        assertThat(outside.domain(vm.id()).orElseThrow().state()).isEqualTo(DomainState.RUNNING);
    }

    private VmRequest request(String name) {
        return new VmRequest(name, tenant, null, 1, 256, 1, null, null, null, null);
    }
}

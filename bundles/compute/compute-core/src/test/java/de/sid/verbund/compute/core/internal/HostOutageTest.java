package de.sid.verbund.compute.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.DomainState;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Ids;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.messaging.artemis.internal.ArtemisMessagingComponent;
import de.sid.verbund.messaging.outbox.internal.OutboxRelay;
import de.sid.verbund.messaging.artemis.internal.MessagingConfig;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
    private static final String DEFAULT_URI = "test:///default";
    private static final Duration OUTAGE = Duration.ofSeconds(20);
    /** HostConnections' back-off cap (30 s) and some slack: the longest a host may stay away after it is back. */
    private static final Duration BACK_AFTER = Duration.ofSeconds(30 + 10);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long ONE_DAY_S = 86_400;

    @TempDir
    static Path brokerDir;
    private static ArtemisMessagingComponent bus;
    private OutboxRelay outbox;
    private static LibvirtProvider libvirt;
    /** Another client of the default hypervisor: changes made here are "outside Verbund". */
    private static HypervisorConnection outside;

    @TempDir
    Path dir;
    private JdbcDatabase db;
    private ComputeComponent compute;
    private TestDriverProvider provider;
    private Subscription subscription;
    private final List<DomainEvent> hostEvents = new CopyOnWriteArrayList<>();
    private final String tenant = Ids.newId();

    @BeforeAll
    static void startInfrastructure() {
        bus = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory",
                brokerDir.toString(), "tcp_port", 0));
        libvirt = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
        outside = libvirt.connect(DEFAULT_URI);
    }

    @AfterAll
    static void stopInfrastructure() throws Exception {
        if (outside != null) {
            outside.close();
        }
        if (libvirt != null) {
            invoke(libvirt, "deactivate");
        }
        if (bus != null) {
            invoke(bus, "deactivate");
        }
    }

    @BeforeEach
    void setUp() {
        subscription = bus.subscribe(ComputeServiceImpl.TOPIC, "outage-test-" + UUID.randomUUID(), e -> {
            if (e.type().startsWith("host.")) {
                hostEvents.add(e);
            }
        });
        provider = new TestDriverProvider(libvirt);
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 8, 10_000);
        compute = new ComputeComponent(db, outbox = new OutboxRelay(db, bus, 20), Configs.of(ComputeConfig.class, "keepalive_check_s", 1L,
                "sync_interval_s", ONE_DAY_S, "stop_timeout_s", 5));
        compute.addProvider(provider);
        await().atMost(Duration.ofSeconds(30)).until(compute::isReady);
    }

    @AfterEach
    void tearDown() {
        compute.deactivate();
        subscription.close();
        outbox.close();
        db.close();
        // test:///default outlives the test: remove what this test left there (not the driver's own "test")
        for (DomainInfo d : outside.domains()) {
            if (!d.name().equals("test")) {
                outside.destroy(d.uuid());
                outside.undefine(d.uuid(), true);
            }
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void afterA20sOutageTheHostReconnectsWithCallbacksAndAVmStoppedMeanwhileIsStopped() {
        Host host = awaitState(compute.registerHost(new NewHost("default", DEFAULT_URI, "ber-1", null, null, 0L)).id(),
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
        Host back = awaitState(host.id(), HostState.ENABLED, OUTAGE.plus(BACK_AFTER));
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

    private Host awaitState(String hostId, HostState state, Duration atMost) {
        return await("host " + state).atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> compute.host(hostId).orElseThrow(), h -> h.state() == state);
    }

    /** Calls a package-private method of a class in another package (deactivate). */
    private static Object invoke(Object target, String method) throws Exception {
        Class<?> type = target.getClass();
        while (type != null) {
            try {
                Method m = type.getDeclaredMethod(method);
                m.setAccessible(true);
                return m.invoke(target);
            } catch (NoSuchMethodException e) {
                type = type.getSuperclass();
            }
        }
        throw new NoSuchMethodException(method);
    }
}

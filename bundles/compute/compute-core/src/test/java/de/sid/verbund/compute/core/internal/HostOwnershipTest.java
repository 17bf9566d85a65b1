package de.sid.verbund.compute.core.internal;

import static de.sid.verbund.compute.core.internal.ComputeFixture.DEFAULT_URI;
import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Ids;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes sharing one database and one hypervisor ({@code test:///default}, one per JVM, like
 * a real host every node can reach): only the host's owner keeps its connection, callbacks and
 * resyncs; the other node's operations use a connection of their own; when ownership moves, the
 * old owner closes its connection without calling the host down, and the new one connects and
 * resynchronises, so a change made meanwhile is found.
 */
class HostOwnershipTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final ComputeFixture fixture = ComputeFixture.withDefaultHost();

    @TempDir
    Path dir;
    private final String tenant = Ids.newId();

    @Test
    void onlyTheOwnerKeepsTheConnectionAndAHandOverResynchronises() {
        List<DomainEvent> hostEvents = fixture.events("ownership-test", e -> e.type().startsWith("host."));
        TestDriverProvider provider = new TestDriverProvider(fixture.libvirt());
        JdbcDatabase db = fixture.database(dir);
        ComputeConfig config = Configs.of(ComputeConfig.class, "keepalive_check_s", 1L, "sync_interval_s", 86_400L);
        AtomicReference<String> owner = new AtomicReference<>("a");
        ComputeServiceImpl a = fixture.service(db, provider, config, id -> "a".equals(owner.get()));
        ComputeServiceImpl b = fixture.service(db, provider, config, id -> "b".equals(owner.get()));

        Host host = awaitHost(a, a.registerHost(new NewHost("shared", DEFAULT_URI, "ber-1", null, null, 0L)).id(),
                HostState.ENABLED, WAIT);
        b.ownershipChanged();
        assertThat(a.isConnected(host.id())).isTrue();
        assertThat(b.isConnected(host.id())).as("not the owner").isFalse();
        assertThat(provider.connections(DEFAULT_URI)).isEqualTo(1);

        // an operation asked of the other node works on a connection of its own
        Vm vm = b.createVm(new VmRequest("web-1", tenant, null, 1, 256, 1, null, null, null, null));
        assertThat(vm.state()).isEqualTo(VmState.RUNNING);
        assertThat(provider.connections(DEFAULT_URI)).isEqualTo(2);
        assertThat(b.ownership()[0]).isZero();

        // ownership moves to b: a closes its connection, b connects (and resyncs)
        owner.set("b");
        a.ownershipChanged();
        b.ownershipChanged();
        assertThat(a.isConnected(host.id())).isFalse();
        await().atMost(WAIT).until(() -> b.isConnected(host.id()));
        assertThat(provider.connections(DEFAULT_URI)).isEqualTo(3);
        assertThat(a.ownership()).containsExactly(0, 1, 1);
        assertThat(b.ownership()).containsExactly(1, 1, 0);

        // a change on the host is followed by the new owner's callbacks alone
        fixture.defaultHost().destroy(vm.id());
        await().atMost(WAIT).untilAsserted(() -> assertThat(b.vm(vm.id()).orElseThrow().state()).isEqualTo(VmState.STOPPED));
        assertThat(b.host(host.id()).orElseThrow().state()).isEqualTo(HostState.ENABLED);
        // a hand-over is not an outage
        assertThat(hostEvents).filteredOn(e -> host.id().equals(e.payload().get("hostId")))
                .extracting(DomainEvent::type).doesNotContain("host.down");
    }

    /**
     * A test-driver host on a node file starts empty with every connection (the demo's hosts): when
     * its ownership moves, the new owner defines Verbund's VMs there again, running ones running,
     * so they are neither UNKNOWN nor DELETED and no event says otherwise.
     */
    @Test
    void aNewOwnerOfATestDriverHostDefinesItsVmsAgain() {
        List<DomainEvent> vmEvents = fixture.events("restore-test", e -> e.type().startsWith("vm."));
        TestDriverProvider provider = new TestDriverProvider(fixture.libvirt());
        JdbcDatabase db = fixture.database(dir);
        ComputeConfig config = Configs.of(ComputeConfig.class, "keepalive_check_s", 1L, "sync_interval_s", 86_400L);
        AtomicReference<String> owner = new AtomicReference<>("a");
        ComputeServiceImpl a = fixture.service(db, provider, config, id -> "a".equals(owner.get()));
        ComputeServiceImpl b = fixture.service(db, provider, config, id -> "b".equals(owner.get()));
        String uri = ComputeFixture.testDriverCopy(dir, "kvm8.xml", "demo-host.xml");
        Host host = awaitHost(a, a.registerHost(new NewHost("demo", uri, "ber-1", null, null, 0L)).id(), HostState.ENABLED,
                WAIT);
        b.ownershipChanged();
        Vm running = a.createVm(new VmRequest("web-1", tenant, null, 1, 256, 1, null, null, null, null));
        Vm stopped = a.stop(a.createVm(new VmRequest("web-2", tenant, null, 1, 256, 1, null, null, null, null)).id());
        Vm third = a.createVm(new VmRequest("web-3", tenant, null, 2, 512, 2, null, null, null, null));
        assertThat(stopped.state()).isEqualTo(VmState.STOPPED);
        await().atMost(WAIT).until(() -> vmEvents.size() >= 7); // 3 created, 3 started, 1 stopped
        int before = vmEvents.size();

        owner.set("b");
        a.ownershipChanged();
        b.ownershipChanged();
        await().atMost(WAIT).until(() -> b.isConnected(host.id()));
        // the new connection is a new, empty hypervisor: the VMs are there again as they were
        await().atMost(WAIT).untilAsserted(() -> assertThat(b.unmanagedDomains(host.id())).isEmpty());
        assertThat(b.vm(running.id()).orElseThrow().state()).isEqualTo(VmState.RUNNING);
        assertThat(b.vm(stopped.id()).orElseThrow().state()).isEqualTo(VmState.STOPPED);
        assertThat(b.vm(third.id()).orElseThrow().state()).isEqualTo(VmState.RUNNING);
        // they are domains of that hypervisor: operations on them work
        assertThat(b.stop(running.id()).state()).isEqualTo(VmState.STOPPED);
        assertThat(b.start(stopped.id()).state()).isEqualTo(VmState.RUNNING);
        assertThat(b.resize(running.id(), 2, 512).vcpu()).isEqualTo(2);
        await().atMost(WAIT).until(() -> vmEvents.size() >= before + 3);
        assertThat(vmEvents.subList(before, vmEvents.size())).as("only the changes made after the hand-over")
                .extracting(DomainEvent::type).containsExactlyInAnyOrder("vm.state-changed", "vm.state-changed", "vm.resized");
    }
}

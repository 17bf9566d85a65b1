package de.sid.verbund.compute.core.internal;

import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitHost;
import static de.sid.verbund.compute.core.internal.ComputeFixture.testDriverCopy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.cluster.hazelcast.internal.ClusterConfig;
import de.sid.verbund.cluster.hazelcast.internal.HazelcastClusterComponent;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.HostStatsSource;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.DomainState;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes: each a real Hazelcast member on loopback and its own compute service with its own
 * libvirt connections, on one shared database. The hosts are test-driver node files, where every
 * connection is a hypervisor of its own, so an operation is visible on a host only if the host's
 * owner did it with its connection. Each node asks for operations on a host the other node owns.
 */
class ClusterForwardingTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ComputeFixture fixture = new ComputeFixture();

    @TempDir
    Path dir;
    private final String tenant = Ids.newId();
    private final String clusterName = "compute-" + UUID.randomUUID();
    private final List<HazelcastClusterComponent> members = new ArrayList<>();
    private final List<ComputeServiceImpl> nodes = new ArrayList<>();
    private final List<TestDriverProvider> providers = new ArrayList<>();
    /** hosts.get(i) is owned by member i; uris.get(i) its node file. */
    private final List<Host> hosts = new ArrayList<>();
    private final List<String> uris = new ArrayList<>();

    @BeforeEach
    void twoNodes() {
        List<Integer> ports = List.of(Ports.freeTcpPort(), Ports.freeTcpPort());
        for (int i = 0; i < 2; i++) {
            members.add(member("node-" + i, ports.get(i), ports));
        }
        await().atMost(WAIT).until(() -> members.stream().allMatch(m -> m.check().status() == HealthStatus.UP
                && m.members().size() == 2));
        // partitions balanced between the two: the migrations after the join are over
        List<String> probe = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "host:" + i).toList();
        await().atMost(WAIT).until(() -> members.stream().allMatch(m -> probe.stream().filter(m::isLocalOwner).count() > 60)
                && probe.stream().allMatch(k -> members.get(0).ownerOf(k) != null
                        && members.get(0).ownerOf(k).equals(members.get(1).ownerOf(k))));

        JdbcDatabase db = fixture.database(dir);
        ComputeConfig config = Configs.of(ComputeConfig.class, "keepalive_check_s", 1L, "stop_timeout_s", 5,
                "sync_interval_s", 86_400L, "owner_call_timeout_s", 20L);
        for (int i = 0; i < 2; i++) {
            TestDriverProvider p = new TestDriverProvider(fixture.libvirt());
            providers.add(p);
            nodes.add(new ComputeServiceImpl(db, fixture.outbox(db), p::lookup, config, members.get(i)));
        }
        // one host per member, each in a site of its own so a request can be sent to it
        for (int n = 0; hosts.size() < 2; n++) {
            String uri = testDriverCopy(dir, "kvm8.xml", "kvm8-" + n + ".xml");
            Host h = nodes.get(0).registerHost(new NewHost("h-" + n, uri, "site-" + n, null, null, 0L));
            int owner = members.get(0).isLocalOwner(ComputeComponent.hostKey(h.id())) ? 0 : 1;
            if (hosts.size() == owner) {
                hosts.add(h);
                uris.add(uri);
            } else {
                nodes.get(0).setMaintenance(h.id(), true); // not needed: kept out of placement
            }
        }
        nodes.get(1).ownershipChanged(); // its periodic check does this in OSGi
        for (int i = 0; i < 2; i++) {
            hosts.set(i, awaitHost(nodes.get(0), hosts.get(i).id(), HostState.ENABLED, WAIT));
        }
    }

    @AfterEach
    void stop() {
        nodes.forEach(ComputeServiceImpl::close);
        for (int i = members.size() - 1; i >= 0; i--) {
            members.get(i).deactivate();
        }
    }

    @Test
    void operationsAskedOfTheOtherNodeRunOnTheOwnersHypervisor() {
        ComputeServiceImpl asked = nodes.get(1);
        Host host = hosts.get(0); // owned by node-0
        HypervisorConnection ownersHypervisor = providers.get(0).latest(uris.get(0));

        Vm vm = asked.createVm(request("web-1", host));
        assertThat(vm.state()).isEqualTo(VmState.RUNNING);
        assertThat(vm.hostId()).isEqualTo(host.id());
        assertThat(ownersHypervisor.domain(vm.id())).get().extracting(DomainInfo::state).isEqualTo(DomainState.RUNNING);
        assertThat(providers.get(1).connections(uris.get(0))).as("node-1 never connected to node-0's host").isZero();

        assertThat(asked.stop(vm.id()).state()).isEqualTo(VmState.STOPPED);
        assertThat(ownersHypervisor.domain(vm.id())).get().extracting(DomainInfo::state).isEqualTo(DomainState.SHUTOFF);
        assertThat(asked.start(vm.id()).state()).isEqualTo(VmState.RUNNING);
        assertThat(ownersHypervisor.domain(vm.id())).get().extracting(DomainInfo::state).isEqualTo(DomainState.RUNNING);
        await().atMost(WAIT).untilAsserted(() -> assertThat(nodes.get(0).vm(vm.id()).orElseThrow().state())
                .isEqualTo(VmState.RUNNING));

        // snapshots (timestamps on the wire), the host's domains and its stats, through the owner
        assertThat(asked.createSnapshot(vm.id(), "before-update").name()).isEqualTo("before-update");
        assertThat(asked.snapshots(vm.id())).extracting(de.sid.verbund.compute.spi.Snapshot::name)
                .containsExactly("before-update");
        assertThat(asked.snapshots(vm.id()).get(0).createdAt()).isNotNull();
        asked.deleteSnapshot(vm.id(), "before-update");
        assertThat(asked.unmanagedDomains(host.id())).isEmpty();
        HostStatsSource.HostReading reading = asked.readHostStats().stream()
                .filter(r -> r.host().id().equals(host.id())).findFirst().orElseThrow();
        assertThat(reading.problem()).isNull();
        assertThat(reading.stats().runningDomains()).isEqualTo(1);

        // resize while stopped, then delete: the owner's hypervisor follows
        asked.stop(vm.id());
        asked.resize(vm.id(), 2, 512);
        assertThat(ownersHypervisor.domain(vm.id())).get().satisfies(d -> {
            assertThat(d.vcpu()).isEqualTo(2);
            assertThat(d.ramMib()).isEqualTo(512);
        });
        assertThat(asked.delete(vm.id()).state()).isEqualTo(VmState.DELETED);
        assertThat(ownersHypervisor.domain(vm.id())).isEmpty();
        assertThat(providers.get(1).connections(uris.get(0))).isZero();
    }

    @Test
    void aHypervisorErrorOnTheOwnerIsTheSameProblemOnEitherNode() {
        // a VM on node-0's host, to be migrated to node-1's host, which has a domain of its name
        // (defined outside Verbund): libvirt refuses the import there
        Vm vm = nodes.get(0).createVm(request("db-1", hosts.get(0)));
        nodes.get(0).stop(vm.id());
        HypervisorConnection target = providers.get(1).latest(uris.get(1));
        String xml = providers.get(0).latest(uris.get(0)).domainXml(vm.id())
                .replace(vm.id(), UUID.randomUUID().toString());
        target.defineXml(xml);

        ProblemException viaOwnerOfTarget = migrationProblem(nodes.get(1), vm);
        ProblemException viaOwnerOfSource = migrationProblem(nodes.get(0), vm);
        assertThat(viaOwnerOfTarget.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(viaOwnerOfTarget.getMessage()).startsWith("host " + hosts.get(1).name() + ": ").contains(vm.name());
        assertThat(viaOwnerOfSource.type()).isEqualTo(viaOwnerOfTarget.type());
        assertThat(viaOwnerOfSource.getMessage()).isEqualTo(viaOwnerOfTarget.getMessage());
        assertThat(viaOwnerOfSource.errors()).isEqualTo(viaOwnerOfTarget.errors());
        // nothing changed: the VM stays where it was, stopped
        assertThat(nodes.get(1).vm(vm.id()).orElseThrow()).extracting(Vm::hostId, Vm::state)
                .containsExactly(hosts.get(0).id(), VmState.STOPPED);
        assertThat(providers.get(0).latest(uris.get(0)).domain(vm.id())).isPresent();
    }

    @Test
    void theOwnerLeavingDuringAnOperationGivesTheCallerA503() throws Exception {
        ComputeServiceImpl asked = nodes.get(1);
        Vm vm = asked.createVm(request("app-1", hosts.get(0)));
        asked.stop(vm.id());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the owner is slow to start the domain (a fault the test driver cannot produce): it leaves meanwhile
        providers.get(0).hook((uri, real, method, args) -> {
            if (method.equals("start")) {
                entered.countDown();
                try {
                    release.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            CompletableFuture<Throwable> call = CompletableFuture.supplyAsync(() -> {
                try {
                    asked.start(vm.id());
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            assertThat(entered.await(30, TimeUnit.SECONDS)).as("the start reached the owner").isTrue();
            long t0 = System.nanoTime();
            CompletableFuture<Void> leaving = CompletableFuture.runAsync(members.get(0)::deactivate);
            Throwable failure = call.get(60, TimeUnit.SECONDS);
            System.out.printf("compute: the caller had its 503 %d ms after the owner began to leave%n",
                    (System.nanoTime() - t0) / 1_000_000);
            assertThat(failure).isInstanceOfSatisfying(ProblemException.class, e -> {
                assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE);
                assertThat(e.getMessage()).startsWith("host " + hosts.get(0).name() + ": ")
                        .contains("member node-0", "left the cluster during the call");
            });
            release.countDown();
            leaving.get(60, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            providers.get(0).hook(null);
        }
        // the 503 says the start may have been done there: it was, once released, and the old
        // owner's callback recorded it, so the stored state follows that hypervisor
        assertThat(providers.get(0).latest(uris.get(0)).domain(vm.id())).get().extracting(DomainInfo::state)
                .isEqualTo(DomainState.RUNNING);
        await().atMost(WAIT).untilAsserted(() -> assertThat(asked.vm(vm.id()).orElseThrow().state())
                .isEqualTo(VmState.RUNNING));
    }

    private ProblemException migrationProblem(ComputeServiceImpl node, Vm vm) {
        try {
            node.migrate(vm.id(), hosts.get(1).id());
        } catch (ProblemException e) {
            return e;
        }
        throw new AssertionError("migration through " + node + " was expected to fail");
    }

    private VmRequest request(String name, Host host) {
        return new VmRequest(name, tenant, null, 1, 256, 1, null, null, host.site(), null);
    }

    private HazelcastClusterComponent member(String id, int port, List<Integer> clusterPorts) {
        Map<String, Object> values = new HashMap<>();
        values.put("cluster_name", clusterName);
        values.put("member_id", id);
        values.put("port", port);
        values.put("port_auto_increment", false);
        values.put("members", clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
        values.put("heartbeat_interval_s", 1);
        values.put("max_no_heartbeat_s", 3);
        values.put("join_wait_s", 1);
        values.put("shutdown_max_wait_s", 5);
        return new HazelcastClusterComponent(Configs.of(ClusterConfig.class, values));
    }
}

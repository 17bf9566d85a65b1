package de.sid.verbund.compute.core.internal;

import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitHost;
import static de.sid.verbund.compute.core.internal.ComputeFixture.testDriverCopy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.TestPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster case of {@link ParallelCreateCapacityTest}: three nodes' compute services (each its own
 * component, connection pool and hypervisor connections) on one shared PostgreSQL take 200 parallel
 * create requests, spread over the nodes, for room of 150 VMs on three hosts. The capacity
 * reservation under the host row's lock ({@code SELECT … FOR UPDATE}, docs/design-notes.md "Capacity
 * accounting") is what keeps them apart: exactly 150 win, no host is over-committed, 50 are refused.
 */
class PostgresClusterCreateCapacityTest {
    private static final int NODES = 3;
    private static final int HOSTS = 3;
    private static final int VMS_PER_HOST = 50;
    private static final int REQUESTS = 200;
    private static final int THREADS = 30;
    private static final long RAM_MIB = 256;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @RegisterExtension
    static final ComputeFixture fixture = new ComputeFixture();

    @TempDir
    Path dir;
    private final String tenant = Ids.newId();

    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void twoHundredCreatesOverThreeNodesNeverOverCommitAHost() throws Exception {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        String url = pg.newSchema("compute_cluster_");
        List<ComputeServiceImpl> nodes = new ArrayList<>();
        List<TestDriverProvider> providers = new ArrayList<>();
        ComputeServiceImpl first = node(url, pg, nodes, providers);
        List<Host> hosts = new ArrayList<>();
        List<String> uris = new ArrayList<>();
        for (char c = 'a'; c < 'a' + HOSTS; c++) {
            String uri = testDriverCopy(dir, "fit50.xml", "fit50-" + c + ".xml");
            hosts.add(awaitHost(first, first.registerHost(new NewHost("fit-" + c, uri, "ber-1", null, null, null)).id(),
                    HostState.ENABLED, WAIT));
            uris.add(uri);
        }
        // the other nodes start on the shared database and connect every host they find there
        for (int i = 1; i < NODES; i++) {
            node(url, pg, nodes, providers);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(providers).allSatisfy(p ->
                assertThat(uris).allSatisfy(u -> assertThat(p.connections(u)).isEqualTo(1))));

        List<Future<Vm>> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < REQUESTS; i++) {
                ComputeServiceImpl node = nodes.get(i % NODES);
                VmRequest request = new VmRequest("vm-" + i, tenant, null, 1, RAM_MIB, 1, null, null, null, null);
                results.add(pool.submit(() -> {
                    go.await();
                    return node.createVm(request);
                }));
            }
            go.countDown();
        } finally {
            pool.shutdown();
        }
        assertThat(pool.awaitTermination(3, TimeUnit.MINUTES)).as("all requests answered").isTrue();

        List<Vm> created = new ArrayList<>();
        List<ProblemException> refused = new ArrayList<>();
        List<Throwable> unexpected = new ArrayList<>();
        for (Future<Vm> f : results) {
            try {
                created.add(f.get());
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ProblemException p && p.type() == ProblemType.CONFLICT) {
                    refused.add(p);
                } else {
                    unexpected.add(e.getCause());
                }
            }
        }
        assertThat(unexpected).as("failures other than CONFLICT").isEmpty();
        Map<String, Long> perHost = created.stream().collect(Collectors.groupingBy(Vm::hostId, TreeMap::new,
                Collectors.counting()));
        assertThat(created).as("VMs created, per host %s", perHost).hasSize(HOSTS * VMS_PER_HOST);
        assertThat(created).extracting(Vm::state).containsOnly(VmState.RUNNING);
        assertThat(refused).hasSize(REQUESTS - HOSTS * VMS_PER_HOST);
        assertThat(refused).extracting(ProblemException::getMessage).allSatisfy(m -> assertThat(m)
                .contains("fit-a: RAM 12800/12800 MiB", "fit-b: RAM 12800/12800 MiB", "fit-c: RAM 12800/12800 MiB"));

        // every node's view of the shared books: the kept totals equal the VMs, at capacity and not beyond
        for (ComputeServiceImpl node : nodes) {
            List<HostLoad> loads = node.store().loads();
            for (Host h : hosts) {
                HostLoad load = loads.stream().filter(l -> l.host().id().equals(h.id())).findFirst().orElseThrow();
                assertThat(load.ramMib()).as("RAM allocated on %s", h.name()).isEqualTo(VMS_PER_HOST * RAM_MIB)
                        .isLessThanOrEqualTo(h.ramCapacityMib());
                assertThat(load.vcpu()).as("vCPUs on %s", h.name()).isEqualTo(VMS_PER_HOST);
                List<Vm> onHost = all(node, new VmFilter(null, h.id(), VmState.RUNNING));
                assertThat(onHost).hasSize(VMS_PER_HOST);
                assertThat(onHost.stream().mapToLong(Vm::ramMib).sum()).isEqualTo(load.ramMib());
            }
        }
        assertThat(all(first, new VmFilter(null, null, VmState.PROVISIONING))).isEmpty();
        assertThat(all(first, new VmFilter(null, null, VmState.FAILED))).isEmpty();
    }

    private ComputeServiceImpl node(String url, TestPostgres pg, List<ComputeServiceImpl> nodes,
            List<TestDriverProvider> providers) {
        JdbcDatabase db = fixture.database(url, pg.user(), pg.password());
        TestDriverProvider provider = new TestDriverProvider(fixture.libvirt());
        ComputeServiceImpl node = fixture.service(db, provider, Configs.of(ComputeConfig.class));
        nodes.add(node);
        providers.add(provider);
        return node;
    }

    private static List<Vm> all(ComputeServiceImpl node, VmFilter filter) {
        List<Vm> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<Vm> page = node.vms(filter, 100, cursor);
            out.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }
}

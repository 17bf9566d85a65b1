package de.sid.verbund.compute.core.internal;

import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitHost;
import static de.sid.verbund.compute.core.internal.ComputeFixture.testDriverCopy;
import static de.sid.verbund.compute.core.internal.ComputeFixture.volumes;
import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.DomainState;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many parallel create requests racing for the last room, through the whole
 * {@link ComputeServiceImpl#createVm} (placement, reservation, libvirt define and start, events)
 * against embedded H2, a real Artemis broker and libvirt's test driver.
 *
 * <p>The hosts are three copies of {@code testdriver/fit50.xml}, each with room for exactly 50
 * VMs of 1 vCPU / 256 MiB (RAM is what runs out: 12800 MiB after the reserve, 64 vCPU). Each copy
 * has its own file name, so its URI names one host and the connection the service holds to it.
 * Nothing here depends on timing: every request either gets room or finds every host full, and
 * since no capacity is ever released in this test, exactly 150 must win whatever the interleaving.
 */
class ParallelCreateCapacityTest {
    private static final int HOSTS = 3;
    private static final int VMS_PER_HOST = 50;
    private static final int REQUESTS = 200;
    private static final int THREADS = 32;
    private static final long RAM_MIB = 256;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final ComputeFixture fixture = new ComputeFixture();

    @TempDir
    Path dir;
    private ComputeServiceImpl compute;
    private TestDriverProvider provider;
    private final String tenant = Ids.newId();

    @BeforeEach
    void setUp() {
        provider = new TestDriverProvider(fixture.libvirt());
        compute = fixture.service(fixture.database(dir.resolve("db")), provider, Configs.of(ComputeConfig.class));
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void twoHundredParallelCreatesForRoomOf150GiveExactly150RunningVmsAnd50NoCapacityConflicts() throws Exception {
        Map<Host, String> hosts = new LinkedHashMap<>();
        for (char c = 'a'; c < 'a' + HOSTS; c++) {
            // a copy of fit50.xml under its own name: a host of its own
            String uri = testDriverCopy(dir, "fit50.xml", "fit50-" + c + ".xml");
            Host host = awaitHost(compute, compute.registerHost(new NewHost("fit-" + c, uri, "ber-1", null, null, null)).id(),
                    HostState.ENABLED, WAIT);
            assertThat(host.ramCapacityMib()).isEqualTo(VMS_PER_HOST * RAM_MIB);
            assertThat(host.vcpuCapacity()).isGreaterThan(VMS_PER_HOST);
            hosts.put(host, uri);
        }

        List<Future<Vm>> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < REQUESTS; i++) {
                // 1 GiB disks: the test driver gives a pool 100 GiB, and 50 of them share one
                VmRequest request = new VmRequest("vm-" + i, tenant, null, 1, RAM_MIB, 1, null, null, null, null);
                results.add(pool.submit(() -> {
                    go.await();
                    return compute.createVm(request);
                }));
            }
            go.countDown();
        } finally {
            pool.shutdown();
        }
        assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).as("all requests answered").isTrue();

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
        Map<String, Long> createdPerHost = created.stream().collect(Collectors.groupingBy(
                vm -> hosts.keySet().stream().filter(h -> h.id().equals(vm.hostId())).findFirst().orElseThrow().name(),
                TreeMap::new, Collectors.counting()));
        assertThat(created.size()).as("VMs created, per host " + createdPerHost).isEqualTo(HOSTS * VMS_PER_HOST);
        assertThat(created).extracting(Vm::state).containsOnly(VmState.RUNNING);
        assertThat(created).extracting(Vm::id).doesNotHaveDuplicates();
        assertThat(refused.size()).as("requests refused").isEqualTo(REQUESTS - HOSTS * VMS_PER_HOST);
        // the refusal says why, host by host (a request is refused only when it found every host full)
        assertThat(refused).extracting(ProblemException::getMessage).allSatisfy(m -> assertThat(m)
                .contains("no capacity for 1 vCPU, 256 MiB")
                .contains("fit-a: RAM 12800/12800 MiB", "fit-b: RAM 12800/12800 MiB", "fit-c: RAM 12800/12800 MiB"));

        // Verbund's books: every VM it knows is one of the 150, RUNNING; nothing PROVISIONING or FAILED is left
        List<Vm> stored = all(new VmFilter(tenant, null, null));
        assertThat(stored).extracting(Vm::id)
                .containsExactlyInAnyOrderElementsOf(created.stream().map(Vm::id).toList());
        assertThat(stored).extracting(Vm::state).containsOnly(VmState.RUNNING);
        assertThat(all(new VmFilter(null, null, VmState.FAILED))).isEmpty();
        assertThat(all(new VmFilter(null, null, VmState.PROVISIONING))).isEmpty();

        List<HostLoad> loads = compute.store().loads();
        for (Map.Entry<Host, String> e : hosts.entrySet()) {
            Host host = e.getKey();
            HostLoad load = loads.stream().filter(l -> l.host().id().equals(host.id())).findFirst().orElseThrow();
            assertThat(load.ramMib()).as("RAM allocated on " + host.name()).isLessThanOrEqualTo(host.ramCapacityMib())
                    .isEqualTo(VMS_PER_HOST * RAM_MIB);
            assertThat(load.vcpu()).as("vCPUs allocated on " + host.name()).isLessThanOrEqualTo(host.vcpuCapacity())
                    .isEqualTo(VMS_PER_HOST);

            // the hypervisor's view: exactly the VMs Verbund has RUNNING there, all running, no leftovers
            HypervisorConnection c = provider.latest(e.getValue());
            assertThat(provider.connections(e.getValue())).isEqualTo(1);
            Set<String> running = all(new VmFilter(null, host.id(), VmState.RUNNING)).stream().map(Vm::id)
                    .collect(Collectors.toSet());
            List<DomainInfo> domains = c.domains();
            assertThat(domains).as("domains on " + host.name()).extracting(DomainInfo::uuid)
                    .containsExactlyInAnyOrderElementsOf(running);
            assertThat(domains).extracting(DomainInfo::state).containsOnly(DomainState.RUNNING);
            // and no volume without its domain: the image and one system volume per domain, nothing more
            List<String> expectedVolumes = new ArrayList<>(List.of("debian-12"));
            domains.forEach(d -> expectedVolumes.add(d.name() + ".qcow2"));
            assertThat(volumes(c)).containsExactlyInAnyOrderElementsOf(expectedVolumes);
        }
    }

    private List<Vm> all(VmFilter filter) {
        List<Vm> out = new ArrayList<>();
        String cursor = null;
        do {
            Page<Vm> page = compute.vms(filter, 100, cursor);
            out.addAll(page.items());
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }
}

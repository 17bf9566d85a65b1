package de.sid.verbund.compute.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.PlacementRequest;
import de.sid.verbund.compute.PlacementStrategy;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.core.internal.placement.Placement;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Capacity reservation in the real database under concurrency: embedded H2 here, PostgreSQL in the subclass. */
class AllocatorTest {
    @TempDir
    Path dir;
    JdbcDatabase db;
    ComputeStore store;
    Allocator allocator;
    final String tenant = Ids.newId();

    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 16, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        db.migrate("compute", ComputeStore.class.getClassLoader());
        // these tests store no events: an outbox that would fail the test if one came
        store = new ComputeStore(db, (c, topic, e) -> {
            throw new AssertionError("unexpected event " + e);
        }, "compute.events");
        allocator = new Allocator(store);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private Host host(String name, long ramMib, long reserve) {
        Host h = new Host(Ids.newId(), name, "test:///default", "ber-1", 64, ramMib, 100_000, new BigDecimal("4.0"), BigDecimal.ONE,
                reserve, HostState.ENABLED, Instant.now().truncatedTo(ChronoUnit.MICROS));
        store.insertHost(h);
        return h;
    }

    private VmRequest vm(String name, long ramMib) {
        return new VmRequest(name, tenant, null, 1, ramMib, 10, null, null, null, null);
    }

    @Test
    void twoHundredParallelRequestsForRoomForOneHundredFiftyPlaceExactlyOneHundredFifty() throws Exception {
        // three hosts with room for 50 VMs of 1 GiB each (after a 2 GiB reserve)
        for (int i = 1; i <= 3; i++) {
            host("kvm-" + i, 50 * 1024 + 2048, 2048);
        }
        ExecutorService pool = Executors.newFixedThreadPool(16);
        List<Future<Vm>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String name = "vm-" + i;
            results.add(pool.submit((Callable<Vm>) () -> allocator.allocate(vm(name, 1024), tenant).vm()));
        }
        int placed = 0;
        int refused = 0;
        for (Future<Vm> f : results) {
            try {
                f.get();
                placed++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).isInstanceOf(ProblemException.class);
                ProblemException pe = (ProblemException) e.getCause();
                assertThat(pe.type()).isEqualTo(ProblemType.CONFLICT);
                assertThat(pe.getMessage()).startsWith("no capacity");
                refused++;
            }
        }
        pool.shutdown();
        assertThat(placed).isEqualTo(150);
        assertThat(refused).isEqualTo(50);
        for (HostLoad load : store.loads()) {
            assertThat(load.ramMib()).as(load.host().name()).isLessThanOrEqualTo(load.host().ramCapacityMib());
            assertThat(load.ramMib()).as(load.host().name()).isEqualTo(50 * 1024);
            // the totals kept on the host row are what its VMs add up to
            long[] sums = store.allocationFromVms().get(load.host().id());
            assertThat(new long[] {load.vcpu(), load.ramMib(), load.diskGib()}).as(load.host().name()).containsExactly(sums);
        }
    }

    @Test
    void theIssuesCaseAcceptsEightGibAndRefusesNineWithTheNumbers() {
        // 96 GiB host, 4 GiB reserve, 84 GiB committed
        Host h = host("kvm-big", 98_304, 4096);
        allocator.allocate(vm("big", 86_016), tenant).vm();
        assertThatThrownBy(() -> allocator.allocate(vm("nine", 9216), tenant))
                .isInstanceOf(ProblemException.class)
                .hasMessageContaining("kvm-big: RAM 86016/94208 MiB")
                .hasMessageContaining("needs 9216");
        Vm eight = allocator.allocate(vm("eight", 8192), tenant).vm();
        assertThat(eight.hostId()).isEqualTo(h.id());
    }

    @Test
    void failedAndDeletedVmsReleaseTheirCapacity() {
        host("kvm-1", 2048 + 2048, 2048);
        Vm a = allocator.allocate(vm("a", 2048), tenant).vm();
        assertThatThrownBy(() -> allocator.allocate(vm("b", 2048), tenant)).isInstanceOf(ProblemException.class);
        store.setState(a.id(), de.sid.verbund.compute.VmState.FAILED, null);
        assertThat(allocator.allocate(vm("b", 2048), tenant).vm().hostId()).isEqualTo(a.hostId());
    }

    @Test
    void antiAffinityGroupsBelongToTheirAuthority() {
        Host a = host("kvm-a", 16_384, 0);
        Host b = host("kvm-b", 8_192, 0);
        Vm first = allocator.allocate(new VmRequest("db-1", tenant, null, 1, 1024, 10, null, "db", null, null), tenant).vm();
        assertThat(first.hostId()).isEqualTo(a.id());
        // another authority's group of the same name does not keep it off kvm-a
        String other = Ids.newId();
        Vm theirs = allocator.allocate(new VmRequest("db-1", other, null, 1, 1024, 10, null, "db", null, null), other).vm();
        assertThat(theirs.hostId()).isEqualTo(a.id());
        // but the authority's own second member goes elsewhere
        Vm second = allocator.allocate(new VmRequest("db-2", tenant, null, 1, 1024, 10, null, "db", null, null), tenant).vm();
        assertThat(second.hostId()).isEqualTo(b.id());
    }

    @Test
    void noHostsIsAClearConflict() {
        assertThatThrownBy(() -> allocator.allocate(vm("x", 1024), tenant)).hasMessageContaining("no hosts are registered");
    }

    @Test
    void theDatabasesCandidatesLeadToTheSameChoiceAsPlacementOverAllHosts() {
        java.util.Random random = new java.util.Random(4711);
        String[] sites = {"ber-1", "fra-1"};
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            long ram = new long[] {0, 8_192, 32_768, 65_536}[random.nextInt(4)];
            Host h = new Host(Ids.newId(), String.format("h-%03d", i), "test:///default", sites[random.nextInt(2)],
                    new int[] {0, 4, 16}[random.nextInt(3)], ram, new long[] {0, 50, 100}[random.nextInt(3)],
                    new BigDecimal(new String[] {"1.0", "1.5", "4.0"}[random.nextInt(3)]),
                    new BigDecimal(new String[] {"1.0", "1.25", "0.75"}[random.nextInt(3)]),
                    new long[] {0, 2_048, 40_000}[random.nextInt(3)],
                    random.nextInt(6) == 0 ? HostState.MAINTENANCE : HostState.ENABLED, Instant.now().truncatedTo(ChronoUnit.MICROS));
            store.insertHost(h);
            ids.add(h.id());
            // what its VMs hold, set directly: this test is about the query, not the bookkeeping
            long vcpu = random.nextInt(40);
            long ramAlloc = random.nextInt(3) == 0 ? 0 : (long) random.nextInt(60_000);
            long disk = random.nextInt(100);
            db.inTransaction(c -> {
                try (var ps = c.prepareStatement("UPDATE compute_host SET alloc_vcpu = ?, alloc_ram_mib = ?, "
                        + "alloc_disk_gib = ? WHERE id = ?")) {
                    ps.setLong(1, vcpu);
                    ps.setLong(2, ramAlloc);
                    ps.setLong(3, disk);
                    ps.setString(4, h.id());
                    return ps.executeUpdate();
                }
            });
        }
        // members of group "db" on a few hosts, and of another authority's group "db" on others
        String other = Ids.newId();
        for (int i = 0; i < 10; i++) {
            Vm member = new Vm(Ids.newId(), "db-" + i, i < 5 ? tenant : other, null, ids.get(random.nextInt(ids.size())),
                    VmState.STOPPED, 1, 1, 0, "db", Instant.now().truncatedTo(ChronoUnit.MICROS));
            assertThat(store.reserve(member, l -> true, null)).isTrue();
        }
        int placed = 0;
        for (int run = 0; run < 300; run++) {
            PlacementRequest pr = new PlacementRequest(1 + random.nextInt(8), 256L * (1 + random.nextInt(64)),
                    random.nextInt(20), random.nextInt(3) == 0 ? "db" : null, random.nextBoolean() ? null : sites[random.nextInt(2)],
                    random.nextBoolean() ? PlacementStrategy.SPREAD : PlacementStrategy.PACK);
            String expected = Placement.place(pr, store.loads(tenant, pr.antiAffinityGroup())).hostId();
            List<HostLoad> candidates = store.candidates(pr, tenant, Allocator.CANDIDATES);
            String actual = candidates.isEmpty() ? null : Placement.place(pr, candidates).hostId();
            assertThat(actual).as("run " + run + ": " + pr).isEqualTo(expected);
            placed += expected == null ? 0 : 1;
        }
        // both outcomes were exercised
        assertThat(placed).isBetween(30, 270);
    }
}

package de.sid.verbund.compute.core.internal.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.HostVerdict;
import de.sid.verbund.compute.PlacementDecision;
import de.sid.verbund.compute.PlacementRequest;
import de.sid.verbund.compute.PlacementStrategy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PlacementTest {

    private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
    private static final PlacementStrategy SPREAD = PlacementStrategy.SPREAD;
    private static final PlacementStrategy PACK = PlacementStrategy.PACK;

    // ---------------------------------------------------------------- the issue's case

    @Nested
    class IssueCase {
        /** 96 GiB RAM, 4 GiB reserve, RAM overcommit 1.0 → 94208 MiB capacity; 84 GiB committed. */
        private final HostLoad kvm = load(host("kvm-1", "ber-1", 32, 98_304, "4.0", "1.0", 4_096, HostState.ENABLED),
                16, 86_016);

        @Test
        void capacityIs96GibMinusReserve() {
            assertThat(kvm.host().ramCapacityMib()).isEqualTo(94_208);
        }

        @Test
        void accepts8GibVm() {
            PlacementDecision d = Placement.place(request(2, 8_192), List.of(kvm));

            assertThat(d.placed()).isTrue();
            assertThat(d.hostId()).isEqualTo("id-kvm-1");
            assertThat(d.verdicts()).containsExactly(
                    new HostVerdict("id-kvm-1", "kvm-1", true, "fits: 0 MiB and 110 vCPU free after placement"));
        }

        @Test
        void refuses9GibVmNamingTheNumbers() {
            PlacementDecision d = Placement.place(request(2, 9_216), List.of(kvm));

            assertThat(d.placed()).isFalse();
            assertThat(d.hostId()).isNull();
            assertThat(d.verdicts()).hasSize(1);
            HostVerdict v = d.verdicts().get(0);
            assertThat(v.fits()).isFalse();
            assertThat(v.hostId()).isEqualTo("id-kvm-1");
            assertThat(v.reason()).contains("86016", "94208", "9216")
                    .isEqualTo("RAM 86016/94208 MiB allocated after overcommit and reserve, needs 9216 (free 8192)");
        }
    }

    // ---------------------------------------------------------------- overcommit and reserve

    @Test
    void cpuOvercommit4Gives64VcpuOn16Cores() {
        Host h = host("kvm-1", "ber-1", 16, 65_536, "4.0", "1.0", 0, HostState.ENABLED);
        assertThat(h.vcpuCapacity()).isEqualTo(64);

        assertThat(Placement.place(request(64, 1_024), List.of(load(h, 0, 0))).placed()).isTrue();
        PlacementDecision d = Placement.place(request(65, 1_024), List.of(load(h, 0, 0)));
        assertThat(d.placed()).isFalse();
        assertThat(d.verdicts().get(0).reason()).isEqualTo("vCPU 0/64 allocated after overcommit 4.0, needs 65 (free 64)");
    }

    @Test
    void cpuOvercommitWithAllocation() {
        Host h = host("kvm-1", "ber-1", 16, 65_536, "4.00", "1.00", 0, HostState.ENABLED);

        assertThat(Placement.place(request(2, 1_024), List.of(load(h, 62, 0))).placed()).isTrue();
        PlacementDecision d = Placement.place(request(4, 1_024), List.of(load(h, 62, 0)));
        assertThat(d.placed()).isFalse();
        // DECIMAL(6,2) from the database: 4.00 is shown as 4.0
        assertThat(d.verdicts().get(0).reason()).isEqualTo("vCPU 62/64 allocated after overcommit 4.0, needs 4 (free 2)");
    }

    @Test
    void cpuOvercommitIsFloored() {
        // 3 cores × 1.5 = 4.5 → 4 vCPU
        Host h = host("kvm-1", "ber-1", 3, 65_536, "1.50", "1.0", 0, HostState.ENABLED);
        assertThat(Placement.place(request(4, 1), List.of(load(h, 0, 0))).placed()).isTrue();
        assertThat(Placement.place(request(5, 1), List.of(load(h, 0, 0))).verdicts().get(0).reason())
                .isEqualTo("vCPU 0/4 allocated after overcommit 1.5, needs 5 (free 4)");
    }

    @Test
    void ramOvercommit15() {
        // 64 GiB × 1.5 = 96 GiB = 98304 MiB
        Host h = host("kvm-1", "ber-1", 16, 65_536, "4.0", "1.5", 0, HostState.ENABLED);
        assertThat(h.ramCapacityMib()).isEqualTo(98_304);

        assertThat(Placement.place(request(1, 98_304), List.of(load(h, 0, 0))).placed()).isTrue();
        assertThat(Placement.place(request(1, 98_305), List.of(load(h, 0, 0))).verdicts().get(0).reason())
                .isEqualTo("RAM 0/98304 MiB allocated after overcommit and reserve, needs 98305 (free 98304)");
    }

    @Test
    void reserveIsTakenOffBeforeOvercommit() {
        // (65536 − 2048) × 1.5 = 95232; taking the reserve off after overcommit would give 96256
        Host h = host("kvm-1", "ber-1", 16, 65_536, "4.0", "1.5", 2_048, HostState.ENABLED);

        assertThat(Placement.place(request(1, 95_232), List.of(load(h, 0, 0))).placed()).isTrue();
        PlacementDecision d = Placement.place(request(1, 95_233), List.of(load(h, 0, 0)));
        assertThat(d.placed()).isFalse();
        assertThat(d.verdicts().get(0).reason()).contains("/95232 MiB");
    }

    @Test
    void reserveLargerThanRamMeansCapacityZeroAndRefusalWithoutException() {
        Host h = host("kvm-1", "ber-1", 16, 2_048, "4.0", "1.5", 4_096, HostState.ENABLED);
        assertThat(h.ramCapacityMib()).isZero();

        assertThatCode(() -> Placement.place(request(1, 1), List.of(load(h, 0, 0)))).doesNotThrowAnyException();
        PlacementDecision d = Placement.place(request(1, 1), List.of(load(h, 0, 0)));
        assertThat(d.placed()).isFalse();
        assertThat(d.verdicts().get(0).reason()).isEqualTo(
                "RAM 0/0 MiB allocated after overcommit and reserve, needs 1 (free 0, reserve 4096 MiB ≥ physical 2048 MiB)");
    }

    @Test
    void hostNotYetConnectedFitsNothing() {
        Host h = host("kvm-new", "ber-1", 0, 0, "4.0", "1.0", 4_096, HostState.ENABLED);
        PlacementDecision d = Placement.place(request(1, 512), List.of(load(h, 0, 0)));
        assertThat(d.placed()).isFalse();
        assertThat(d.verdicts().get(0).reason()).isEqualTo(
                "RAM 0/0 MiB allocated after overcommit and reserve, needs 512 (free 0, reserve 4096 MiB ≥ physical 0 MiB); "
                        + "vCPU 0/0 allocated after overcommit 4.0, needs 1 (free 0)");
    }

    @Test
    void overAllocatedHostSaysByHowMuch() {
        // ratio lowered after VMs were placed: 100000 allocated on 94208
        Host h = host("kvm-1", "ber-1", 32, 98_304, "4.0", "1.0", 4_096, HostState.ENABLED);
        assertThat(Placement.place(request(1, 1), List.of(load(h, 0, 100_000))).verdicts().get(0).reason())
                .isEqualTo("RAM 100000/94208 MiB allocated after overcommit and reserve, needs 1 (over by 5792)");
    }

    // ---------------------------------------------------------------- strategies and tie-breaks

    @Test
    void spreadAndPackChooseDifferentHostsOnTheSameInput() {
        List<HostLoad> hosts = List.of(
                load(enabled("kvm-a", 65_536), 0, 49_152),   // 16384 free → 8192 after
                load(enabled("kvm-b", 65_536), 0, 16_384),   // 49152 free → 40960 after
                load(enabled("kvm-c", 65_536), 0, 32_768));  // 32768 free → 24576 after

        PlacementDecision spread = Placement.place(request(2, 8_192, SPREAD), hosts);
        PlacementDecision pack = Placement.place(request(2, 8_192, PACK), hosts);

        assertThat(spread.hostId()).isEqualTo("id-kvm-b");
        assertThat(pack.hostId()).isEqualTo("id-kvm-a");
        assertThat(spread.verdicts().get(0).reason()).isEqualTo("fits: 40960 MiB and 62 vCPU free after placement");
        assertThat(pack.verdicts().get(0).reason()).isEqualTo("fits: 8192 MiB and 62 vCPU free after placement");
    }

    @Test
    void strategyNullMeansSpread() {
        List<HostLoad> hosts = List.of(load(enabled("kvm-a", 65_536), 0, 49_152), load(enabled("kvm-b", 65_536), 0, 0));
        assertThat(Placement.place(new PlacementRequest(1, 1_024, 10, null, null, null), hosts).hostId())
                .isEqualTo("id-kvm-b");
    }

    @Test
    void packIgnoresHostsWhereTheVmDoesNotFit() {
        List<HostLoad> hosts = List.of(
                load(enabled("kvm-full", 65_536), 0, 61_440),  // 4096 free: too small
                load(enabled("kvm-half", 65_536), 0, 32_768));
        assertThat(Placement.place(request(1, 8_192, PACK), hosts).hostId()).isEqualTo("id-kvm-half");
    }

    @Test
    void equalRamGoesToMostFreeVcpuForBothStrategies() {
        List<HostLoad> hosts = List.of(
                load(enabled("kvm-a", 65_536), 60, 0),   // 4 vCPU free
                load(enabled("kvm-b", 65_536), 10, 0));  // 54 vCPU free
        assertThat(Placement.place(request(1, 1_024, SPREAD), hosts).hostId()).isEqualTo("id-kvm-b");
        assertThat(Placement.place(request(1, 1_024, PACK), hosts).hostId()).isEqualTo("id-kvm-b");
    }

    @Test
    void fullTieGoesToHostNameWhateverTheInputOrder() {
        List<HostLoad> hosts = new ArrayList<>(List.of(
                load(enabled("kvm-c", 65_536), 0, 0),
                load(enabled("kvm-a", 65_536), 0, 0),
                load(enabled("kvm-b", 65_536), 0, 0)));
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(hosts, random);
            for (PlacementStrategy s : PlacementStrategy.values()) {
                PlacementDecision d = Placement.place(request(1, 1_024, s), hosts);
                assertThat(d.hostId()).isEqualTo("id-kvm-a");
                assertThat(d.verdicts()).extracting(HostVerdict::hostName).containsExactly("kvm-a", "kvm-b", "kvm-c");
            }
        }
    }

    // ---------------------------------------------------------------- refusals

    @Test
    void maintenanceIsRefused() {
        Host h = host("kvm-1", "ber-1", 16, 65_536, "4.0", "1.0", 0, HostState.MAINTENANCE);
        PlacementDecision d = Placement.place(request(1, 1_024), List.of(load(h, 0, 0)));
        assertThat(d.placed()).isFalse();
        assertThat(d.verdicts()).containsExactly(new HostVerdict("id-kvm-1", "kvm-1", false, "in MAINTENANCE"));
    }

    @Test
    void downIsRefused() {
        Host h = host("kvm-1", "ber-1", 16, 65_536, "4.0", "1.0", 0, HostState.DOWN);
        PlacementDecision d = Placement.place(request(1, 1_024), List.of(load(h, 0, 0)));
        assertThat(d.placed()).isFalse();
        assertThat(d.verdicts()).containsExactly(new HostVerdict("id-kvm-1", "kvm-1", false, "DOWN"));
    }

    @Test
    void otherSiteIsRefused() {
        Host h = host("kvm-1", "fra-2", 16, 65_536, "4.0", "1.0", 0, HostState.ENABLED);
        PlacementDecision d = Placement.place(new PlacementRequest(1, 1_024, 10, null, "ber-1", SPREAD), List.of(load(h, 0, 0)));
        assertThat(d.placed()).isFalse();
        assertThat(d.verdicts().get(0).reason()).isEqualTo("site fra-2, not ber-1");
    }

    @Test
    void noSiteInTheRequestMeansAnySite() {
        Host h = host("kvm-1", "fra-2", 16, 65_536, "4.0", "1.0", 0, HostState.ENABLED);
        assertThat(Placement.place(request(1, 1_024), List.of(load(h, 0, 0))).placed()).isTrue();
    }

    @Test
    void matchingSiteIsChosenOverABetterHostElsewhere() {
        List<HostLoad> hosts = List.of(
                load(host("kvm-fra", "fra-2", 64, 524_288, "4.0", "1.0", 0, HostState.ENABLED), 0, 0),
                load(host("kvm-ber", "ber-1", 16, 65_536, "4.0", "1.0", 0, HostState.ENABLED), 0, 0));
        PlacementDecision d = Placement.place(new PlacementRequest(1, 1_024, 10, null, "ber-1", SPREAD), hosts);
        assertThat(d.hostId()).isEqualTo("id-kvm-ber");
    }

    @Test
    void antiAffinityGroupIsRefused() {
        HostLoad withDb = load(enabled("kvm-1", 65_536), 0, 0, "db", "web");
        HostLoad withoutDb = load(enabled("kvm-2", 32_768), 0, 16_384, "web");
        PlacementRequest req = new PlacementRequest(1, 1_024, 10, "db", null, SPREAD);

        PlacementDecision d = Placement.place(req, List.of(withDb, withoutDb));

        assertThat(d.hostId()).isEqualTo("id-kvm-2");
        assertThat(d.verdicts().get(1)).isEqualTo(
                new HostVerdict("id-kvm-1", "kvm-1", false, "already holds a VM of anti-affinity group db"));
    }

    @Test
    void noAntiAffinityGroupInTheRequestIgnoresTheHostsGroups() {
        assertThat(Placement.place(request(1, 1_024), List.of(load(enabled("kvm-1", 65_536), 0, 0, "db"))).placed()).isTrue();
    }

    @Test
    void severalReasonsAreAllListedInAFixedOrder() {
        Host h = host("kvm-1", "fra-2", 16, 98_304, "4.0", "1.0", 4_096, HostState.MAINTENANCE);
        PlacementRequest req = new PlacementRequest(4, 9_216, 50, "db", "ber-1", SPREAD);

        PlacementDecision d = Placement.place(req, List.of(load(h, 62, 86_016, "db")));

        assertThat(d.placed()).isFalse();
        assertThat(d.verdicts().get(0).reason()).isEqualTo("in MAINTENANCE; "
                + "site fra-2, not ber-1; "
                + "RAM 86016/94208 MiB allocated after overcommit and reserve, needs 9216 (free 8192); "
                + "vCPU 62/64 allocated after overcommit 4.0, needs 4 (free 2); "
                + "already holds a VM of anti-affinity group db");
    }

    @Test
    void diskMustFitTheStoragePoolAndTheRefusalSaysBy() {
        // pool of 1000 GiB, 990 allocated: 10 GiB fit, 11 do not
        HostLoad load = new HostLoad(enabled("kvm-1", 65_536), 0, 0, 990, Set.of());
        assertThat(Placement.place(new PlacementRequest(1, 1_024, 10, null, null, SPREAD), List.of(load)).placed()).isTrue();
        PlacementDecision d = Placement.place(new PlacementRequest(1, 1_024, 11, null, null, SPREAD), List.of(load));
        assertThat(d.placed()).isFalse();
        assertThat(d.verdicts().get(0).reason())
                .isEqualTo("disk 990/1000 GiB allocated in the storage pool, needs 11 (free 10)");
    }

    @Test
    void hostWithoutTheStoragePoolFitsNoVm() {
        Host noPool = new Host("id-x", "kvm-x", "test:///default", "ber-1", 16, 65_536, 0, new BigDecimal("4.0"),
                BigDecimal.ONE, 0, HostState.ENABLED, CREATED);
        PlacementDecision d = Placement.place(request(1, 1_024), List.of(new HostLoad(noPool, 0, 0, 0, Set.of())));
        assertThat(d.placed()).isFalse();
        assertThat(d.explain()).contains("disk 0/0 GiB");
    }

    // ---------------------------------------------------------------- decision shape

    @Test
    void noHostsGiveNoHostAndNoVerdicts() {
        PlacementDecision d = Placement.place(request(1, 1_024), List.of());
        assertThat(d.hostId()).isNull();
        assertThat(d.placed()).isFalse();
        assertThat(d.verdicts()).isEmpty();
        assertThat(d.explain()).isEmpty();
    }

    @Test
    void chosenVerdictComesFirstThenTheOthersByName() {
        List<HostLoad> hosts = List.of(
                load(enabled("kvm-d", 65_536), 0, 0),
                load(host("kvm-b", "ber-1", 16, 65_536, "4.0", "1.0", 0, HostState.DOWN), 0, 0),
                load(enabled("kvm-c", 65_536), 0, 32_768),
                load(enabled("kvm-a", 65_536), 0, 61_440));

        PlacementDecision d = Placement.place(request(2, 8_192), hosts);

        assertThat(d.hostId()).isEqualTo("id-kvm-d");
        assertThat(d.verdicts()).extracting(HostVerdict::hostName).containsExactly("kvm-d", "kvm-a", "kvm-b", "kvm-c");
        assertThat(d.verdicts()).extracting(HostVerdict::fits).containsExactly(true, false, false, true);
        assertThat(d.verdicts()).extracting(HostVerdict::hostId).containsExactly("id-kvm-d", "id-kvm-a", "id-kvm-b", "id-kvm-c");
    }

    @Test
    void verdictsAreSortedByNameWhenNothingFits() {
        List<HostLoad> hosts = List.of(
                load(host("kvm-z", "ber-1", 16, 65_536, "4.0", "1.0", 0, HostState.DOWN), 0, 0),
                load(host("kvm-m", "ber-1", 16, 65_536, "4.0", "1.0", 0, HostState.MAINTENANCE), 0, 0));
        assertThat(Placement.place(request(1, 1), hosts).verdicts()).extracting(HostVerdict::hostName)
                .containsExactly("kvm-m", "kvm-z");
    }

    @Test
    void explainListsEveryHostWithItsReason() {
        List<HostLoad> hosts = List.of(
                load(host("kvm-2", "ber-1", 16, 65_536, "4.0", "1.0", 0, HostState.MAINTENANCE), 0, 0),
                load(host("kvm-1", "ber-1", 32, 98_304, "4.0", "1.0", 4_096, HostState.ENABLED), 16, 86_016),
                load(host("kvm-3", "ber-1", 16, 65_536, "4.0", "1.0", 0, HostState.ENABLED), 62, 0));

        PlacementDecision refused = Placement.place(request(4, 9_216), hosts);
        assertThat(refused.placed()).isFalse();
        assertThat(refused.explain()).isEqualTo(
                "kvm-1: RAM 86016/94208 MiB allocated after overcommit and reserve, needs 9216 (free 8192) | "
                        + "kvm-2: in MAINTENANCE | "
                        + "kvm-3: vCPU 62/64 allocated after overcommit 4.0, needs 4 (free 2)");

        PlacementDecision placed = Placement.place(request(2, 8_192), hosts);
        assertThat(placed.explain()).isEqualTo(
                "kvm-3: fits: 57344 MiB and 0 vCPU free after placement | "
                        + "kvm-1: fits: 0 MiB and 110 vCPU free after placement | "
                        + "kvm-2: in MAINTENANCE");
    }

    @Test
    void singleVerdictMatchesPlace() {
        HostLoad l = load(host("kvm-1", "ber-1", 32, 98_304, "4.0", "1.0", 4_096, HostState.ENABLED), 16, 86_016);
        assertThat(Placement.verdict(request(2, 9_216), l)).isEqualTo(Placement.place(request(2, 9_216), List.of(l)).verdicts().get(0));
    }

    @Test
    void ratioIsShownWithAtLeastOneDecimal() {
        assertThat(Placement.ratio(new BigDecimal("4.00"))).isEqualTo("4.0");
        assertThat(Placement.ratio(new BigDecimal("4"))).isEqualTo("4.0");
        assertThat(Placement.ratio(new BigDecimal("1.50"))).isEqualTo("1.5");
        assertThat(Placement.ratio(new BigDecimal("1.25"))).isEqualTo("1.25");
        assertThat(Placement.ratio(new BigDecimal("10.00"))).isEqualTo("10.0");
    }

    // ---------------------------------------------------------------- property

    /**
     * 1,000 random host sets and requests (fixed seed): the chosen host satisfies every constraint
     * and is the best by the strategy; when none is chosen, no host satisfies them all. Checked
     * against {@link #satisfies}, which computes capacities independently (integer arithmetic on
     * hundredths, not {@link Host#ramCapacityMib()}/{@link Host#vcpuCapacity()}).
     */
    @Test
    void randomHostSetsAgreeWithAStraightforwardPredicate() {
        Random random = new Random(20250101L);
        String[] sites = {"ber-1", "fra-2"};
        String[] groups = {"db", "web", "cache"};
        int placedCount = 0;
        int refusedCount = 0;
        for (int run = 0; run < 1_000; run++) {
            int n = random.nextInt(7); // 0..6 hosts
            List<HostLoad> hosts = new ArrayList<>();
            List<Sample> samples = new ArrayList<>();
            PlacementRequest req = new PlacementRequest(
                    1 + random.nextInt(16),
                    1_024L * (1 + random.nextInt(32)),
                    1 + random.nextInt(100),
                    random.nextInt(3) == 0 ? null : groups[random.nextInt(groups.length)],
                    random.nextInt(3) == 0 ? null : sites[random.nextInt(sites.length)],
                    random.nextBoolean() ? SPREAD : PACK);
            for (int i = 0; i < n; i++) {
                int cores = new int[] {0, 4, 8, 16, 32}[random.nextInt(5)];
                long ram = new long[] {0, 8_192, 32_768, 65_536, 98_304}[random.nextInt(5)];
                int cpuHundredths = new int[] {100, 150, 200, 400, 275}[random.nextInt(5)];
                int ramHundredths = new int[] {100, 125, 150, 100, 133}[random.nextInt(5)];
                long reserve = new long[] {0, 2_048, 4_096, 16_384}[random.nextInt(4)];
                HostState state = random.nextInt(5) == 0 ? HostState.values()[1 + random.nextInt(2)] : HostState.ENABLED;
                String name = "kvm-" + random.nextInt(5); // duplicate names on purpose: id breaks the tie
                Host h = new Host("id-" + run + "-" + i, name, "test:///default", sites[random.nextInt(sites.length)],
                        cores, ram, 10_000, BigDecimal.valueOf(cpuHundredths, 2), BigDecimal.valueOf(ramHundredths, 2),
                        reserve, state, CREATED);
                long vcpuCap = cores * cpuHundredths / 100L;
                long ramCap = Math.max(0, (ram - reserve) * ramHundredths / 100L);
                // allocations around the boundary: sometimes exactly capacity − request
                long vcpuAlloc = random.nextInt(4) == 0 ? Math.max(0, vcpuCap - req.vcpu()) : random.nextInt((int) vcpuCap + 2);
                long ramAlloc = random.nextInt(4) == 0 ? Math.max(0, ramCap - req.ramMib())
                        : random.nextInt(4) == 0 ? Math.max(0, ramCap - req.ramMib() + 1) : (long) (random.nextDouble() * (ramCap + 1));
                Set<String> hostGroups = random.nextBoolean() ? Set.of() : Set.of(groups[random.nextInt(groups.length)]);
                HostLoad l = new HostLoad(h, vcpuAlloc, ramAlloc, 0, hostGroups);
                hosts.add(l);
                samples.add(new Sample(l, vcpuCap, ramCap));
            }

            PlacementDecision d = Placement.place(req, hosts);

            List<Sample> fitting = samples.stream().filter(s -> satisfies(s, req)).toList();
            String context = "run " + run + ": " + req + " on " + hosts + " → " + d;
            assertThat(d.verdicts()).as(context).hasSize(n);
            for (Sample s : samples) {
                HostVerdict v = d.verdicts().stream().filter(x -> x.hostId().equals(s.load().host().id())).findFirst().orElseThrow();
                assertThat(v.fits()).as(context).isEqualTo(satisfies(s, req));
                assertThat(v.reason()).as(context).isNotBlank();
            }
            if (d.placed()) {
                placedCount++;
                Sample chosen = samples.stream().filter(s -> s.load().host().id().equals(d.hostId())).findFirst().orElseThrow();
                assertThat(satisfies(chosen, req)).as(context).isTrue();
                assertThat(d.verdicts().get(0).hostId()).as(context).isEqualTo(d.hostId());
                for (Sample other : fitting) {
                    assertThat(notBetter(other, chosen, req)).as(context + " / " + other.load().host().id()).isTrue();
                }
            } else {
                refusedCount++;
                assertThat(fitting).as(context).isEmpty();
            }
            // verdicts after the chosen one are sorted by name, then id
            List<HostVerdict> rest = d.verdicts().subList(d.placed() ? 1 : 0, n);
            for (int i = 1; i < rest.size(); i++) {
                HostVerdict a = rest.get(i - 1);
                HostVerdict b = rest.get(i);
                int c = a.hostName().compareTo(b.hostName());
                assertThat(c < 0 || c == 0 && a.hostId().compareTo(b.hostId()) < 0).as(context).isTrue();
            }
        }
        // the generator exercises both outcomes
        assertThat(placedCount).isGreaterThan(100);
        assertThat(refusedCount).isGreaterThan(100);
    }

    private record Sample(HostLoad load, long vcpuCap, long ramCap) {
        long ramAfter(PlacementRequest r) {
            return ramCap - load.ramMib() - r.ramMib();
        }

        long vcpuAfter(PlacementRequest r) {
            return vcpuCap - load.vcpu() - r.vcpu();
        }
    }

    private static boolean satisfies(Sample s, PlacementRequest r) {
        Host h = s.load().host();
        return h.state() == HostState.ENABLED
                && (r.site() == null || r.site().equals(h.site()))
                && s.load().vcpu() + r.vcpu() <= s.vcpuCap()
                && s.load().ramMib() + r.ramMib() <= s.ramCap()
                && (r.antiAffinityGroup() == null || !s.load().antiAffinityGroups().contains(r.antiAffinityGroup()));
    }

    /** Whether {@code other} does not beat {@code chosen} under the strategy and the tie-breaks. */
    private static boolean notBetter(Sample other, Sample chosen, PlacementRequest r) {
        return other == chosen || preferred(chosen, other, r);
    }

    /** Whether {@code a} is strictly preferred to {@code b}, spelled out without comparators. */
    private static boolean preferred(Sample a, Sample b, PlacementRequest r) {
        long ramA = a.ramAfter(r);
        long ramB = b.ramAfter(r);
        if (ramA != ramB) {
            return r.strategy() == PACK ? ramA < ramB : ramA > ramB;
        }
        if (a.vcpuAfter(r) != b.vcpuAfter(r)) {
            return a.vcpuAfter(r) > b.vcpuAfter(r);
        }
        int byName = a.load().host().name().compareTo(b.load().host().name());
        if (byName != 0) {
            return byName < 0;
        }
        return a.load().host().id().compareTo(b.load().host().id()) < 0;
    }

    // ---------------------------------------------------------------- helpers

    private static Host host(String name, String site, int cores, long ramMib, String cpuOvercommit, String ramOvercommit,
            long reserveMib, HostState state) {
        return new Host("id-" + name, name, "test:///default", site, cores, ramMib, 1000, new BigDecimal(cpuOvercommit),
                new BigDecimal(ramOvercommit), reserveMib, state, CREATED);
    }

    /** 16 cores × 4.0 = 64 vCPU, no reserve, no RAM overcommit, site ber-1. */
    private static Host enabled(String name, long ramMib) {
        return host(name, "ber-1", 16, ramMib, "4.0", "1.0", 0, HostState.ENABLED);
    }

    private static HostLoad load(Host host, long vcpu, long ramMib, String... groups) {
        return new HostLoad(host, vcpu, ramMib, 0, Set.of(groups));
    }

    private static PlacementRequest request(int vcpu, long ramMib) {
        return request(vcpu, ramMib, SPREAD);
    }

    private static PlacementRequest request(int vcpu, long ramMib, PlacementStrategy strategy) {
        return new PlacementRequest(vcpu, ramMib, 20, null, null, strategy);
    }
}

package de.sid.verbund.compute.core.internal.placement;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.HostVerdict;
import de.sid.verbund.compute.PlacementDecision;
import de.sid.verbund.compute.PlacementRequest;
import de.sid.verbund.compute.PlacementStrategy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Chooses the host for a new VM. Plain Java: no OSGi, no I/O, no state; the caller supplies the
 * hosts with what is allocated on them ({@link HostLoad}) and persists the decision.
 *
 * <p>Units: RAM in MiB, CPU in vCPUs, throughout (inputs, comparisons and reason texts).
 *
 * <p>The rule (from the placement issue: capacity with overcommit and reserve, explained per
 * host). A host fits a {@link PlacementRequest} when all of these hold:
 * <ol>
 * <li>its state is {@link HostState#ENABLED} (not MAINTENANCE, not DOWN);</li>
 * <li>its site equals the request's site, when the request names one (exact, case-sensitive);</li>
 * <li>allocated RAM + requested RAM ≤ {@link Host#ramCapacityMib()}, i.e.
 *     {@code floor((ramMib − ramReserveMib) × ramOvercommit)}, at least 0: the reserve is taken
 *     off the physical RAM <em>before</em> the overcommit ratio applies;</li>
 * <li>allocated vCPUs + requested vCPUs ≤ {@link Host#vcpuCapacity()}, i.e.
 *     {@code floor(cpuCores × cpuOvercommit)};</li>
 * <li>allocated disk + requested disk ≤ {@link Host#diskGib()}, the capacity of the storage pool
 *     VM volumes go to (no overcommit: libvirt allocates a volume's capacity when it is created
 *     from an image, and a full pool fails the define);</li>
 * <li>it holds no VM of the request's anti-affinity group, when the request names one (exact,
 *     case-sensitive).</li>
 * </ol>
 * Among the hosts that fit, {@link PlacementStrategy#SPREAD} chooses the one with the most free
 * RAM after placement, {@link PlacementStrategy#PACK} the one with the least; ties go to the most
 * free vCPUs after placement (for both strategies), then to the host name, then to the host id,
 * so the choice does not depend on the order of the input.
 *
 * <p>Not checked here: volumes in the pool that Verbund did not create (images, unmanaged
 * domains; the define then fails with a clear "no space" error), NUMA, CPU model or features, network, and whether the host is actually reachable right
 * now (only its recorded {@link HostState}). Capacities are taken as recorded; a host not yet
 * connected has 0 cores and 0 MiB and therefore fits nothing.
 *
 * <p>Every host gets a {@link HostVerdict}. Its reason states the facts with numbers: for a host
 * that does not fit, every reason that applies, in the order state, site, RAM, vCPU,
 * disk, anti-affinity, separated by {@code "; "}, e.g.
 * {@code "RAM 86016/94208 MiB allocated after overcommit and reserve, needs 9216 (free 8192)"};
 * for one that fits, {@code "fits: 30720 MiB and 20 vCPU free after placement"}. The chosen
 * host's verdict comes first, the others follow sorted by host name.
 */
public final class Placement {

    /** Separates several reasons within one verdict. */
    public static final String REASON_SEPARATOR = "; ";

    private Placement() {
    }

    /**
     * Decides where a VM goes.
     *
     * @param request what the VM needs (vCPUs, MiB, anti-affinity group, site, strategy)
     * @param hosts every host to consider, with its current allocation; may be empty
     * @return the chosen host's id (or {@code null} when the request fits nowhere) and one verdict
     *         per host, the chosen one first, the others by name; with no hosts at all, a
     *         {@code null} host id and no verdicts (callers report "no hosts registered")
     */
    public static PlacementDecision place(PlacementRequest request, Collection<HostLoad> hosts) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(hosts, "hosts");
        List<Evaluation> evaluations = new ArrayList<>(hosts.size());
        for (HostLoad load : hosts) {
            evaluations.add(evaluate(request, Objects.requireNonNull(load, "host load")));
        }
        Evaluation chosen = evaluations.stream()
                .filter(Evaluation::fits)
                .min(preference(request.strategy()))
                .orElse(null);

        List<HostVerdict> verdicts = new ArrayList<>(evaluations.size());
        if (chosen != null) {
            verdicts.add(chosen.verdict());
        }
        evaluations.stream()
                .filter(e -> e != chosen)
                .sorted(BY_NAME)
                .forEach(e -> verdicts.add(e.verdict()));
        return new PlacementDecision(chosen == null ? null : chosen.host().id(), verdicts);
    }

    /**
     * Evaluates one host against a request, without choosing.
     *
     * @param request what the VM needs
     * @param load the host and what is allocated on it
     * @return whether the request fits there and why (or why not)
     */
    public static HostVerdict verdict(PlacementRequest request, HostLoad load) {
        return evaluate(Objects.requireNonNull(request, "request"), Objects.requireNonNull(load, "load")).verdict();
    }

    private static final Comparator<String> NULLS_LAST = Comparator.nullsLast(Comparator.<String>naturalOrder());

    private static final Comparator<Evaluation> BY_NAME = Comparator
            .comparing((Evaluation e) -> e.host().name(), NULLS_LAST)
            .thenComparing(e -> e.host().id(), NULLS_LAST);

    /** Most preferred first. */
    private static Comparator<Evaluation> preference(PlacementStrategy strategy) {
        Comparator<Evaluation> byRam = Comparator.comparingLong(Evaluation::ramFreeAfter);
        if (strategy != PlacementStrategy.PACK) {
            byRam = byRam.reversed();
        }
        return byRam
                .thenComparing(Comparator.comparingLong(Evaluation::vcpuFreeAfter).reversed())
                .thenComparing(BY_NAME);
    }

    private static Evaluation evaluate(PlacementRequest request, HostLoad load) {
        Host host = load.host();
        List<String> reasons = new ArrayList<>(4);

        if (host.state() != HostState.ENABLED) {
            reasons.add(host.state() == HostState.MAINTENANCE ? "in MAINTENANCE"
                    : host.state() == null ? "state unknown" : host.state().name());
        }

        if (request.site() != null && !request.site().equals(host.site())) {
            reasons.add("site " + (host.site() == null ? "unset" : host.site()) + ", not " + request.site());
        }

        long ramCapacity = host.ramCapacityMib();
        long ramFree = ramCapacity - load.ramMib();
        if (request.ramMib() > ramFree) {
            StringBuilder r = new StringBuilder()
                    .append("RAM ").append(load.ramMib()).append('/').append(ramCapacity)
                    .append(" MiB allocated after overcommit and reserve, needs ").append(request.ramMib())
                    .append(" (").append(freeText(ramFree));
            if (host.ramReserveMib() >= host.ramMib()) {
                r.append(", reserve ").append(host.ramReserveMib()).append(" MiB ≥ physical ")
                        .append(host.ramMib()).append(" MiB");
            }
            reasons.add(r.append(')').toString());
        }

        long vcpuCapacity = host.vcpuCapacity();
        long vcpuFree = vcpuCapacity - load.vcpu();
        if (request.vcpu() > vcpuFree) {
            reasons.add("vCPU " + load.vcpu() + "/" + vcpuCapacity + " allocated after overcommit "
                    + ratio(host.cpuOvercommit()) + ", needs " + request.vcpu() + " (" + freeText(vcpuFree) + ")");
        }

        long diskFree = host.diskGib() - load.diskGib();
        if (request.diskGib() > diskFree) {
            reasons.add("disk " + load.diskGib() + "/" + host.diskGib() + " GiB allocated in the storage pool, needs "
                    + request.diskGib() + " (" + freeText(diskFree) + ")");
        }

        String group = request.antiAffinityGroup();
        if (group != null && load.antiAffinityGroups().contains(group)) {
            reasons.add("already holds a VM of anti-affinity group " + group);
        }

        long ramFreeAfter = ramFree - request.ramMib();
        long vcpuFreeAfter = vcpuFree - request.vcpu();
        boolean fits = reasons.isEmpty();
        String reason = fits
                ? "fits: " + ramFreeAfter + " MiB and " + vcpuFreeAfter + " vCPU free after placement"
                : String.join(REASON_SEPARATOR, reasons);
        return new Evaluation(host, fits, ramFreeAfter, vcpuFreeAfter,
                new HostVerdict(host.id(), host.name(), fits, reason));
    }

    /** "free 8192", or "over by 2048" when more is allocated than the capacity allows. */
    private static String freeText(long free) {
        return free >= 0 ? "free " + free : "over by " + (-free);
    }

    /** An overcommit ratio as stored (DECIMAL(6,2)), shown with at least one decimal: 4.00 → "4.0", 1.25 → "1.25". */
    static String ratio(BigDecimal ratio) {
        BigDecimal r = ratio.stripTrailingZeros();
        if (r.scale() < 1) {
            r = r.setScale(1);
        }
        return r.toPlainString();
    }

    private record Evaluation(Host host, boolean fits, long ramFreeAfter, long vcpuFreeAfter, HostVerdict verdict) {
    }
}

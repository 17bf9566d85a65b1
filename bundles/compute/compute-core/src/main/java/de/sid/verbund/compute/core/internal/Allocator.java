package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.PlacementDecision;
import de.sid.verbund.compute.PlacementRequest;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.core.internal.placement.Placement;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.ProblemException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Places a VM and reserves its capacity: placement on the best hosts that fit now (the database
 * filters and orders the hosts by placement's rule, {@link ComputeStore#candidates}; all hosts
 * are read only to explain a refusal), then the insert
 * of the VM row under the chosen host's row lock, re-checking that it still fits there. When
 * another request took the room meanwhile, placement runs again on fresh numbers. So parallel
 * requests, on this node or others sharing the database, never over-commit a host.
 */
final class Allocator {
    static final int ATTEMPTS = 20;
    /** Hosts read per placement: the best that fit, in placement's order. */
    static final int CANDIDATES = 16;

    private final ComputeStore store;

    Allocator(ComputeStore store) {
        this.store = store;
    }

    /** A VM row in PROVISIONING holding its capacity, and the host it holds it on. */
    record Allocation(Vm vm, Host host) {
    }

    /**
     * @param tenant canonical tenant id
     * @return the VM row, in PROVISIONING, holding its capacity, and its host
     * @throws ProblemException CONFLICT "no capacity" with every host's reason
     */
    Allocation allocate(VmRequest r, String tenant) {
        PlacementRequest pr = new PlacementRequest(r.vcpu(), r.ramMib(), r.diskGib(), r.antiAffinityGroup(), r.site(),
                r.strategy());
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            // the database narrows the hosts to the best few that fit; placement decides among them
            List<HostLoad> loads = store.candidates(pr, tenant, CANDIDATES);
            PlacementDecision d = loads.isEmpty() ? null : Placement.place(pr, loads);
            if (d == null || !d.placed()) {
                // nothing fits: every host's reason, from all of them
                List<HostLoad> all = store.loads(tenant, r.antiAffinityGroup());
                if (all.isEmpty()) {
                    throw ProblemException.conflict("no capacity: no hosts are registered");
                }
                d = Placement.place(pr, all);
                if (!d.placed()) {
                    throw ProblemException.conflict("no capacity for " + r.vcpu() + " vCPU, " + r.ramMib() + " MiB, "
                            + r.diskGib() + " GiB: " + d.explain());
                }
                loads = all;
            }
            String hostId = d.hostId();
            Vm candidate = new Vm(Ids.newId(), r.name(), tenant, r.offeringId(), hostId, VmState.PROVISIONING, r.vcpu(),
                    r.ramMib(), r.diskGib(), r.antiAffinityGroup(), Instant.now().truncatedTo(ChronoUnit.MICROS));
            if (store.reserve(candidate, load -> Placement.place(pr, List.of(load)).placed(), null)) {
                Host host = loads.stream().map(HostLoad::host).filter(h -> h.id().equals(hostId)).findFirst().orElseThrow();
                return new Allocation(candidate, host);
            }
        }
        throw ProblemException.conflict("no capacity: hosts filled up while placing (tried " + ATTEMPTS + " times)");
    }
}

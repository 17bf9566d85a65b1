package de.sid.verbund.compute;

import de.sid.verbund.core.Page;
import java.util.List;
import java.util.Optional;

/**
 * Hosts and VMs. Methods do not check permissions; REST and shell do. Errors are
 * {@link de.sid.verbund.core.ProblemException}s: BAD_REQUEST for invalid input, NOT_FOUND,
 * CONFLICT (no capacity, name taken, wrong state), UNAVAILABLE (host unreachable).
 */
public interface ComputeService {
    /** Registers a host; it connects in the background and reads its capacity. */
    Host registerHost(NewHost host);

    List<Host> hosts();

    Optional<Host> host(String id);

    /** Puts a host into MAINTENANCE (no new VMs) or back to ENABLED. */
    Host setMaintenance(String hostId, boolean maintenance);

    /**
     * Domains on a host that Verbund does not manage (defined outside it).
     *
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND, UNAVAILABLE when the host is not connected
     */
    List<de.sid.verbund.compute.spi.DomainInfo> unmanagedDomains(String hostId);

    /**
     * Takes an unmanaged domain under Verbund's management as a VM of an authority (its id stays
     * the domain UUID; its disk size is recorded as 0 GiB, unknown). Its vCPUs and RAM must fit
     * the host's free capacity; publishes {@code vm.created} with the domain's current state.
     *
     * @param name the VM name, or {@code null} for the domain's name
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND for no such domain, CONFLICT when
     *         already managed or it does not fit
     */
    Vm adoptDomain(String hostId, String domainUuid, String tenantId, String name);

    /** Where a VM of this size would go now, and why not elsewhere. Changes nothing. */
    PlacementDecision dryRun(PlacementRequest request);

    /**
     * Places, defines and starts a VM; publishes {@code vm.created} and {@code vm.state-changed}.
     *
     * @throws de.sid.verbund.core.ProblemException CONFLICT with every host's reason when it fits nowhere
     */
    Vm createVm(VmRequest request);

    Page<Vm> vms(VmFilter filter, int limit, String cursor);

    Optional<Vm> vm(String id);

    Vm start(String vmId);

    /** Graceful shutdown with timeout, then power-off. */
    Vm stop(String vmId);

    Vm reboot(String vmId);

    /** Powers off if needed, undefines the domain, deletes its volume; publishes {@code vm.deleted}. */
    Vm delete(String vmId);

    /**
     * Changes vCPUs and RAM of a STOPPED VM (offline resize), if the larger size fits its host;
     * publishes {@code vm.resized} with the new sizing.
     *
     * @throws de.sid.verbund.core.ProblemException CONFLICT when running or when it does not fit
     */
    Vm resize(String vmId, int vcpu, long ramMib);

    /** @return the VM's snapshots, oldest first */
    java.util.List<de.sid.verbund.compute.spi.Snapshot> snapshots(String vmId);

    /** Takes a snapshot named {@code name} (1–63 of a-z, 0-9, '-'). */
    de.sid.verbund.compute.spi.Snapshot createSnapshot(String vmId, String name);

    /** Reverts the VM to a snapshot; its state follows the snapshot's. */
    Vm revertSnapshot(String vmId, String name);

    void deleteSnapshot(String vmId, String name);
}

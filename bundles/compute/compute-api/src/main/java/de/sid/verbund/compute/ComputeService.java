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

    /**
     * Every host with what is allocated on it now (VMs in every state but DELETED and FAILED, plus
     * open reservations): the figures placement checks against {@link Host#vcpuCapacity()},
     * {@link Host#ramCapacityMib()} and {@link Host#diskGib()}. Ordered by name. The anti-affinity
     * groups are not looked up ({@link HostLoad#antiAffinityGroups()} is empty).
     */
    List<HostLoad> hostLoads();

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
    default PlacementDecision dryRun(PlacementRequest request) {
        return dryRun(request, null);
    }

    /**
     * Where a VM of this size for this authority would go now, and why not elsewhere. Changes
     * nothing. Anti-affinity groups belong to an authority: a group is looked up among the
     * authority's VMs only.
     *
     * @param tenantId the owning authority; required when the request names an anti-affinity group
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for a group without an authority
     */
    PlacementDecision dryRun(PlacementRequest request, String tenantId);

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

    /**
     * Cold migration: moves a STOPPED VM to another host, keeping its id (the domain UUID), its
     * domain name, sizing, MAC address and owner.
     *
     * <p>Steps, in this order: the VM's domain is read on its host; capacity is reserved on the
     * target under the target host's lock (checked like a placement, anti-affinity included; when
     * no target is given, placement chooses among the other ENABLED hosts, never the VM's own);
     * the system volume is created and the domain defined on the target; the VM is recorded on
     * the target and {@code vm.migrated} is published (the {@code vm.*} payload with the new
     * {@code hostId}, plus {@code fromHostId}); finally the domain is undefined on the old host and
     * its volume deleted. While the migration runs, the reservation is listed as a PROVISIONING
     * VM of the same name on the target, and other operations on the VM are refused (CONFLICT).
     *
     * <p>Failure: when anything up to and including the definition on the target fails, nothing
     * has changed on the old host and the reservation is released. When only the clean-up on the
     * old host fails, the VM is on the target all the same; what is left on the old host is logged
     * and listed by {@link #unmanagedDomains} there, for an operator to remove.
     *
     * <p>Disk content: the volume on the target gets the capacity and format of the old one. Its
     * content is copied only where the provider can do so; the libvirt provider cannot yet
     * (libvirt-java 0.5.2 does not expose {@code virStorageVolDownload}/{@code Upload}), so it
     * migrates only from libvirt's test driver, whose volumes hold no data, and refuses real hosts
     * with CONFLICT instead of leaving an empty disk behind. Snapshots are not migrated: a VM with
     * snapshots is refused.
     *
     * @param targetHostId the host to move to, or {@code null} to let placement choose
     * @return the VM on its new host (STOPPED)
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND for no such VM or target host;
     *         CONFLICT when the VM is not STOPPED (or is being migrated), has snapshots, the target
     *         is the VM's own host, is not ENABLED or has no room (with the reason), when no host
     *         has room, when the target cannot take the domain (name taken, pool missing) or the
     *         provider cannot migrate it; UNAVAILABLE when the old or the new host is unreachable
     *         (DOWN or not connected)
     */
    Vm migrate(String vmId, String targetHostId);

    /**
     * Empties a host in MAINTENANCE as far as it can be done without an operator's decision: every
     * STOPPED VM is cold-migrated ({@link #migrate} with placement choosing, never back onto this
     * host), one after the other; a VM that cannot be moved is reported with the reason and the
     * others still move. RUNNING, PAUSED and UNKNOWN VMs are not touched but listed: they need a
     * decision (stop them and evacuate again, or wait). VMs still PROVISIONING are listed as not
     * moved.
     *
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND for no such host; CONFLICT when it is
     *         not in MAINTENANCE; UNAVAILABLE when it is DOWN
     */
    Evacuation evacuate(String hostId);
}

package de.sid.verbund.compute;

import java.time.Instant;

/**
 * A virtual machine; its id is the libvirt domain UUID.
 *
 * @param id VM id = domain UUID
 * @param name name, unique among the live VMs of its tenant
 * @param tenantId the owning authority
 * @param offeringId the code of the catalogue offering it was ordered as (e.g. {@code vm-m}), or {@code null}
 * @param hostId the host it is placed on
 * @param state its state
 * @param vcpu virtual CPUs
 * @param ramMib RAM, MiB
 * @param diskGib system disk, GiB
 * @param antiAffinityGroup its anti-affinity group, or {@code null}
 * @param createdAt creation time
 */
public record Vm(String id, String name, String tenantId, String offeringId, String hostId, VmState state, int vcpu,
        long ramMib, int diskGib, String antiAffinityGroup, Instant createdAt) {
}

package de.sid.verbund.compute;

/**
 * A VM to create (and start).
 *
 * @param name 1–63 characters of {@code a-z 0-9 -}, unique among the tenant's live VMs
 * @param tenantId the owning authority (UUID)
 * @param offeringId the catalogue offering's code (e.g. {@code vm-m}, what billing prices by; 1–36
 *        of {@code A-Z a-z 0-9 . _ -}), or {@code null}
 * @param vcpu 1..64
 * @param ramMib 256..1048576
 * @param diskGib 1..16384
 * @param image image volume to clone the system disk from, or {@code null} for an empty disk
 * @param antiAffinityGroup or {@code null}
 * @param site or {@code null} for any
 * @param strategy or {@code null} for SPREAD
 */
public record VmRequest(String name, String tenantId, String offeringId, int vcpu, long ramMib, int diskGib, String image,
        String antiAffinityGroup, String site, PlacementStrategy strategy) {
}

package de.sid.verbund.compute;

/**
 * What a VM needs from a host.
 *
 * @param vcpu virtual CPUs, at least 1
 * @param ramMib RAM in MiB, at least 1
 * @param diskGib disk in GiB, at least 0 (0: an adopted domain, whose volumes Verbund did not create)
 * @param antiAffinityGroup VMs of the same group go to different hosts; {@code null} for none
 * @param site only hosts of this site (data centre); {@code null} for any
 * @param strategy {@code null} for {@link PlacementStrategy#SPREAD}
 */
public record PlacementRequest(int vcpu, long ramMib, int diskGib, String antiAffinityGroup, String site,
        PlacementStrategy strategy) {
    public PlacementRequest {
        if (vcpu < 1 || ramMib < 1 || diskGib < 0) {
            throw new IllegalArgumentException("vcpu and ramMib must be at least 1, diskGib at least 0");
        }
        strategy = strategy == null ? PlacementStrategy.SPREAD : strategy;
    }
}

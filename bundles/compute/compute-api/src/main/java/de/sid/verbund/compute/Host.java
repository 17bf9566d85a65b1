package de.sid.verbund.compute;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A hypervisor host.
 *
 * @param id host id (UUID)
 * @param name unique name, e.g. {@code kvm-3}
 * @param uri libvirt URI, e.g. {@code qemu+ssh://kvm-3/system} or {@code test:///default}
 * @param site data centre
 * @param cpuCores physical cores as read from the hypervisor (0 until first connected)
 * @param ramMib physical RAM in MiB as read from the hypervisor (0 until first connected)
 * @param diskGib capacity of the storage pool VM volumes are created in, GiB, as read from the
 *        hypervisor (0 until first connected, and when the host lacks that pool)
 * @param cpuOvercommit vCPUs allowed per core, e.g. 4.0
 * @param ramOvercommit RAM allowed per physical RAM, e.g. 1.0 (no overcommit)
 * @param ramReserveMib RAM kept for the host itself, MiB, taken off before overcommit applies
 * @param state ENABLED, MAINTENANCE or DOWN
 * @param createdAt registration time
 */
public record Host(String id, String name, String uri, String site, int cpuCores, long ramMib, long diskGib,
        BigDecimal cpuOvercommit, BigDecimal ramOvercommit, long ramReserveMib, HostState state, Instant createdAt) {

    /** @return vCPUs that may be allocated: {@code floor(cpuCores × cpuOvercommit)} */
    public long vcpuCapacity() {
        return BigDecimal.valueOf(cpuCores).multiply(cpuOvercommit).longValue();
    }

    /** @return MiB that may be allocated: {@code floor((ramMib − ramReserveMib) × ramOvercommit)}, at least 0 */
    public long ramCapacityMib() {
        return Math.max(0, BigDecimal.valueOf(ramMib - ramReserveMib).multiply(ramOvercommit).longValue());
    }
}

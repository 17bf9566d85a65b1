package de.sid.verbund.compute.spi;

/**
 * A storage pool as the hypervisor reports it (libvirt's {@code virStoragePoolInfo}).
 *
 * @param name the pool's name, e.g. {@code default-pool}
 * @param capacityBytes the pool's size, bytes
 * @param allocationBytes what its volumes take, bytes
 * @param availableBytes what is left for new volumes, bytes
 */
public record StoragePoolInfo(String name, long capacityBytes, long allocationBytes, long availableBytes) {
    private static final long GIB = 1024L * 1024 * 1024;

    /** @return the capacity in whole GiB (rounded down) */
    public long capacityGib() {
        return capacityBytes / GIB;
    }
}

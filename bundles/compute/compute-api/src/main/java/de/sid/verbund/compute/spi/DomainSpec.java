package de.sid.verbund.compute.spi;

/**
 * A domain to define.
 *
 * @param uuid the UUID the domain must get (Verbund's VM id)
 * @param name the domain name (unique on the host)
 * @param vcpu virtual CPUs
 * @param ramMib memory, MiB
 * @param diskGib size of the system volume, GiB
 * @param image name of the image/template volume the system volume is created from, in the
 *        host's storage pool; {@code null} for an empty volume
 * @param storagePool the storage pool for the volume
 * @param network the network the virtio NIC joins
 */
public record DomainSpec(String uuid, String name, int vcpu, long ramMib, int diskGib, String image,
        String storagePool, String network) {
}

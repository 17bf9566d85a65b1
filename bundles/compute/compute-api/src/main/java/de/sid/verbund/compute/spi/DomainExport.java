package de.sid.verbund.compute.spi;

/**
 * A shut-off domain as read from its host, to define it on another host (cold migration); see
 * {@link HypervisorConnection#exportDomain} and {@link HypervisorConnection#importDomain}.
 *
 * @param uuid the domain UUID (lower-case canonical form), kept on the new host
 * @param name the domain name, kept on the new host
 * @param xml the domain's persistent definition as the provider needs it to define the same
 *        domain elsewhere (for libvirt: the inactive domain XML including secure parts, with the
 *        MAC address); opaque to Verbund
 * @param storagePool the storage pool of its system volume; the new host needs a pool of that name
 * @param volume the system volume's name in that pool
 * @param capacityBytes the system volume's capacity, bytes
 * @param format the volume's format, e.g. {@code qcow2}, or {@code null} for the pool's default
 * @param sourceUri the URI of the host it was exported from, where the importing host's provider
 *        reads the volume's content; it must reach the same host from the node that owns the
 *        target (so {@code qemu+ssh://host/system}, not {@code qemu:///system}, in a cluster)
 * @param contentBytes the bytes of volume content an import copies (the volume's physical size),
 *        0 when there is nothing to copy (libvirt's test driver keeps no data); callers size
 *        their timeouts by it
 */
public record DomainExport(String uuid, String name, String xml, String storagePool, String volume, long capacityBytes,
        String format, String sourceUri, long contentBytes) {
}

package de.sid.verbund.compute.spi;

/**
 * What a hypervisor reports about its hardware.
 *
 * @param cpuCores physical cores (sockets × cores, threads not counted)
 * @param ramMib physical RAM, MiB
 * @param hypervisor the hypervisor type and version, e.g. {@code QEMU 9.0.0}
 */
public record HostCapacity(int cpuCores, long ramMib, String hypervisor) {
}

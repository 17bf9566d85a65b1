package de.sid.verbund.compute.spi;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What a hypervisor reports about its load at one moment, for monitoring.
 *
 * @param readAt when it was read (UTC)
 * @param cpus logical CPUs of the host (libvirt's node info {@code cpus})
 * @param memoryBytes physical memory, bytes
 * @param freeMemoryBytes memory not in use by the host or its guests, bytes (libvirt
 *        {@code virNodeGetFreeMemory}); null when the host does not report it (e.g. no NUMA cell
 *        information)
 * @param runningDomains active domains
 * @param inactiveDomains defined but inactive domains
 * @param domainCpuTimeNanos for each active domain (by UUID) the CPU time its guest used since it
 *        started, nanoseconds (libvirt's domain info {@code cpuTime}); a rate over two readings
 *        gives the guests' CPU load
 */
public record HostStats(Instant readAt, int cpus, long memoryBytes, Long freeMemoryBytes, int runningDomains,
                        int inactiveDomains, Map<String, Long> domainCpuTimeNanos) {
    public HostStats {
        Objects.requireNonNull(readAt, "readAt");
        domainCpuTimeNanos = Map.copyOf(domainCpuTimeNanos);
    }
}

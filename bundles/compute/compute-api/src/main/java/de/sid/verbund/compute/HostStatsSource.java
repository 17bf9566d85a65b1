package de.sid.verbund.compute;

import de.sid.verbund.compute.spi.HostStats;
import java.util.List;

/**
 * The load of every hypervisor host, read from its connection now: what the monitoring area
 * polls to watch hosts as it watches devices.
 */
public interface HostStatsSource {
    /**
     * A host and what its hypervisor reported, or why nothing was read.
     *
     * @param host the host as registered
     * @param stats the reading; null when the host is not connected or the read failed
     * @param problem why there is no reading (e.g. "host kvm-3 is not connected"); null with a reading
     */
    record HostReading(Host host, HostStats stats, String problem) {
    }

    /**
     * Reads every registered host's load, one libvirt round trip set per connected host.
     *
     * @return one reading per host, ordered by host name; empty while compute is not ready
     */
    List<HostReading> readHostStats();
}

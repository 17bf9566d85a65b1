package de.sid.verbund.compute;

import java.util.Set;

/**
 * A host with what is allocated on it now (VMs in every state but DELETED and FAILED, plus
 * open reservations).
 *
 * @param host the host
 * @param vcpu allocated vCPUs
 * @param ramMib allocated RAM, MiB
 * @param diskGib allocated disk (the VMs' system volumes), GiB
 * @param antiAffinityGroups the anti-affinity groups of the VMs on it
 */
public record HostLoad(Host host, long vcpu, long ramMib, long diskGib, Set<String> antiAffinityGroups) {
    public HostLoad {
        antiAffinityGroups = Set.copyOf(antiAffinityGroups);
    }
}

package de.sid.verbund.compute;

import java.util.List;

/**
 * What {@link ComputeService#evacuate} did with each VM of a host in maintenance.
 *
 * @param hostId the evacuated host
 * @param hostName its name
 * @param migrated the VMs that were cold-migrated, in the order they moved
 * @param notMoved the STOPPED (or PROVISIONING) VMs that could not be moved, with the reason
 * @param needsDecision the RUNNING, PAUSED and UNKNOWN VMs, untouched: an operator decides
 */
public record Evacuation(String hostId, String hostName, List<Migrated> migrated, List<NotMoved> notMoved,
        List<NeedsDecision> needsDecision) {
    public Evacuation {
        migrated = List.copyOf(migrated);
        notMoved = List.copyOf(notMoved);
        needsDecision = List.copyOf(needsDecision);
    }

    /**
     * A VM that moved.
     *
     * @param vmId VM id
     * @param name VM name
     * @param targetHostId the host it is on now
     * @param targetHostName that host's name
     */
    public record Migrated(String vmId, String name, String targetHostId, String targetHostName) {
    }

    /**
     * A VM that could not be moved.
     *
     * @param vmId VM id
     * @param name VM name
     * @param reason why, e.g. the placement verdicts of every host when none has room
     */
    public record NotMoved(String vmId, String name, String reason) {
    }

    /**
     * A VM left on the host because it is not stopped.
     *
     * @param vmId VM id
     * @param name VM name
     * @param state RUNNING, PAUSED or UNKNOWN
     */
    public record NeedsDecision(String vmId, String name, VmState state) {
    }
}

package de.sid.verbund.cluster;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.util.List;

/**
 * The node's view of the cluster. Work (polling a device, owning a host connection) is keyed by
 * a string; the member that owns the key's partition does the work. When members join or leave,
 * partitions move and {@link OwnershipListener}s are told so they can start or stop work.
 *
 * <p><b>Split-brain protection.</b> With a minimum cluster size above 1 (configuration
 * {@code min.cluster.size}), a node that sees fewer members than that has no quorum: it may be on
 * the minority side of a network partition. Such a node keeps answering reads but refuses every
 * change ({@link #requireQuorum(String)}: REST 503, shell error) and runs no cluster-wide job
 * ({@link #runsSingleton(String)}). Size the minimum as a majority of the planned members
 * ({@code n / 2 + 1}: 2 of 3), so that at most one side of any partition has it.
 */
public interface ClusterService {
    /** Prefix of the work keys of cluster-wide jobs: {@code singleton:<job>}. */
    String SINGLETON_KEY_PREFIX = "singleton:";
    /** @return the cluster name all members share (configuration {@code cluster.name}) */
    String clusterName();

    /** @return this member's id (stable for the life of the process) */
    String localMemberId();

    /** @return the current members, the local one marked {@link ClusterMember#local()} */
    List<ClusterMember> members();

    /**
     * @param key a work key, e.g. {@code device:<uuid>}
     * @return whether this member owns the key now; {@code false} while the member is not
     *         (yet) part of a running cluster
     */
    boolean isLocalOwner(String key);

    /** @return the id of the member owning the key, or {@code null} while unknown */
    String ownerOf(String key);

    /**
     * Registers a listener called (on a cluster thread) after membership or partition ownership
     * changed. Listeners re-check {@link #isLocalOwner(String)} for their keys.
     *
     * @return a handle removing the listener on {@link ListenerRegistration#close()}
     */
    ListenerRegistration addOwnershipListener(OwnershipListener listener);

    /**
     * @return the configured minimum cluster size ({@code min.cluster.size}); 1 (the default)
     *         turns split-brain protection off
     */
    default int minClusterSize() {
        return 1;
    }

    /**
     * @return whether this node may change state: split-brain protection is off (minimum size 1),
     *         or this member runs and sees at least {@link #minClusterSize()} members (itself
     *         included). {@code false} while the member is not (yet) running under a minimum above 1.
     */
    default boolean hasQuorum() {
        int min = minClusterSize();
        return min <= 1 || members().size() >= min;
    }

    /**
     * Refuses a change on a node without quorum.
     *
     * @param operation what the caller was about to do, for the message (e.g. {@code POST /api/vms})
     * @throws ProblemException of type {@link ProblemType#NO_QUORUM} (HTTP 503) naming the members
     *         seen and required, when {@link #hasQuorum()} is false
     */
    default void requireQuorum(String operation) {
        if (!hasQuorum()) {
            int seen = members().size();
            int min = minClusterSize();
            throw new ProblemException(ProblemType.NO_QUORUM, "this node sees " + seen + " of the " + min
                    + " cluster members required (min.cluster.size) and may be cut off from the majority "
                    + "(split brain): " + operation + " is refused until it rejoins; reads keep working",
                    List.of("membersSeen=" + seen, "membersRequired=" + min), null);
        }
    }

    /**
     * {@link #requireQuorum(String)} for callers whose cluster service is optional (shell commands,
     * tests without a cluster): without one, nothing is refused.
     *
     * @param cluster the cluster service, or {@code null}
     * @param operation what the caller was about to do, e.g. {@code verbund:vm-create}
     * @throws ProblemException of type {@link ProblemType#NO_QUORUM} when the node has no quorum
     */
    static void refuseWithoutQuorum(ClusterService cluster, String operation) {
        if (cluster != null) {
            cluster.requireQuorum(operation);
        }
    }

    /**
     * Whether this node runs the current tick of a cluster-wide periodic job: it has quorum and owns
     * the key {@code singleton:<job>}, so one member runs each tick, and after that member's
     * death the new owner runs the next one. Jobs must still be made safe by the database (a
     * unique row per period, idempotent deletes): for a few seconds around a membership change
     * two members may both believe they own the key.
     *
     * @param job the job's name, e.g. {@code billing.monthly-run}
     * @return whether to run now
     */
    default boolean runsSingleton(String job) {
        return hasQuorum() && isLocalOwner(SINGLETON_KEY_PREFIX + job);
    }
}

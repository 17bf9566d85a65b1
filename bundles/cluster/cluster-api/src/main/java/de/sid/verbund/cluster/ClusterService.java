package de.sid.verbund.cluster;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.time.Duration;
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
     * Registers the local side of a named operation that other members send here with
     * {@link #callOnOwner} for keys this member owns. One handler per name on a member.
     *
     * @param operation the operation's name, e.g. {@code compute.connection}
     * @param handler what this member does when asked
     * @return a handle that removes the handler on {@link ListenerRegistration#close()}; calls
     *         arriving afterwards get UNAVAILABLE
     * @throws IllegalStateException when a handler of that name is registered already
     */
    ListenerRegistration registerHandler(String operation, OwnerOperation handler);

    /**
     * Runs a named operation on the member owning {@code key}, with the handler that member
     * registered under {@code operation} ({@link #registerHandler}): the way to reach work only
     * the owner can do, e.g. a hypervisor host whose connection the owner keeps. When this member
     * owns the key, its handler is called directly on this thread (nothing is serialised). Only
     * the name and two JSON strings cross the wire, so no class of the calling bundle has to be
     * known to the other member's class loaders.
     *
     * <p>Quorum is not checked here: callers that change state check it first
     * ({@link #requireQuorum}). A call whose owner left or timed out may or may not have been
     * performed there: the caller decides whether a retry is safe.
     *
     * @param key the work key, e.g. {@code host:<uuid>}
     * @param operation the name the owner registered the handler under
     * @param payloadJson the request, a JSON document
     * @param timeout how long to wait for the answer
     * @return the owner's answer, a JSON document
     * @throws ProblemException the handler's own problem, unchanged (type, detail, errors);
     *         {@link ProblemType#UNAVAILABLE} (503) when the owner is not known (this member is not
     *         running), left the cluster during the call, did not answer within {@code timeout},
     *         no longer owns the key when the call arrives (ownership moving), or has no handler of
     *         that name; {@link ProblemType#INTERNAL} (500) when the handler failed with another
     *         exception
     */
    String callOnOwner(String key, String operation, String payloadJson, Duration timeout);

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

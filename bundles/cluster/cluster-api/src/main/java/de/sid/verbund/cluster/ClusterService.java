package de.sid.verbund.cluster;

import java.util.List;

/**
 * The node's view of the cluster. Work (polling a device, owning a host connection) is keyed by
 * a string; the member that owns the key's partition does the work. When members join or leave,
 * partitions move and {@link OwnershipListener}s are told so they can start or stop work.
 */
public interface ClusterService {
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
}

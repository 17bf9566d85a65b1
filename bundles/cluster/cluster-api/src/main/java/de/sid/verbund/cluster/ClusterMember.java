package de.sid.verbund.cluster;

import java.time.Instant;

/**
 * A cluster member.
 *
 * @param id member id
 * @param address host:port the member listens on
 * @param local whether this is the local member
 * @param startedAt when the member's node started its cluster member (UTC), {@code null} when the
 *        member does not say (uptime unknown)
 */
public record ClusterMember(String id, String address, boolean local, Instant startedAt) {
    /** A member whose start time is unknown. */
    public ClusterMember(String id, String address, boolean local) {
        this(id, address, local, null);
    }
}

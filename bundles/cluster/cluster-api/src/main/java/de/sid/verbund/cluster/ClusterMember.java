package de.sid.verbund.cluster;

/**
 * A cluster member.
 *
 * @param id member id
 * @param address host:port the member listens on
 * @param local whether this is the local member
 */
public record ClusterMember(String id, String address, boolean local) {
}

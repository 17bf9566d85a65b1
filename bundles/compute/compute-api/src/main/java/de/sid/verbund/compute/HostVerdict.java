package de.sid.verbund.compute;

/**
 * Why a host was or was not chosen.
 *
 * @param hostId host id
 * @param hostName host name
 * @param fits whether the request fits on the host
 * @param reason for a host that does not fit, the facts: e.g.
 *        {@code "RAM 86016/94208 MiB allocated after overcommit and reserve, needs 9216 (free 8192)"}; for one that
 *        fits, its free capacity after placement
 */
public record HostVerdict(String hostId, String hostName, boolean fits, String reason) {
}

package de.sid.verbund.compute.spi;

import java.time.Instant;

/**
 * A domain snapshot.
 *
 * @param name snapshot name, unique per domain
 * @param createdAt when it was taken
 * @param current whether it is the domain's current snapshot
 */
public record Snapshot(String name, Instant createdAt, boolean current) {
}

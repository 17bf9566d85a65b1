package de.sid.verbund.cluster;

/** Told after membership or partition ownership changed. */
@FunctionalInterface
public interface OwnershipListener {
    void ownershipChanged();
}

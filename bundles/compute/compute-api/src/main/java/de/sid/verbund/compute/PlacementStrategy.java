package de.sid.verbund.compute;

/** How placement chooses among the hosts where a VM fits. */
public enum PlacementStrategy {
    /** The host with the most free RAM after placement (even load; default). */
    SPREAD,
    /** The host with the least free RAM after placement (fill hosts up, keep others empty). */
    PACK
}

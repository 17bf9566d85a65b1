package de.sid.verbund.compute.command.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;

/** Host arguments of the shell: a host is named by its name (or its id). */
final class Hosts {
    private Hosts() {
    }

    /** @throws IllegalArgumentException naming the host when there is none */
    static Host find(ComputeService compute, String nameOrId) {
        return compute.hosts().stream().filter(h -> h.name().equals(nameOrId) || h.id().equalsIgnoreCase(nameOrId))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no host named " + nameOrId));
    }

    /** @return the host's name, or the id itself when there is no such host (any more) */
    static String name(ComputeService compute, String hostId) {
        return compute.hosts().stream().filter(h -> h.id().equals(hostId)).map(Host::name).findFirst().orElse(hostId);
    }
}

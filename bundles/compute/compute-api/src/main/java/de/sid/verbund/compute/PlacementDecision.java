package de.sid.verbund.compute;

import java.util.List;

/**
 * The answer of placement (and of the dry run).
 *
 * @param hostId the chosen host, or {@code null} when the request fits nowhere
 * @param verdicts one per host considered, the chosen one first
 */
public record PlacementDecision(String hostId, List<HostVerdict> verdicts) {
    public PlacementDecision {
        verdicts = List.copyOf(verdicts);
    }

    public boolean placed() {
        return hostId != null;
    }

    /** @return the verdicts, {@code "host-3: RAM … | host-4: …"}, for error messages */
    public String explain() {
        StringBuilder b = new StringBuilder();
        for (HostVerdict v : verdicts) {
            if (b.length() > 0) {
                b.append(" | ");
            }
            b.append(v.hostName()).append(": ").append(v.reason());
        }
        return b.toString();
    }
}

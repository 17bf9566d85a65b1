package de.sid.verbund.monitoring;

import de.sid.verbund.monitoring.smi.Oid;
import java.util.List;

/**
 * What one poll of a device reads, besides {@code sysUpTime.0}, which every poll reads first.
 *
 * @param scalars object instances to GET, e.g. {@code 1.3.6.1.2.1.1.5.0} (sysName.0)
 * @param walks subtrees to walk, one after the other, e.g. the ifTable and ifXTable columns
 */
public record PollRequest(List<Oid> scalars, List<Oid> walks) {
    /** {@code sysUpTime.0} (RFC 3418): hundredths of a second since the agent (re)started. */
    public static final Oid SYS_UP_TIME = Oid.parse("1.3.6.1.2.1.1.3.0");

    public PollRequest {
        scalars = List.copyOf(scalars);
        walks = List.copyOf(walks);
    }
}

package de.sid.verbund.monitoring;

import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one poll of a device read.
 *
 * @param device the target's device name
 * @param reachable true if the agent answered the first request (sysUpTime.0 and the scalars)
 * @param sysUpTime {@code sysUpTime.0}: {@link SnmpValue.TimeTicks}, or an absent value if the
 *        agent does not have it or was not reachable
 * @param scalars each requested scalar and its value (absent values included), in request
 *        order; empty if not reachable
 * @param walks each requested subtree and its walk, in request order; empty if not reachable
 * @param startedAt when the poll started (wall clock), the time to use for {@link CounterSample#polledAt()}
 * @param duration how long the poll took (wall clock)
 * @param requests SNMP requests sent (not counting SNMP4J's re-sends after timeouts)
 * @param varbinds variable bindings received
 * @param problem why the agent was not reachable, or why its scalars could not be read
 */
public record PollResult(String device, boolean reachable, SnmpValue sysUpTime, Map<Oid, SnmpValue> scalars,
                         Map<Oid, WalkResult> walks, Instant startedAt, Duration duration, int requests,
                         long varbinds, Optional<String> problem) {
    public PollResult {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(sysUpTime, "sysUpTime");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(problem, "problem");
        scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
        walks = Collections.unmodifiableMap(new LinkedHashMap<>(walks));
    }
}

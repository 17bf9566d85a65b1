package de.sid.verbund.monitoring;

import de.sid.verbund.monitoring.smi.SnmpValue;
import java.time.Instant;
import java.util.Objects;

/**
 * One reading of a counter, with what is needed to tell elapsed time and discontinuities
 * apart (RFC 2863 section 3.1.6).
 *
 * @param counter a {@link SnmpValue.Counter32} or {@link SnmpValue.Counter64}, or an absent
 *        value when the agent had none (the interface is gone)
 * @param sysUpTime the agent's {@code sysUpTime.0} read in the same poll ({@link
 *        SnmpValue.TimeTicks}), or an absent value if it could not be read; it is both the
 *        clock the rate is computed with and the way an agent restart is recognised
 * @param polledAt when the poll started (wall clock); used only when {@code sysUpTime} is absent
 * @param discontinuityTime the counter's {@code ifCounterDiscontinuityTime} ({@link
 *        SnmpValue.TimeTicks}) if read, else an absent value; a change means the counter
 *        restarted (RFC 2863 section 3.1.6)
 */
public record CounterSample(SnmpValue counter, SnmpValue sysUpTime, Instant polledAt, SnmpValue discontinuityTime) {
    public CounterSample {
        Objects.requireNonNull(polledAt, "polledAt");
        if (!(counter instanceof SnmpValue.Counter32 || counter instanceof SnmpValue.Counter64 || counter.isAbsent())) {
            throw new IllegalArgumentException("not a counter: " + counter);
        }
        if (!(sysUpTime instanceof SnmpValue.TimeTicks || sysUpTime.isAbsent())) {
            throw new IllegalArgumentException("sysUpTime is TimeTicks, not " + sysUpTime);
        }
        if (!(discontinuityTime instanceof SnmpValue.TimeTicks || discontinuityTime.isAbsent())) {
            throw new IllegalArgumentException("a discontinuity time is TimeTicks, not " + discontinuityTime);
        }
    }

    /**
     * @param counter a Counter32, a Counter64 or an absent value
     * @param sysUpTime TimeTicks or an absent value
     * @param polledAt when the poll started
     * @return a sample without a discontinuity time
     */
    public static CounterSample of(SnmpValue counter, SnmpValue sysUpTime, Instant polledAt) {
        return new CounterSample(counter, sysUpTime, polledAt, SnmpValue.NO_SUCH_OBJECT);
    }
}

package de.sid.verbund.monitoring;

import de.sid.verbund.monitoring.RateOutcome.NoRate;
import de.sid.verbund.monitoring.RateOutcome.Rate;
import de.sid.verbund.monitoring.RateOutcome.Reason;
import de.sid.verbund.monitoring.smi.SnmpValue;
import java.time.Duration;

/**
 * Turns two readings of an SNMP counter into a rate, after RFC 2863 (IF-MIB) section 3.1.6
 * and RFC 2578 sections 7.1.6, 7.1.8 and 7.1.10.
 *
 * <ul>
 *   <li><b>Elapsed time</b> is the difference of the agent's {@code sysUpTime} (hundredths of a
 *       second) when both samples have it, so neither our scheduling nor network delay skews
 *       the rate; otherwise the difference of the wall-clock poll times.</li>
 *   <li><b>Agent restart</b>: a {@code sysUpTime} lower than before means the agent
 *       restarted and every counter with it (RFC 2863 3.1.6). There is no rate (never a spike);
 *       the new sample becomes the baseline. Exception: TimeTicks are modulo 2^32 and wrap after
 *       497 days; a lower sysUpTime counts as a wrap, not a restart, when the wrapped difference
 *       is no more than twice the wall-clock time between the polls plus one second.</li>
 *   <li><b>Counter32 wrap</b> (RFC 2578 7.1.6): a lower value without a restart means the
 *       counter passed 2^32-1: the difference is {@code new + 2^32 - old}. At most one wrap
 *       per interval can be seen; RFC 2863 3.1.6 asks for 64-bit counters on interfaces faster
 *       than 20 Mbit/s for this reason, and the speed check below catches the rest.</li>
 *   <li><b>Counter64 going down</b> is a reset, not a wrap: at 100 Gbit/s it takes 46 years to
 *       pass 2^64 octets (RFC 2578 7.1.10).</li>
 *   <li><b>Discontinuity time</b> ({@code ifCounterDiscontinuityTime}) changing, or the
 *       counter changing type, is a reset too.</li>
 *   <li><b>Above the interface speed</b>: a rate higher than the maximum given is discarded
 *       (no rate, reason {@link Reason#ABOVE_MAXIMUM}); the new sample becomes the baseline.</li>
 * </ul>
 *
 * <p>Worked examples (the cases of issue 4): ifHCInOctets 9,000,000,000 at sysUpTime 50,000,000,
 * then 1,200,000 at 3,000 gives no rate (reset); then 1,800,000 at 9,000 gives 600,000 octets
 * in 60 s = 10,000 octets/s. A Counter32 from 4,294,000,000 to 1,000,000 in 60 s gives
 * (2^32 - 4,294,000,000 + 1,000,000) / 60 = 1,967,296 / 60 = 32,788.27 octets/s.
 *
 * <p>Stateless and thread-safe; {@link RateTracker} keeps the baselines.
 */
public final class CounterRates {
    /** 2^32: the modulus of Counter32 and TimeTicks. */
    public static final long TWO_POW_32 = 1L << 32;
    /** {@code ifSpeed}'s "too fast to say, read ifHighSpeed" value (RFC 2863). */
    public static final long IF_SPEED_MAX = 0xFFFF_FFFFL;

    private CounterRates() {
    }

    /**
     * @param previous the baseline, or null if there is none
     * @param current the new sample
     * @param maxPerSecond the highest plausible rate in the counter's unit (see {@link
     *        #maxOctetsPerSecond(long, long)}); {@link Double#POSITIVE_INFINITY} (or any value
     *        {@code <= 0} or NaN) for no limit
     * @return the rate, or why there is none
     */
    public static RateOutcome compute(CounterSample previous, CounterSample current, double maxPerSecond) {
        if (current.counter().isAbsent()) {
            return new NoRate(Reason.ABSENT, "counter absent: " + current.counter());
        }
        if (previous == null || previous.counter().isAbsent()) {
            return new NoRate(Reason.FIRST_SAMPLE, "no earlier sample");
        }
        SnmpValue before = previous.counter();
        SnmpValue now = current.counter();
        if (before.getClass() != now.getClass()) {
            return new NoRate(Reason.RESET, "counter type changed from " + before + " to " + now);
        }
        if (previous.discontinuityTime() instanceof SnmpValue.TimeTicks d0
                && current.discontinuityTime() instanceof SnmpValue.TimeTicks d1 && d0.value() != d1.value()) {
            return new NoRate(Reason.RESET, "discontinuity time changed from " + d0.value() + " to " + d1.value());
        }

        double seconds;
        if (previous.sysUpTime() instanceof SnmpValue.TimeTicks u0 && current.sysUpTime() instanceof SnmpValue.TimeTicks u1) {
            long ticks;
            if (u1.value() >= u0.value()) {
                ticks = u1.value() - u0.value();
            } else {
                long wrappedTicks = u1.value() + TWO_POW_32 - u0.value();
                double wallSeconds = seconds(Duration.between(previous.polledAt(), current.polledAt()));
                if (wallSeconds > 0 && wrappedTicks / 100.0 <= 2 * wallSeconds + 1) {
                    ticks = wrappedTicks;
                } else {
                    return new NoRate(Reason.RESET, "sysUpTime went back from " + u0.value() + " to " + u1.value()
                            + ": the agent restarted");
                }
            }
            seconds = ticks / 100.0;
        } else {
            seconds = seconds(Duration.between(previous.polledAt(), current.polledAt()));
        }
        if (!(seconds > 0)) {
            return new NoRate(Reason.NO_ELAPSED_TIME, "no time elapsed between the samples");
        }

        long delta;
        boolean wrapped = false;
        if (now instanceof SnmpValue.Counter32 c1) {
            long c0 = ((SnmpValue.Counter32) before).value();
            if (c1.value() >= c0) {
                delta = c1.value() - c0;
            } else {
                delta = c1.value() + TWO_POW_32 - c0;
                wrapped = true;
            }
        } else {
            long c0 = ((SnmpValue.Counter64) before).value();
            long c1 = ((SnmpValue.Counter64) now).value();
            if (Long.compareUnsigned(c1, c0) < 0) {
                return new NoRate(Reason.RESET, "Counter64 went back from " + Long.toUnsignedString(c0)
                        + " to " + Long.toUnsignedString(c1));
            }
            delta = c1 - c0;
        }
        double perSecond = unsignedToDouble(delta) / seconds;
        if (maxPerSecond > 0 && perSecond > maxPerSecond) {
            return new NoRate(Reason.ABOVE_MAXIMUM, String.format(java.util.Locale.ROOT,
                    "%.2f/s is above the maximum %.2f/s", perSecond, maxPerSecond));
        }
        return new Rate(perSecond, delta, seconds, wrapped);
    }

    /**
     * The highest plausible octet rate of an interface (RFC 2863 {@code ifSpeed} and {@code
     * ifHighSpeed}).
     *
     * @param ifSpeed {@code ifSpeed} in bits per second; 0 if unknown; 4,294,967,295 if faster
     * @param ifHighSpeed {@code ifHighSpeed} in millions of bits per second; 0 if unknown or not read
     * @return octets per second: {@code ifSpeed / 8} when {@code ifSpeed} is below its maximum,
     *         else {@code ifHighSpeed * 1,000,000 / 8}; {@link Double#POSITIVE_INFINITY} when
     *         neither is known (virtual interfaces often report 0)
     */
    public static double maxOctetsPerSecond(long ifSpeed, long ifHighSpeed) {
        if (ifSpeed > 0 && ifSpeed < IF_SPEED_MAX) {
            return ifSpeed / 8.0;
        }
        if (ifHighSpeed > 0) {
            return ifHighSpeed * 1_000_000.0 / 8.0;
        }
        return Double.POSITIVE_INFINITY;
    }

    private static double seconds(Duration d) {
        return d.getSeconds() + d.getNano() / 1e9;
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }
}

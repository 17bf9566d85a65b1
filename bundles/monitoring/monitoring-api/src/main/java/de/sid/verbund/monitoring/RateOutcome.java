package de.sid.verbund.monitoring;

/**
 * What two successive {@linkplain CounterSample counter samples} give: a {@link Rate} or, with
 * the reason, {@link NoRate no rate}. There is never a made-up value in between: after a
 * reset there is no sample, not a spike and not a zero.
 */
public sealed interface RateOutcome {

    /**
     * @param perSecond the increase per second, in the counter's unit (octets per second for
     *        {@code ifHCInOctets}); never negative
     * @param delta the increase, an unsigned 64-bit number (read with {@link
     *        Long#toUnsignedString(long)})
     * @param seconds the elapsed time it was divided by, in seconds (from sysUpTime when both
     *        samples have it, else from the wall clock)
     * @param wrapped true if a Counter32 passed 2^32-1 and started again at 0 in between
     */
    record Rate(double perSecond, long delta, double seconds, boolean wrapped) implements RateOutcome {
    }

    /**
     * @param reason why there is no rate
     * @param detail the facts, for a log line ("sysUpTime went back from 50000000 to 3000")
     */
    record NoRate(Reason reason, String detail) implements RateOutcome {
    }

    /** Why two samples give no rate. */
    enum Reason {
        /** No earlier sample to compare with (the first poll, or the one after an absent value). */
        FIRST_SAMPLE,
        /**
         * The counter restarted: sysUpTime went back (agent restart), a Counter64 went down,
         * the discontinuity time changed, or the counter changed type. The new sample becomes
         * the baseline.
         */
        RESET,
        /** The rate is above the maximum given (the interface speed): discarded and counted. */
        ABOVE_MAXIMUM,
        /** No time passed between the samples (same sysUpTime): the older baseline is kept. */
        NO_ELAPSED_TIME,
        /** The counter is absent in the new sample (noSuchInstance, …): the baseline is dropped. */
        ABSENT
    }
}

package de.sid.verbund.monitoring;

import de.sid.verbund.monitoring.RateOutcome.NoRate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Keeps one baseline sample per counter (keyed by, e.g., device, column and row index) and
 * turns each new sample into a {@link RateOutcome} with {@link CounterRates#compute}.
 *
 * <p>Baselines: the new sample replaces the baseline after a rate, a first sample, a reset and
 * a discarded rate above the maximum; after "no elapsed time" the older baseline is kept; an
 * absent counter drops the baseline. So after a reset the next poll gives a correct rate
 * again.
 *
 * <p>Counts resets and discarded rates, for the poller's metrics. Thread-safe: updates of one
 * key are atomic; different keys do not contend.
 *
 * @param <K> the key type (a record of device, OID and index, for example)
 */
public final class RateTracker<K> {
    private final Map<K, CounterSample> baselines = new ConcurrentHashMap<>();
    private final LongAdder rates = new LongAdder();
    private final LongAdder resets = new LongAdder();
    private final LongAdder aboveMaximum = new LongAdder();

    /**
     * @param key the counter's key
     * @param sample its new sample
     * @param maxPerSecond the highest plausible rate ({@link Double#POSITIVE_INFINITY} for none)
     * @return the rate since the baseline, or why there is none
     */
    public RateOutcome update(K key, CounterSample sample, double maxPerSecond) {
        RateOutcome[] out = new RateOutcome[1];
        baselines.compute(key, (k, previous) -> {
            RateOutcome outcome = CounterRates.compute(previous, sample, maxPerSecond);
            out[0] = outcome;
            if (outcome instanceof NoRate no) {
                return switch (no.reason()) {
                    case ABSENT -> null;
                    case NO_ELAPSED_TIME -> previous;
                    case FIRST_SAMPLE, RESET, ABOVE_MAXIMUM -> sample;
                };
            }
            return sample;
        });
        RateOutcome outcome = out[0];
        if (outcome instanceof RateOutcome.Rate) {
            rates.increment();
        } else if (outcome instanceof NoRate no && no.reason() == RateOutcome.Reason.RESET) {
            resets.increment();
        } else if (outcome instanceof NoRate no && no.reason() == RateOutcome.Reason.ABOVE_MAXIMUM) {
            aboveMaximum.increment();
        }
        return outcome;
    }

    /** @param key a counter whose baseline to drop (a deleted device or interface) */
    public void forget(K key) {
        baselines.remove(key);
    }

    /** @return the number of counters with a baseline */
    public int size() {
        return baselines.size();
    }

    /** @return rates computed so far */
    public long rates() {
        return rates.sum();
    }

    /** @return resets seen so far (each gave no sample) */
    public long resets() {
        return resets.sum();
    }

    /** @return rates discarded so far for being above the maximum */
    public long discardedAboveMaximum() {
        return aboveMaximum.sum();
    }
}

package de.sid.verbund.billing.core.internal;

import java.math.BigDecimal;

/**
 * Turns readings of a cumulative meter into deltas. A reading below the previous one means the
 * counter was reset (the VM or agent restarted and counts from zero again), so the delta is the
 * reading itself: a delta is never negative. The first reading counts in full (it is what was used
 * since the counter started).
 */
final class CumulativeMeter {
    private CumulativeMeter() {
    }

    /**
     * @param previous the previous reading, or {@code null} for the first
     * @param value this reading, not negative
     * @return the usage since the previous reading
     */
    static BigDecimal delta(BigDecimal previous, BigDecimal value) {
        if (previous == null || value.compareTo(previous) < 0) {
            return value;
        }
        return value.subtract(previous);
    }
}

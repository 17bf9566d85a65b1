package de.sid.verbund.monitoring.traps.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A warning that is logged at most once per interval: a device sending a broken trap every second,
 * or a scan of the trap port, gives one line per interval with the number of like events left
 * out, not one line per packet. The counters at {@code /metrics} have every one of them.
 */
final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final AtomicLong nextAllowed;
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param log where the lines go
     * @param intervalMillis the least time between two lines
     * @param nanoClock {@link System#nanoTime()} or a test clock
     */
    RateLimitedLog(Logger log, long intervalMillis, LongSupplier nanoClock) {
        this.log = log;
        this.intervalNanos = intervalMillis * 1_000_000L;
        this.nanoClock = nanoClock;
        this.nextAllowed = new AtomicLong(nanoClock.getAsLong());
    }

    RateLimitedLog(Logger log, long intervalMillis) {
        this(log, intervalMillis, System::nanoTime);
    }

    /**
     * Logs {@code message} at WARN unless a line was logged less than the interval ago; then it only
     * counts it, and the next line logged says how many were left out.
     *
     * @return true if the line was logged
     */
    boolean warn(String message) {
        long now = nanoClock.getAsLong();
        long allowed = nextAllowed.get();
        if (now - allowed < 0 || !nextAllowed.compareAndSet(allowed, now + intervalNanos)) {
            suppressed.incrementAndGet();
            return false;
        }
        long left = suppressed.getAndSet(0);
        if (left > 0) {
            log.warn("{} ({} more like it since the last such line, not logged)", message, left);
        } else {
            log.warn(message);
        }
        return true;
    }
}

package de.sid.verbund.monitoring.traps.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** One line per interval, however many events; the next line says how many were left out. */
class RateLimitedLogTest {
    @Test
    void logsAtMostOncePerInterval() {
        AtomicLong now = new AtomicLong(1_000_000_000L);
        RateLimitedLog log = new RateLimitedLog(LoggerFactory.getLogger(RateLimitedLogTest.class), 60_000, now::get);

        assertThat(log.warn("first")).isTrue();
        int logged = 0;
        for (int i = 0; i < 1000; i++) {
            now.addAndGet(10_000_000L); // 10 ms apart: 10 s in all
            logged += log.warn("again") ? 1 : 0;
        }
        assertThat(logged).isZero();
        now.addAndGet(50_000_000_000L);
        assertThat(log.warn("after a minute")).isTrue();
        assertThat(log.warn("at once")).isFalse();
    }
}

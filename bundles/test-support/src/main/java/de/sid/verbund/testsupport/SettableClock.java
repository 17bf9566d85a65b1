package de.sid.verbund.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A UTC clock that a test or benchmark sets: it stands still at the instant it was given (or
 * follows the system clock until then, see {@link #system()}) and moves only by {@link #set} and
 * {@link #advance}. Instants are kept to the microsecond, as the databases store them.
 */
public final class SettableClock extends Clock {
    private volatile Instant now;

    /** @param start the instant it stands at, to the microsecond */
    public SettableClock(Instant start) {
        this.now = start.truncatedTo(ChronoUnit.MICROS);
    }

    private SettableClock() {
        this.now = null;
    }

    /** @return a clock that follows the system clock until it is {@link #set} */
    public static SettableClock system() {
        return new SettableClock();
    }

    /** Stands still at {@code instant} (to the microsecond) from now on. */
    public void set(Instant instant) {
        now = instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** Moves on by {@code d} from where it stands (or from the system time, for a following clock). */
    public void advance(Duration d) {
        set(instant().plus(d));
    }

    /** @return the current instant, like {@link #instant()} */
    public Instant now() {
        return instant();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** @return this clock: it is UTC only, and tests want the same instants whatever the zone */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        Instant at = now;
        return at != null ? at : Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}

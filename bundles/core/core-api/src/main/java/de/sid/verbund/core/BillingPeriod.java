package de.sid.verbund.core;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * A billing period: one calendar month in Europe/Berlin, from the first instant of its first
 * day (inclusive) to the first instant of the next month (exclusive). Because of daylight
 * saving time a month has 672, 696, 720, 743, 744 or 745 hours.
 *
 * @param month the calendar month, e.g. {@code 2026-03}
 */
public record BillingPeriod(YearMonth month) implements Comparable<BillingPeriod> {
    /** The time zone billing periods are cut in. */
    public static final ZoneId ZONE = ZoneId.of("Europe/Berlin");

    public BillingPeriod {
        if (month == null) {
            throw new IllegalArgumentException("month must not be null");
        }
    }

    public static BillingPeriod of(int year, int month) {
        return new BillingPeriod(YearMonth.of(year, month));
    }

    /**
     * @param text {@code yyyy-MM}
     * @throws ProblemException BAD_REQUEST when the text is not a month
     */
    public static BillingPeriod parse(String text) {
        try {
            return new BillingPeriod(YearMonth.parse(text));
        } catch (DateTimeParseException | NullPointerException e) {
            throw ProblemException.badRequest("not a billing period (yyyy-MM expected): " + text);
        }
    }

    /** @return the period containing the instant, as seen in Europe/Berlin */
    public static BillingPeriod containing(Instant instant) {
        return new BillingPeriod(YearMonth.from(instant.atZone(ZONE)));
    }

    /** @return the first instant of the period (inclusive) */
    public Instant start() {
        return month.atDay(1).atStartOfDay(ZONE).toInstant();
    }

    /** @return the first instant after the period (exclusive) */
    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay(ZONE).toInstant();
    }

    /** @return the real length in hours (743 in a March, 745 in an October in Germany) */
    public long hours() {
        return Duration.between(start(), end()).toHours();
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start()) && instant.isBefore(end());
    }

    public BillingPeriod next() {
        return new BillingPeriod(month.plusMonths(1));
    }

    @Override
    public int compareTo(BillingPeriod o) {
        return month.compareTo(o.month);
    }

    /** @return {@code yyyy-MM} */
    @Override
    public String toString() {
        return month.toString();
    }
}

package de.sid.verbund.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A reading of a cumulative meter (a counter that only grows until it is reset, e.g. a VM's
 * CPU-seconds since boot). The ledger stores the delta to the previous reading of the same meter;
 * a reading below the previous one is a reset, and its delta is the reading itself (the counter
 * restarted from zero), so a delta is never negative.
 *
 * @param eventId unique id of this reading; a known id is ignored
 * @param authorityId the authority that used it
 * @param service the service, e.g. {@code compute}
 * @param resourceId the metered resource, e.g. a VM id
 * @param metric the metric, e.g. {@code cpu-seconds}
 * @param unit UN/ECE Rec. 20 unit code, e.g. {@code SEC}
 * @param value the cumulative value, not negative
 * @param at when it was read (UTC); readings of one meter are applied in this order
 */
public record MeterReading(String eventId, String authorityId, String service, String resourceId, String metric,
        String unit, BigDecimal value, Instant at) {
}

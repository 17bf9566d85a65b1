package de.sid.verbund.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * A quantity of usage reported by a source other than compute (see {@link UsageRecorder}).
 *
 * @param eventId the source's unique id for this report (UUID or any stable text, at most 200
 *        characters); a report with a known id is ignored
 * @param authorityId the authority that used it
 * @param service the service, e.g. {@code backup}
 * @param resourceId the source's resource id
 * @param resourceName the resource's name, or {@code null}
 * @param metric the usage metric, lower case, e.g. {@code cpu-seconds}; {@value UsageRecord#SUBSCRIPTION}
 *        for a subscription to the service (quantity 1, priced per month)
 * @param quantity the quantity, not negative
 * @param unit UN/ECE Rec. 20 unit code, e.g. {@code SEC}, {@code C62}
 * @param start start of use (UTC)
 * @param end end of use (UTC), not before {@code start}; the period of {@code end} decides where it
 *        is billed
 */
public record NewUsage(String eventId, String authorityId, String service, String resourceId, String resourceName,
        String metric, BigDecimal quantity, String unit, Instant start, Instant end) {
}

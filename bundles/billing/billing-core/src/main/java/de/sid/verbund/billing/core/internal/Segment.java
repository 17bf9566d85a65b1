package de.sid.verbund.billing.core.internal;

/**
 * A closed VM segment to append to the ledger: one sizing and one billable state over
 * {@code [startMs, endMs)} (epoch milliseconds), for {@link Billing#appendSegments}.
 */
public record Segment(String authorityId, String vmId, String name, String offeringCode, int vcpu, long ramMib, long diskGib,
        boolean running, long startMs, long endMs, String eventId) {
}

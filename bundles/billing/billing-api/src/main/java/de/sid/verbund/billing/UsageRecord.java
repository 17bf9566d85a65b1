package de.sid.verbund.billing;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One record of the append-only usage ledger. Records are never changed or deleted; a record is
 * counted once however often the event that produced it is delivered.
 *
 * <p>A {@link UsageKind#SEGMENT} is billed: VM-hours (by offering), vCPU-hours and GiB-RAM-hours
 * while {@code running}; GiB-disk-months for its whole length (a VM's disk is billed while the VM
 * exists, running or stopped, until it is deleted). A {@link UsageKind#QUANTITY} is billed by its
 * {@code metric} ({@link Metric#QUANTITY} price with that qualifier, or
 * {@link Metric#SERVICE_MONTH} for the metric {@value #SUBSCRIPTION}, prorated by its hours).
 *
 * @param id ledger position (ascending in recording order); invoice lines refer to ranges of it
 * @param kind segment or quantity
 * @param authorityId the authority (tenant) that used it
 * @param service the service, {@code compute} for VM segments
 * @param resourceId the VM id, or the source's resource id
 * @param resourceName the VM's name or the resource's name at the time
 * @param offeringCode the VM's offering code (segments), else {@code null}
 * @param vcpu virtual CPUs (segments), else 0
 * @param ramMib RAM in MiB (segments), else 0
 * @param diskGib disk in GiB (segments), else 0
 * @param running whether the segment was in the billable state RUNNING (segments), else {@code false}
 * @param metric the usage metric (quantities, e.g. {@code cpu-seconds}), {@code null} for segments
 * @param quantity the quantity (quantities), {@code null} for segments
 * @param unit UN/ECE Rec. 20 unit code of the quantity (e.g. {@code SEC}, {@code C62}), {@code null} for segments
 * @param start start of use (inclusive, UTC)
 * @param end end of use (exclusive, UTC); for a segment never before {@code start}
 * @param eventId the event the record came from (the closing event for a segment)
 * @param recordedAt when it was written to the ledger
 */
public record UsageRecord(long id, UsageKind kind, String authorityId, String service, String resourceId,
        String resourceName, String offeringCode, int vcpu, long ramMib, long diskGib, boolean running, String metric,
        BigDecimal quantity, String unit, Instant start, Instant end, String eventId, Instant recordedAt) {
    /** The usage metric of a subscription to a service, priced by {@link Metric#SERVICE_MONTH}. */
    public static final String SUBSCRIPTION = "subscription";
}

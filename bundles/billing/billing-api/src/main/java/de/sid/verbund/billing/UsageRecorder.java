package de.sid.verbund.billing;

import java.util.Optional;

/**
 * The SPI through which usage sources other than compute (which billing meters from its events)
 * put usage into the ledger. Both methods are idempotent by event id: the same report delivered
 * twice, or by two nodes, is stored once. Usage for a period whose invoice is FINAL goes onto the
 * next invoice as a correction line, or into review when older than the configured horizon.
 */
public interface UsageRecorder {
    /**
     * @return the stored record, or empty when the event id was known (nothing stored)
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for a blank id, authority, service,
     *         resource or metric, a negative quantity or an end before the start
     */
    Optional<UsageRecord> record(NewUsage usage);

    /**
     * Turns a cumulative reading into a delta and records it as a quantity from the previous
     * reading's time to this one's (the first reading of a meter records its value from
     * {@code at} to {@code at}).
     *
     * @return the stored delta, or empty when the event id was known
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for a negative value or blank fields
     */
    Optional<UsageRecord> reading(MeterReading reading);
}

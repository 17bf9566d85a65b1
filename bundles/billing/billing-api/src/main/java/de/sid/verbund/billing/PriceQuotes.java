package de.sid.verbund.billing;

import java.time.Instant;
import java.util.Optional;

/** Prices of catalogue offerings, for showing them before an order (the catalogue area). */
public interface PriceQuotes {
    /**
     * @param offeringCode the offering's stable code, e.g. {@code vm-m}
     * @param vcpu its virtual CPUs
     * @param ramMib its RAM, MiB
     * @param diskGib its disk, GiB
     * @param at the time the price is wanted for (normally now)
     * @return the quote, or empty when no price sheet is valid at {@code at}
     */
    Optional<PriceQuote> quote(String offeringCode, int vcpu, long ramMib, int diskGib, Instant at);
}

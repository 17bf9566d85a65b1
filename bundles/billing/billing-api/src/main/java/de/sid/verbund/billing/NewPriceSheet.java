package de.sid.verbund.billing;

import java.time.Instant;
import java.util.List;

/**
 * A price sheet to create.
 *
 * @param name display name, not blank
 * @param validFrom first instant it applies (UTC)
 * @param validTo first instant it no longer applies (after {@code validFrom}), or {@code null} for open-ended
 * @param prices at least one; one per metric and qualifier
 */
public record NewPriceSheet(String name, Instant validFrom, Instant validTo, List<Price> prices) {
    public NewPriceSheet {
        prices = prices == null ? List.of() : List.copyOf(prices);
    }
}

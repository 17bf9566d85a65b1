package de.sid.verbund.billing;

import java.time.Instant;
import java.util.List;

/**
 * A version of a price sheet: the prices valid from {@code validFrom} (inclusive) to
 * {@code validTo} (exclusive). The validity intervals of the sheets in force never overlap, so at
 * any instant at most one sheet applies. A price correction makes a new version of the same sheet
 * with the same validity ({@link PriceSheetService#correct}); the old version stays, superseded,
 * because final invoice lines refer to it.
 *
 * @param id this version's id (UUID); invoice lines refer to it
 * @param sheetId the sheet's id, shared by all its versions (the first version's id)
 * @param version 1, 2, … within the sheet
 * @param name display name, e.g. "Preisblatt 2026"
 * @param validFrom first instant it applies (UTC)
 * @param validTo first instant it no longer applies, or {@code null} when open-ended
 * @param prices its prices, at most one per metric and qualifier
 * @param supersededBy the id of the version that corrected this one, or {@code null} when in force
 * @param createdAt when this version was stored
 */
public record PriceSheet(String id, String sheetId, int version, String name, Instant validFrom, Instant validTo,
        List<Price> prices, String supersededBy, Instant createdAt) {
    public PriceSheet {
        prices = List.copyOf(prices);
    }

    /** @return whether the sheet applies at the instant (ignores supersession) */
    public boolean validAt(Instant at) {
        return !at.isBefore(validFrom) && (validTo == null || at.isBefore(validTo));
    }
}

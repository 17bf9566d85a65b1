package de.sid.verbund.billing;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Price sheets: versioned, each valid from/to, non-overlapping. Methods do not check permissions;
 * REST and shell do. Errors are {@link de.sid.verbund.core.ProblemException}s.
 */
public interface PriceSheetService {
    /**
     * Stores a new sheet (version 1). When an open-ended sheet in force starts before
     * {@code validFrom}, it is ended at {@code validFrom} (the usual way to change prices: a new
     * sheet from a date); every other overlap is refused.
     *
     * @return the stored sheet
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST (every problem listed): blank name,
     *         {@code validTo} not after {@code validFrom}, no prices, a unit price with more than 4
     *         decimals or negative, a missing or superfluous qualifier, two prices for one metric and
     *         qualifier; CONFLICT when the validity overlaps a sheet in force (other than the
     *         open-ended one described above) or would end a sheet that FINAL invoices were rated with
     *         inside the cut-off part
     */
    PriceSheet create(NewPriceSheet sheet);

    /**
     * Corrects the prices of a sheet: stores a new version with the same sheet id, name and
     * validity and the given prices, and marks the given version superseded. DRAFT invoices are
     * re-rated with it by {@link InvoiceService#rerate} or a new {@link InvoiceService#run};
     * FINAL invoices keep the version they were rated with (a credit note corrects them).
     *
     * @param id the id of the version in force
     * @param prices the corrected prices (validated like {@link #create})
     * @return the new version
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND for an unknown id; CONFLICT when that
     *         version is already superseded; BAD_REQUEST for invalid prices
     */
    PriceSheet correct(String id, List<Price> prices);

    /** @return every version of every sheet, by {@code validFrom}, then version */
    List<PriceSheet> list();

    /** @return the version with the id (superseded or not), or empty */
    Optional<PriceSheet> find(String id);

    /** @return the version in force at the instant, or empty when no sheet covers it */
    Optional<PriceSheet> validAt(Instant at);
}

package de.sid.verbund.billing.core.internal;

import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.NewPriceSheet;
import de.sid.verbund.billing.Price;
import de.sid.verbund.billing.PriceSheetService;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The price sheet of a demo installation, so that the catalogue shows prices and an invoice run
 * works at once: created on the first start of a database without any price sheet, valid from
 * January of the current year (Europe/Berlin) with no end. Prices per VM-hour of the demo
 * offerings {@code vm-s} … {@code vm-xl} and per GiB-disk-month, EUR.
 */
final class DemoPriceSheet {
    private static final Logger LOG = LoggerFactory.getLogger(DemoPriceSheet.class);
    static final String NAME = "Demo-Preisblatt";
    static final List<Price> PRICES = List.of(
            new Price(Metric.VM_HOUR, "vm-s", Money.eur("0.0250")),
            new Price(Metric.VM_HOUR, "vm-m", Money.eur("0.0500")),
            new Price(Metric.VM_HOUR, "vm-l", Money.eur("0.1000")),
            new Price(Metric.VM_HOUR, "vm-xl", Money.eur("0.2000")),
            new Price(Metric.DISK_GIB_MONTH, null, Money.eur("0.0800")));

    private DemoPriceSheet() {
    }

    /** @return the sheet created, or empty when there was one already (also one another node just created) */
    static Optional<String> seed(PriceSheetService sheets, Clock clock) {
        if (!sheets.list().isEmpty()) {
            return Optional.empty();
        }
        YearMonth january = YearMonth.from(clock.instant().atZone(BillingPeriod.ZONE)).withMonth(1);
        try {
            String id = sheets.create(new NewPriceSheet(NAME, new BillingPeriod(january).start(), null, PRICES)).id();
            LOG.warn("created the demo price sheet '{}' valid from {}: replace it through /api/price-sheets, or set "
                    + "demo.price.sheet=false in etc/{}.cfg", NAME, january, BillingConfig.PID);
            return Optional.of(id);
        } catch (ProblemException e) {
            if (e.type() == ProblemType.CONFLICT) {
                return Optional.empty(); // another node was first
            }
            throw e;
        }
    }
}

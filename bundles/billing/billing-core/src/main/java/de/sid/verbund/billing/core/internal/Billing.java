package de.sid.verbund.billing.core.internal;

import de.sid.verbund.billing.InvoiceService;
import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.PriceQuote;
import de.sid.verbund.billing.PriceSheet;
import de.sid.verbund.billing.PriceSheetService;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Money;
import de.sid.verbund.persistence.Inserts;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.tenancy.AuthorityService;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The billing core outside OSGi: ledger, price sheets, invoices, the scheduled monthly run and
 * price quotes over one database. {@link BillingComponent} runs it in OSGi; tests and the
 * benchmark ({@code benchmarks/}: BillingRunBenchmark) construct it directly.
 */
public final class Billing {
    final Database db;
    final Clock clock;
    final Ledger ledger;
    final PriceSheets priceSheets;
    final Invoices invoices;

    /**
     * A billing core with the seller and settings of a configuration (its defaults when built with
     * test-support {@code Configs.of(BillingConfig.class)}); migrates the schema.
     */
    public Billing(Database db, Clock clock, Supplier<AuthorityService> authorities, BillingConfig config) {
        this(db, clock, authorities, BillingComponent.seller(config));
    }

    Billing(Database db, Clock clock, Supplier<AuthorityService> authorities, Seller seller) {
        this.db = db;
        this.clock = clock;
        db.migrate("billing", Billing.class.getClassLoader());
        this.ledger = new Ledger(db, clock, seller.correctionHorizonMonths());
        this.priceSheets = new PriceSheets(db, clock);
        this.invoices = new Invoices(db, clock, authorities, seller);
    }

    /** @return the price sheets */
    public PriceSheetService priceSheets() {
        return priceSheets;
    }

    /** @return the invoices and rating runs */
    public InvoiceService invoices() {
        return invoices;
    }

    /** Meters one compute event (what the {@code compute.events} subscription does). */
    public void meter(DomainEvent event) {
        ledger.apply(event);
    }

    /**
     * Appends closed VM segments to the ledger in one transaction, in JDBC batches (bulk loads:
     * the benchmark; metering appends one at a time).
     */
    public void appendSegments(List<Segment> segments) {
        db.inTransaction(c -> {
            Ledger.appendSegments(c, segments);
            return null;
        });
    }

    /**
     * The scheduled run: rates the month before the current one, once per period across all nodes
     * (the {@code billing_run} row of the period is inserted in the run's transaction; a node that
     * finds it does nothing; a failed run leaves no row and is tried at the next check).
     *
     * @return the period run, or empty when it had already been run
     */
    Optional<BillingPeriod> scheduledRun() {
        BillingPeriod previous = new BillingPeriod(BillingPeriod.containing(clock.instant()).month().minusMonths(1));
        return Retry.onUniqueViolation(() -> db.inTransaction(c -> {
            boolean first = Inserts.once(c, () -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing_run (period, started_at) VALUES (?, ?)")) {
                    ps.setString(1, previous.toString());
                    ps.setObject(2, Sql.ts(clock.instant()));
                    ps.executeUpdate();
                }
            });
            if (!first) {
                return Optional.<BillingPeriod>empty();
            }
            invoices.run(previous);
            return Optional.of(previous);
        }));
    }

    /**
     * The price of an offering with its sizing at an instant: per hour the VM-hour price of the
     * offering plus vCPUs × the vCPU-hour price plus RAM GiB × the GiB-RAM-hour price plus disk GiB ×
     * the GiB-disk-month price / hours of that month, rounded to 4 decimals HALF_UP; per month the
     * running part × the month's hours plus the disk's monthly price, rounded to cents.
     */
    Optional<PriceQuote> quote(String offeringCode, int vcpu, long ramMib, int diskGib, Instant at) {
        Optional<PriceSheet> sheet = priceSheets.validAt(at);
        if (sheet.isEmpty()) {
            return Optional.empty();
        }
        PriceSheet s = sheet.get();
        BigDecimal hours = BigDecimal.valueOf(BillingPeriod.containing(at).hours());
        BigDecimal running = price(s, Metric.VM_HOUR, offeringCode)
                .add(price(s, Metric.VCPU_HOUR, null).multiply(BigDecimal.valueOf(vcpu)))
                .add(price(s, Metric.RAM_GIB_HOUR, null).multiply(BigDecimal.valueOf(ramMib))
                        .divide(BigDecimal.valueOf(1024), 10, RoundingMode.HALF_UP));
        BigDecimal disk = price(s, Metric.DISK_GIB_MONTH, null).multiply(BigDecimal.valueOf(diskGib));
        BigDecimal perHour = running.add(disk.divide(hours, 10, RoundingMode.HALF_UP))
                .setScale(Money.UNIT_PRICE_SCALE, RoundingMode.HALF_UP);
        Money perMonth = Money.eur(running.multiply(hours).add(disk)).roundToCents();
        return Optional.of(new PriceQuote(offeringCode, s.id(), Money.eur(perHour), perMonth));
    }

    private static BigDecimal price(PriceSheet s, Metric m, String qualifier) {
        return PriceSheets.price(s, m, qualifier).map(Money::amount).orElse(BigDecimal.ZERO);
    }

    /** @return the month-to-date net per authority with usage this month */
    Map<String, Money> monthToDate() {
        return invoices.monthToDate(null);
    }

    /** @return one authority's month-to-date net, zero without usage */
    Money monthToDate(String authorityId) {
        return invoices.monthToDate(authorityId).getOrDefault(authorityId, Money.ZERO).roundToCents();
    }
}

package de.sid.verbund.billing.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.billing.CreditLine;
import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceFilter;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceLine;
import de.sid.verbund.billing.InvoiceRun;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.billing.MeterReading;
import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.NewPriceSheet;
import de.sid.verbund.billing.NewUsage;
import de.sid.verbund.billing.Price;
import de.sid.verbund.billing.PriceQuote;
import de.sid.verbund.billing.PriceSheet;
import de.sid.verbund.billing.UsageKind;
import de.sid.verbund.billing.UsageRecord;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.testsupport.SettableClock;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The billing core on H2 with the exact values of issue #6 ("Cases it must handle"), each case its
 * own test; {@link PostgresBillingTest} runs the same on PostgreSQL.
 */
class BillingTest {
    static final String A = "a0000000-0000-4000-8000-000000000001";
    static final String B = "b0000000-0000-4000-8000-000000000002";
    static final String C = "c0000000-0000-4000-8000-000000000003";

    @TempDir
    Path dir;
    JdbcDatabase db;
    SettableClock clock;
    TestAuthorities authorities;
    Billing billing;
    Seller seller;

    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 8, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        clock = new SettableClock(Instant.parse("2026-11-30T08:00:00Z"));
        authorities = new TestAuthorities();
        authorities.add(A, "Landesamt A", BillingMode.INVOICE, true);
        authorities.add(B, "Amt B", BillingMode.INTERNAL, false);
        authorities.add(C, "Behörde C", BillingMode.INVOICE, false);
        seller = BillingComponent.seller(de.sid.verbund.testsupport.Configs.of(BillingConfig.class));
        billing = new Billing(db, clock, () -> authorities, seller);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    static Instant berlin(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(BillingPeriod.ZONE).toInstant();
    }

    static DomainEvent vm(String type, String vmId, String tenant, String state, int vcpu, long ramMib, long diskGib,
            Instant at, Long seq) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("vmId", vmId);
        p.put("name", "vm-" + vmId.substring(0, 4));
        p.put("hostId", "host-1");
        p.put("offeringId", "vm-s");
        p.put("state", state);
        p.put("vcpu", vcpu);
        p.put("ramMib", ramMib);
        p.put("diskGib", diskGib);
        if (seq != null) {
            p.put("seq", seq);
        }
        return new DomainEvent(UUID.randomUUID(), type, at, tenant, p);
    }

    PriceSheet sheet(String from, String to, Price... prices) {
        return billing.priceSheets.create(new NewPriceSheet("Preisblatt " + from, berlin(from),
                to == null ? null : berlin(to), List.of(prices)));
    }

    static Price price(Metric m, String qualifier, String eur) {
        return new Price(m, qualifier, Money.eur(eur));
    }

    Invoice docOf(String authority, BillingPeriod p) {
        List<Invoice> docs = billing.invoices.list(new InvoiceFilter(authority, p, null, null), 50, null).items().stream()
                .filter(i -> i.kind() != InvoiceKind.CREDIT_NOTE).toList();
        assertThat(docs).hasSize(1);
        return docs.get(0);
    }

    Invoice run(BillingPeriod p, String authority) {
        billing.invoices.run(p);
        return docOf(authority, p);
    }

    void subscribe(String authority, String service, String from, String to) {
        billing.ledger.record(new NewUsage(UUID.randomUUID().toString(), authority, service, service + "-1", null,
                UsageRecord.SUBSCRIPTION, BigDecimal.ONE, "C62", berlin(from), berlin(to)));
    }

    static Money sum(Invoice i) {
        return i.lines().stream().map(InvoiceLine::amount).reduce(Money.ZERO, Money::plus);
    }

    // --- cases of issue #6 -------------------------------------------------------------------------------------

    /** A monthly price of 100.00: a full month is 100.00 whatever its length; 15 March to 1 April 2025 is 407/743. */
    @Test
    void theDemoPriceSheetIsCreatedOnceOnAnEmptyDatabaseAndPricesTheDemoOfferings() {
        clock.set(Instant.parse("2026-11-29T17:00:00Z"));
        assertThat(DemoPriceSheet.seed(billing.priceSheets(), clock)).isPresent();
        assertThat(DemoPriceSheet.seed(billing.priceSheets(), clock)).isEmpty();
        var sheet = billing.priceSheets().validAt(Instant.parse("2026-11-29T17:00:00Z")).orElseThrow();
        assertThat(sheet.name()).isEqualTo(DemoPriceSheet.NAME);
        assertThat(sheet.validFrom()).isEqualTo(berlin("2026-01-01T00:00"));
        assertThat(billing.priceSheets().list()).hasSize(1);
        // a full November of one vm-m: 720 h × 0.05 = 36.00
        assertThat(billing.quote("vm-m", 2, 4096, 0, berlin("2026-11-10T00:00")).orElseThrow().perMonth())
                .isEqualTo(Money.eur("36.00"));
    }

    @Test
    void monthlyPriceIsProratedByTheRealHoursOfTheBerlinMonth() {
        clock.set(berlin("2026-01-05T00:00"));
        sheet("2024-01-01T00:00", null, price(Metric.SERVICE_MONTH, "backup", "100.00"));
        subscribe(A, "backup", "2025-02-01T00:00", "2025-03-01T00:00");
        subscribe(A, "backup", "2025-10-01T00:00", "2025-11-01T00:00");
        subscribe(A, "backup", "2025-03-15T00:00", "2025-04-01T00:00");

        assertThat(run(BillingPeriod.of(2025, 2), A).net()).isEqualTo(Money.eur("100.00"));
        assertThat(run(BillingPeriod.of(2025, 10), A).net()).isEqualTo(Money.eur("100.00"));
        assertThat(BillingPeriod.of(2025, 10).hours()).isEqualTo(745);
        Invoice march = run(BillingPeriod.of(2025, 3), A);
        assertThat(BillingPeriod.of(2025, 3).hours()).isEqualTo(743);
        assertThat(march.lines()).singleElement().satisfies(l -> {
            assertThat(l.amount()).isEqualTo(Money.eur("54.78"));
            assertThat(l.quantity()).isEqualByComparingTo(new BigDecimal(407).divide(new BigDecimal(743), 10,
                    RoundingMode.HALF_UP));
            assertThat(l.unit()).isEqualTo("MON");
        });
    }

    /** One hour of a 100.00 monthly price costs 100/696 in February 2024, 100/672 in February 2025, 100/745 in October 2025. */
    @Test
    void oneHourOfAMonthlyPriceIsOneOverTheMonthsHours() {
        clock.set(berlin("2026-01-05T00:00"));
        sheet("2024-01-01T00:00", null, price(Metric.SERVICE_MONTH, "backup", "100.00"));
        subscribe(A, "backup", "2024-02-10T10:00", "2024-02-10T11:00");
        subscribe(A, "backup", "2025-02-10T10:00", "2025-02-10T11:00");
        subscribe(A, "backup", "2025-10-10T10:00", "2025-10-10T11:00");
        Map<BillingPeriod, Integer> hours = Map.of(BillingPeriod.of(2024, 2), 696, BillingPeriod.of(2025, 2), 672,
                BillingPeriod.of(2025, 10), 745);
        hours.forEach((p, h) -> {
            assertThat(p.hours()).isEqualTo((long) h);
            InvoiceLine l = run(p, A).lines().get(0);
            assertThat(l.quantity()).isEqualByComparingTo(BigDecimal.ONE.divide(BigDecimal.valueOf(h), 10,
                    RoundingMode.HALF_UP));
            assertThat(l.amount()).isEqualTo(Money.eur(new BigDecimal(100).divide(BigDecimal.valueOf(h), 2,
                    RoundingMode.HALF_UP)));
        });
    }

    /** 198.00 × 13/31 → 83.03 (13 days of August 2025, which has 744 hours). */
    @Test
    void prorationRoundsOnceHalfUp() {
        clock.set(berlin("2025-09-02T00:00"));
        sheet("2025-01-01T00:00", null, price(Metric.SERVICE_MONTH, "archive", "198.00"));
        subscribe(A, "archive", "2025-08-01T00:00", "2025-08-14T00:00");
        assertThat(run(BillingPeriod.of(2025, 8), A).lines().get(0).amount()).isEqualTo(Money.eur("83.03"));
    }

    /** HALF_UP turns 2.345 into 2.35 and −0.005 into −0.01; the total is the sum of the rounded lines. */
    @Test
    void linesRoundHalfUpAndTheTotalIsTheSumOfRoundedLines() {
        assertThat(Money.eur("2.345").roundToCents().amount()).isEqualByComparingTo("2.35");
        assertThat(Money.eur("-0.005").roundToCents().amount()).isEqualByComparingTo("-0.01");

        clock.set(berlin("2026-04-02T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.QUANTITY, "a", "1.0050"), price(Metric.QUANTITY, "b", "1.0050"),
                price(Metric.QUANTITY, "c", "1.0050"));
        for (String m : List.of("a", "b", "c")) {
            billing.ledger.record(new NewUsage("u-" + m, A, "storage", "s1", null, m, BigDecimal.ONE, "C62",
                    berlin("2026-03-10T00:00"), berlin("2026-03-10T00:00")));
        }
        Invoice i = run(BillingPeriod.of(2026, 3), A);
        assertThat(i.lines()).extracting(InvoiceLine::amount).containsOnly(Money.eur("1.01"));
        assertThat(i.net()).isEqualTo(Money.eur("3.03")).isEqualTo(sum(i));
        assertThat(i.vatRatePercent()).isEqualByComparingTo("19");
        assertThat(i.vat()).isEqualTo(Money.eur("0.58"));
        assertThat(i.gross()).isEqualTo(Money.eur("3.61"));
    }

    /** START 13:02:07 (106), STOP 13:02:06 (107), START 13:02:07 (108), STOP 14:02:07 (109): exactly 1.000 hour. */
    @Test
    void eventsInSequenceOrderWithAStopBeforeItsStartBillExactlyOneHour() {
        clock.set(berlin("2026-04-02T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "1.0000"));
        String id = UUID.randomUUID().toString();
        billing.ledger.apply(vm("vm.created", id, A, "STOPPED", 1, 1024, 0, berlin("2026-03-10T12:00:00"), 105L));
        billing.ledger.apply(vm("vm.state-changed", id, A, "RUNNING", 1, 1024, 0, berlin("2026-03-10T13:02:07"), 106L));
        billing.ledger.apply(vm("vm.state-changed", id, A, "STOPPED", 1, 1024, 0, berlin("2026-03-10T13:02:06"), 107L));
        billing.ledger.apply(vm("vm.state-changed", id, A, "RUNNING", 1, 1024, 0, berlin("2026-03-10T13:02:07"), 108L));
        billing.ledger.apply(vm("vm.state-changed", id, A, "STOPPED", 1, 1024, 0, berlin("2026-03-10T14:02:07"), 109L));

        Invoice first = run(BillingPeriod.of(2026, 3), A);
        assertThat(first.lines()).singleElement().satisfies(l -> {
            assertThat(l.quantity()).isEqualByComparingTo("1.000");
            assertThat(l.amount()).isEqualTo(Money.eur("1.00"));
        });
        Invoice again = run(BillingPeriod.of(2026, 3), A);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.lines()).isEqualTo(first.lines());
        assertThat(again.net()).isEqualTo(first.net());
    }

    /** A 100 GiB disk at 0.10 per GiB-month in April, 200 GiB from 16 April 00:00: 5.00 + 10.00 = 15.00. */
    @Test
    void diskResizedInTheMiddleOfAprilBillsBothParts() {
        clock.set(berlin("2026-05-02T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.DISK_GIB_MONTH, null, "0.10"));
        String id = UUID.randomUUID().toString();
        billing.ledger.apply(vm("vm.created", id, A, "STOPPED", 2, 2048, 100, berlin("2026-04-01T00:00"), null));
        billing.ledger.apply(vm("vm.resized", id, A, "STOPPED", 2, 2048, 200, berlin("2026-04-16T00:00"), null));
        Invoice april = run(BillingPeriod.of(2026, 4), A);
        assertThat(april.lines()).singleElement().satisfies(l -> {
            assertThat(l.resource()).isEqualTo("disk");
            assertThat(l.amount()).isEqualTo(Money.eur("15.00"));
        });
        List<UsageRecord> segments = billing.ledger.usage(A, BillingPeriod.of(2026, 4).start(),
                BillingPeriod.of(2026, 4).end(), 50, null).items();
        assertThat(segments).extracting(UsageRecord::diskGib).containsExactly(100L, 200L);
        // each part on its own: 100 GiB × 360 h / 720 h × 0.10 = 5.00 and 200 GiB × 360 h / 720 h × 0.10 = 10.00
        assertThat(segments).extracting(s -> Money.eur(BigDecimal.valueOf(s.diskGib() * (s.end().toEpochMilli()
                - s.start().toEpochMilli())).multiply(new BigDecimal("0.10")).divide(BigDecimal.valueOf(720L * 3_600_000L),
                        2, RoundingMode.HALF_UP))).containsExactly(Money.eur("5.00"), Money.eur("10.00"));
    }

    /** Two resizes within one hour: both segments are billed. */
    @Test
    void twoResizesWithinOneHourBillBothSegments() {
        clock.set(berlin("2026-05-02T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.DISK_GIB_MONTH, null, "0.10"));
        String id = UUID.randomUUID().toString();
        billing.ledger.apply(vm("vm.created", id, A, "STOPPED", 2, 2048, 100, berlin("2026-04-01T00:00"), null));
        billing.ledger.apply(vm("vm.resized", id, A, "STOPPED", 2, 2048, 200, berlin("2026-04-16T00:00"), null));
        billing.ledger.apply(vm("vm.resized", id, A, "STOPPED", 2, 2048, 300, berlin("2026-04-16T00:30"), null));
        Invoice april = run(BillingPeriod.of(2026, 4), A);
        // 100 × 360 h + 200 × 0.5 h + 300 × 359.5 h = 143,950 GiB-hours / 720 h × 0.10 = 19.99
        assertThat(april.lines().get(0).quantity()).isEqualByComparingTo(new BigDecimal("143950").divide(
                new BigDecimal("720"), 10, RoundingMode.HALF_UP));
        assertThat(april.net()).isEqualTo(Money.eur("19.99"));
        assertThat(billing.ledger.usage(A, berlin("2026-04-15T23:00"), berlin("2026-04-16T01:00"), 50, null).items())
                .extracting(UsageRecord::diskGib).containsExactly(100L, 200L, 300L);
    }

    /** A cumulative CPU-seconds meter 45.45, 559.95, 1178.89, 1803.28, 2427.11, 0, 10 totals 2437.11 s. */
    @Test
    void cumulativeMeterBecomesDeltasWithResetAndNeverNegative() {
        clock.set(berlin("2026-04-02T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.QUANTITY, "cpu-seconds", "0.0010"));
        String[] readings = {"45.45", "559.95", "1178.89", "1803.28", "2427.11", "0", "10"};
        List<BigDecimal> deltas = new ArrayList<>();
        for (int i = 0; i < readings.length; i++) {
            deltas.add(billing.ledger.reading(new MeterReading("r" + i, A, "compute", "vm-1", "cpu-seconds", "SEC",
                    new BigDecimal(readings[i]), berlin("2026-03-10T10:00").plusSeconds(60L * i))).orElseThrow().quantity());
        }
        assertThat(deltas).allSatisfy(d -> assertThat(d.signum()).isNotNegative());
        assertThat(deltas.stream().reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualByComparingTo("2437.11");
        // the same reading again adds nothing
        assertThat(billing.ledger.reading(new MeterReading("r6", A, "compute", "vm-1", "cpu-seconds", "SEC",
                new BigDecimal("10"), berlin("2026-03-10T10:06")))).isEmpty();
        InvoiceLine line = run(BillingPeriod.of(2026, 3), A).lines().get(0);
        assertThat(line.quantity()).isEqualByComparingTo("2437.11");
        assertThat(line.unit()).isEqualTo("SEC");
        assertThat(line.amount()).isEqualTo(Money.eur("2.44"));
    }

    /**
     * October is final on 3 November; on 5 November usage dated 20 October arrives: October's invoice is
     * unchanged, November carries a correction line referring to October; the same event replayed adds nothing.
     */
    @Test
    void lateUsageForAFinalPeriodGoesOntoTheNextInvoiceAsACorrection() {
        clock.set(berlin("2026-09-15T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "0.10"), price(Metric.QUANTITY, "backup-gib", "0.50"));
        String vm1 = UUID.randomUUID().toString();
        billing.ledger.apply(vm("vm.created", vm1, A, "RUNNING", 1, 1024, 0, berlin("2026-10-01T00:00"), null));
        clock.set(berlin("2026-11-01T03:00"));
        Invoice october = run(BillingPeriod.of(2026, 10), A);
        assertThat(october.net()).isEqualTo(Money.eur("74.50")); // 745 h × 0.10
        clock.set(berlin("2026-11-03T09:00"));
        Invoice finalOctober = billing.invoices.finalizeInvoice(october.id());
        assertThat(finalOctober.number()).isEqualTo("2026-000001");

        clock.set(berlin("2026-11-05T09:00"));
        NewUsage late = new NewUsage("backup-2026-10-20", A, "backup", "bk-1", null, "backup-gib", BigDecimal.TEN, "GBR",
                berlin("2026-10-20T00:00"), berlin("2026-10-20T01:00"));
        assertThat(billing.ledger.record(late)).isPresent();
        String vm2 = UUID.randomUUID().toString();
        DomainEvent lateVm = vm("vm.created", vm2, A, "RUNNING", 1, 1024, 0, berlin("2026-10-20T00:00"), null);
        assertThat(billing.ledger.apply(lateVm)).isTrue();
        // replayed: nothing more
        assertThat(billing.ledger.record(late)).isEmpty();
        assertThat(billing.ledger.apply(lateVm)).isFalse();

        assertThat(billing.invoices.find(october.id()).orElseThrow()).isEqualTo(finalOctober);
        clock.set(berlin("2026-12-01T03:00"));
        Invoice november = run(BillingPeriod.of(2026, 11), A);
        assertThat(billing.invoices.find(october.id()).orElseThrow()).isEqualTo(finalOctober);
        assertThat(november.lines()).extracting(InvoiceLine::correctionOf, InvoiceLine::resource, InvoiceLine::amount)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(null, "vm-s", Money.eur("144.00")), // 2 VMs × 720 h
                        org.assertj.core.groups.Tuple.tuple(BillingPeriod.of(2026, 10), "vm-s", Money.eur("28.90")), // 289 h
                        org.assertj.core.groups.Tuple.tuple(BillingPeriod.of(2026, 10), "backup-gib", Money.eur("5.00")));
        assertThat(november.lines().get(1).description()).startsWith("Correction 2026-10");
        // replayed again after the run: the November draft stays the same
        billing.ledger.record(late);
        billing.ledger.apply(lateVm);
        assertThat(run(BillingPeriod.of(2026, 11), A).lines()).isEqualTo(november.lines());
        // once November is final, December carries no second correction for October
        billing.invoices.finalizeInvoice(november.id());
        clock.set(berlin("2027-01-01T03:00"));
        assertThat(run(BillingPeriod.of(2026, 12), A).lines()).noneMatch(l -> l.correctionOf() != null);
    }

    /** The same usage replayed twice, or consumed by two nodes at once, is counted once. */
    @Test
    void theSameUsageReplayedOrConsumedByTwoConsumersIsCountedOnce() throws Exception {
        clock.set(berlin("2026-04-02T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "1.00"), price(Metric.VCPU_HOUR, null, "0.01"));
        List<DomainEvent> events = new ArrayList<>();
        for (int v = 0; v < 5; v++) {
            String id = UUID.randomUUID().toString();
            events.add(vm("vm.created", id, A, "RUNNING", 2, 1024, 10, berlin("2026-03-02T00:00"), null));
            for (int h = 1; h <= 10; h++) {
                events.add(vm(h % 2 == 1 ? "vm.state-changed" : "vm.resized", id, A, h % 2 == 1 ? "STOPPED" : "RUNNING",
                        h % 2 == 0 ? 4 : 2, 1024, 10, berlin("2026-03-02T00:00").plusSeconds(3600L * h), null));
            }
        }
        for (DomainEvent e : events) {
            billing.ledger.apply(e);
        }
        Invoice once = run(BillingPeriod.of(2026, 3), A);
        long rows = countUsage();
        // replayed
        for (DomainEvent e : events) {
            assertThat(billing.ledger.apply(e)).isFalse();
        }
        // two nodes consuming the same events at once, each in order
        Billing other = new Billing(db, clock, () -> authorities, seller);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> f = new ArrayList<>();
            for (Billing node : List.of(billing, other)) {
                f.add(pool.submit(() -> events.forEach(node.ledger::apply)));
            }
            for (Future<?> x : f) {
                x.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(countUsage()).isEqualTo(rows);
        // the hourly roll-up the run reads adds up to the segments themselves
        assertThat(query("SELECT SUM(ms), SUM(vcpu_ms), SUM(disk_gib_ms) FROM billing_usage_hour")).isEqualTo(
                query("SELECT SUM(end_ms - start_ms), SUM((end_ms - start_ms) * vcpu), SUM((end_ms - start_ms) * disk_gib) "
                        + "FROM billing_usage WHERE kind = 'SEGMENT'"));
        Invoice again = run(BillingPeriod.of(2026, 3), A);
        assertThat(again.lines()).isEqualTo(once.lines());
        // 5 VMs: running 1 h of every 2 h for 10 h, then running from the 10th hour to the month's end
        assertThat(once.net()).isEqualTo(sum(once));
    }

    /** Events replayed into a fresh ledger from two consumers at once (no earlier run) count once too. */
    @Test
    void twoConsumersOfTheSameNewEventsCountThemOnce() throws Exception {
        List<DomainEvent> events = new ArrayList<>();
        String id = UUID.randomUUID().toString();
        events.add(vm("vm.created", id, A, "RUNNING", 2, 1024, 10, berlin("2026-03-02T00:00"), 1L));
        for (int h = 1; h <= 50; h++) {
            events.add(vm("vm.state-changed", id, A, h % 2 == 1 ? "STOPPED" : "RUNNING", 2, 1024, 10,
                    berlin("2026-03-02T00:00").plusSeconds(3600L * h), 1L + h));
        }
        Billing other = new Billing(db, clock, () -> authorities, seller);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<?> f1 = pool.submit(() -> events.forEach(billing.ledger::apply));
            Future<?> f2 = pool.submit(() -> events.forEach(other.ledger::apply));
            f1.get();
            f2.get();
        } finally {
            pool.shutdown();
        }
        assertThat(countUsage()).isEqualTo(50);
        assertThat(billing.ledger.parked(50, null).items()).isEmpty();
    }

    // --- further rules -----------------------------------------------------------------------------------------

    @Test
    void aPoisonEventIsParkedAndTheEventsAfterItAreMetered() {
        clock.set(berlin("2026-04-02T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "1.00"));
        String id = UUID.randomUUID().toString();
        billing.ledger.apply(vm("vm.created", id, A, "RUNNING", 1, 1024, 0, berlin("2026-03-01T00:00"), null));
        DomainEvent poison = new DomainEvent(UUID.randomUUID(), "vm.resized", berlin("2026-03-01T05:00"), A,
                Map.of("vmId", id, "state", "RUNNING", "vcpu", "two"));
        assertThat(billing.ledger.apply(poison)).isFalse();
        billing.ledger.apply(vm("vm.state-changed", id, A, "STOPPED", 1, 1024, 0, berlin("2026-03-01T10:00"), null));
        assertThat(billing.ledger.parked(50, null).items()).singleElement().satisfies(p -> {
            assertThat(p.eventId()).isEqualTo(poison.eventId().toString());
            assertThat(p.reason()).contains("payload.vcpu");
            assertThat(p.body()).contains("\"two\"");
        });
        assertThat(run(BillingPeriod.of(2026, 3), A).net()).isEqualTo(Money.eur("10.00"));
    }

    /** Compute answers the catalogue's commands on compute.events too: those replies are no usage and no poison. */
    @Test
    void computesCommandRepliesOnTheSameTopicAreNeitherMeteredNorParked() {
        String id = UUID.randomUUID().toString();
        billing.ledger.apply(vm("vm.created", id, A, "RUNNING", 1, 1024, 0, berlin("2026-03-01T00:00"), null));
        String order = UUID.randomUUID().toString();
        List<DomainEvent> replies = List.of(
                new DomainEvent(UUID.randomUUID(), "vm.provisioned", berlin("2026-03-01T00:01"), A,
                        Map.of("orderId", order, "vmIds", List.of(id), "names", List.of("vm-1"))),
                new DomainEvent(UUID.randomUUID(), "vm.provision-failed", berlin("2026-03-01T00:02"), A,
                        Map.of("orderId", order, "reason", "no capacity")),
                new DomainEvent(UUID.randomUUID(), "vm.decommissioned", berlin("2026-03-01T00:03"), A,
                        Map.of("orderId", order, "vmIds", List.of(id))),
                new DomainEvent(UUID.randomUUID(), "vm.decommission-failed", berlin("2026-03-01T00:04"), A,
                        Map.of("orderId", order, "reason", "no VM")));
        for (DomainEvent reply : replies) {
            assertThat(billing.ledger.apply(reply)).as(reply.type()).isFalse();
        }
        assertThat(billing.ledger.parked(50, null).items()).isEmpty();
        // a vm.* lifecycle event without a VM is still poison
        billing.ledger.apply(new DomainEvent(UUID.randomUUID(), "vm.created", berlin("2026-03-01T00:05"), A,
                Map.of("orderId", order)));
        assertThat(billing.ledger.parked(50, null).items()).singleElement()
                .satisfies(p -> assertThat(p.type()).isEqualTo("vm.created"));
    }

    @Test
    void anEventWhoseSequenceIsNotAboveTheLastAppliedIsParked() {
        String id = UUID.randomUUID().toString();
        billing.ledger.apply(vm("vm.created", id, A, "RUNNING", 1, 1024, 0, berlin("2026-03-01T00:00"), 10L));
        billing.ledger.apply(vm("vm.state-changed", id, A, "STOPPED", 1, 1024, 0, berlin("2026-03-01T02:00"), 12L));
        billing.ledger.apply(vm("vm.state-changed", id, A, "RUNNING", 1, 1024, 0, berlin("2026-03-01T01:00"), 11L));
        assertThat(billing.ledger.parked(50, null).items()).singleElement()
                .satisfies(p -> assertThat(p.reason()).contains("seq 11 arrived after seq 12"));
    }

    @Test
    void aRepeatedStartIsIgnored() {
        clock.set(berlin("2026-04-02T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "1.00"));
        String id = UUID.randomUUID().toString();
        billing.ledger.apply(vm("vm.created", id, A, "RUNNING", 1, 1024, 0, berlin("2026-03-01T00:00"), null));
        assertThat(billing.ledger.apply(vm("vm.state-changed", id, A, "RUNNING", 1, 1024, 0, berlin("2026-03-01T05:00"),
                null))).isFalse();
        billing.ledger.apply(vm("vm.deleted", id, A, "DELETED", 1, 1024, 0, berlin("2026-03-01T10:00"), null));
        assertThat(countUsage()).isEqualTo(1);
        assertThat(run(BillingPeriod.of(2026, 3), A).net()).isEqualTo(Money.eur("10.00"));
    }

    @Test
    void aPriceChangeInTheMiddleOfTheMonthSplitsTheCharge() {
        clock.set(berlin("2026-02-01T00:00"));
        PriceSheet first = sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "1.00"));
        PriceSheet second = sheet("2026-03-16T00:00", null, price(Metric.VM_HOUR, "vm-s", "2.00"));
        assertThat(billing.priceSheets.find(first.id()).orElseThrow().validTo()).isEqualTo(berlin("2026-03-16T00:00"));
        String id = UUID.randomUUID().toString();
        billing.ledger.apply(vm("vm.created", id, A, "RUNNING", 1, 1024, 0, berlin("2026-03-01T00:00"), null));
        clock.set(berlin("2026-04-01T01:00"));
        Invoice march = run(BillingPeriod.of(2026, 3), A);
        // 1 to 16 March: 360 h × 1.00; 16 March to 1 April (summer time from 29 March): 383 h × 2.00
        assertThat(march.lines()).extracting(InvoiceLine::quantity, InvoiceLine::amount, InvoiceLine::priceSheetId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(new BigDecimal("360"), Money.eur("360.00"), first.id()),
                        org.assertj.core.groups.Tuple.tuple(new BigDecimal("383"), Money.eur("766.00"), second.id()));
        assertThat(march.net()).isEqualTo(Money.eur("1126.00"));
        assertThat(billing.priceSheets.validAt(berlin("2026-03-15T23:59")).orElseThrow().id()).isEqualTo(first.id());
    }

    @Test
    void aDraftIsReRatedAfterAPriceCorrection() {
        clock.set(berlin("2026-02-01T00:00"));
        PriceSheet sheet = sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "1.00"));
        String id = UUID.randomUUID().toString();
        billing.ledger.apply(vm("vm.created", id, A, "RUNNING", 1, 1024, 0, berlin("2026-03-01T00:00"), null));
        billing.ledger.apply(vm("vm.deleted", id, A, "DELETED", 1, 1024, 0, berlin("2026-03-02T00:00"), null));
        clock.set(berlin("2026-04-01T01:00"));
        Invoice draft = run(BillingPeriod.of(2026, 3), A);
        assertThat(draft.net()).isEqualTo(Money.eur("24.00"));
        PriceSheet corrected = billing.priceSheets.correct(sheet.id(), List.of(price(Metric.VM_HOUR, "vm-s", "1.25")));
        assertThat(corrected.version()).isEqualTo(2);
        assertThat(corrected.sheetId()).isEqualTo(sheet.id());
        assertThat(billing.priceSheets.find(sheet.id()).orElseThrow().supersededBy()).isEqualTo(corrected.id());
        Invoice rerated = billing.invoices.rerate(draft.id());
        assertThat(rerated.id()).isEqualTo(draft.id());
        assertThat(rerated.net()).isEqualTo(Money.eur("30.00"));
        assertThat(rerated.lines().get(0).priceSheetId()).isEqualTo(corrected.id());
        assertThatThrownBy(() -> billing.priceSheets.correct(sheet.id(), List.of(price(Metric.VM_HOUR, "vm-s", "1.30"))))
                .isInstanceOf(ProblemException.class).extracting(e -> ((ProblemException) e).type())
                .isEqualTo(ProblemType.CONFLICT);
    }

    @Test
    void invoicesCarryVatByTheAuthorityFlagAndCostAllocationsNetToZeroAgainstTheSid() {
        clock.set(berlin("2026-02-01T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "0.0333"), price(Metric.RAM_GIB_HOUR, null, "0.0050"));
        for (String a : List.of(A, B, C)) {
            String id = UUID.randomUUID().toString();
            billing.ledger.apply(vm("vm.created", id, a, "RUNNING", 1, 3072, 0, berlin("2026-03-01T00:00"), null));
        }
        clock.set(berlin("2026-04-01T01:00"));
        InvoiceRun r = billing.invoices.run(BillingPeriod.of(2026, 3));
        assertThat(r.drafts()).hasSize(4);
        Invoice a = docOf(A, BillingPeriod.of(2026, 3));
        Invoice b = docOf(B, BillingPeriod.of(2026, 3));
        Invoice c = docOf(C, BillingPeriod.of(2026, 3));
        Invoice sid = docOf(seller.authorityId(), BillingPeriod.of(2026, 3));
        // 743 h × 0.0333 = 24.7419 → 24.74; 3 GiB × 743 h × 0.0050 = 11.145 → 11.15
        assertThat(a.net()).isEqualTo(Money.eur("35.89"));
        assertThat(a.kind()).isEqualTo(InvoiceKind.INVOICE);
        assertThat(a.vat()).isEqualTo(Money.eur("6.82"));
        assertThat(a.buyerReference()).isEqualTo("14-1234567-81");
        assertThat(c.vat()).isEqualTo(Money.ZERO);
        assertThat(c.vatRatePercent()).isEqualByComparingTo("0");
        assertThat(b.kind()).isEqualTo(InvoiceKind.COST_ALLOCATION);
        assertThat(b.vat()).isEqualTo(Money.ZERO);
        assertThat(b.payment()).isNull();
        assertThat(sid.kind()).isEqualTo(InvoiceKind.COST_ALLOCATION);
        assertThat(sid.costCentre()).isEqualTo(seller.costCentre());
        assertThat(sid.lines()).singleElement().satisfies(l -> assertThat(l.amount()).isEqualTo(b.net().negate()));
        assertThat(b.net().plus(sid.net())).isEqualTo(Money.ZERO);
        // the counter-entry waits for the allocations
        assertThatThrownBy(() -> billing.invoices.finalizeInvoice(sid.id())).isInstanceOf(ProblemException.class)
                .hasMessageContaining("still DRAFT");
    }

    @Test
    void numbersAreGivenAtFinalGapFreePerYearAndAFinalDocumentNeverChanges() {
        clock.set(berlin("2026-02-01T00:00"));
        PriceSheet sheet = sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "1.00"));
        for (String a : List.of(A, B, C)) {
            billing.ledger.apply(vm("vm.created", UUID.randomUUID().toString(), a, "RUNNING", 1, 1024, 0,
                    berlin("2026-03-01T00:00"), null));
        }
        clock.set(berlin("2026-03-20T00:00"));
        Invoice early = run(BillingPeriod.of(2026, 3), A);
        assertThatThrownBy(() -> billing.invoices.finalizeInvoice(early.id())).isInstanceOf(ProblemException.class)
                .hasMessageContaining("before the period ended");
        clock.set(berlin("2026-04-01T01:00"));
        billing.invoices.run(BillingPeriod.of(2026, 3));
        List<String> numbers = new ArrayList<>();
        for (String a : List.of(C, A, B, seller.authorityId())) {
            Invoice f = billing.invoices.finalizeInvoice(docOf(a, BillingPeriod.of(2026, 3)).id());
            assertThat(f.state()).isEqualTo(InvoiceState.FINAL);
            assertThat(f.issueDate()).isEqualTo(java.time.LocalDate.of(2026, 4, 1));
            numbers.add(f.number());
        }
        assertThat(numbers).containsExactly("2026-000001", "2026-000002", "2026-000003", "2026-000004");
        // the SID's counter-entry is not credited on its own: the month would no longer net to zero
        assertThatThrownBy(() -> billing.invoices.creditNote("2026-000004", "no", List.of()))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.type()).isEqualTo(ProblemType.CONFLICT))
                .hasMessageContaining("counter-entry");
        Invoice finalA = docOf(A, BillingPeriod.of(2026, 3));
        assertThat(finalA.payment().dueDate()).isEqualTo(java.time.LocalDate.of(2026, 5, 1));
        assertThat(billing.invoices.findByNumber("2026-000002")).contains(finalA);

        // nothing changes it: not a re-rate, not another run, not a price correction, not late usage
        assertThatThrownBy(() -> billing.invoices.rerate(finalA.id())).isInstanceOf(ProblemException.class)
                .extracting(e -> ((ProblemException) e).type()).isEqualTo(ProblemType.CONFLICT);
        assertThatThrownBy(() -> billing.invoices.finalizeInvoice(finalA.id())).isInstanceOf(ProblemException.class);
        billing.priceSheets.correct(sheet.id(), List.of(price(Metric.VM_HOUR, "vm-s", "9.00")));
        billing.ledger.apply(vm("vm.created", UUID.randomUUID().toString(), A, "RUNNING", 1, 1024, 0,
                berlin("2026-03-05T00:00"), null));
        InvoiceRun again = billing.invoices.run(BillingPeriod.of(2026, 3));
        assertThat(again.drafts()).isEmpty();
        assertThat(again.finalUnchanged()).isEqualTo(3);
        assertThat(billing.invoices.find(finalA.id())).contains(finalA);
        assertThat(billing.invoices.closedPeriods()).containsExactly(BillingPeriod.of(2026, 3));

        // a new year starts again at 1
        clock.set(berlin("2027-01-02T00:00"));
        Invoice credit = billing.invoices.creditNote(finalA.number(), "test", List.of());
        assertThat(billing.invoices.finalizeInvoice(credit.id()).number()).isEqualTo("2027-000001");
    }

    @Test
    void aCreditNoteCorrectsLinesOfAFinalInvoice() {
        clock.set(berlin("2026-02-01T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "1.00"));
        billing.ledger.apply(vm("vm.created", UUID.randomUUID().toString(), A, "RUNNING", 1, 1024, 0,
                berlin("2026-03-01T00:00"), null));
        clock.set(berlin("2026-04-01T01:00"));
        Invoice inv = billing.invoices.finalizeInvoice(run(BillingPeriod.of(2026, 3), A).id());
        Invoice credit = billing.invoices.creditNote(inv.number(), "VM was down 10.5 hours",
                List.of(new CreditLine(1, new BigDecimal("10.5"))));
        assertThat(credit.kind()).isEqualTo(InvoiceKind.CREDIT_NOTE);
        assertThat(credit.state()).isEqualTo(InvoiceState.DRAFT);
        assertThat(credit.precedingInvoiceNumber()).isEqualTo(inv.number());
        assertThat(credit.net()).isEqualTo(Money.eur("-10.50"));
        assertThat(credit.vat()).isEqualTo(Money.eur("-2.00"));
        assertThat(credit.gross()).isEqualTo(Money.eur("-12.50"));
        assertThat(credit.lines().get(0).quantity()).isEqualByComparingTo("-10.5");
        assertThat(billing.invoices.finalizeInvoice(credit.id()).number()).isEqualTo("2026-000002");
        assertThatThrownBy(() -> billing.invoices.creditNote(inv.number(), "too much",
                List.of(new CreditLine(1, new BigDecimal("733"))))).isInstanceOf(ProblemException.class)
                .hasMessageContaining("already credited");
        assertThatThrownBy(() -> billing.invoices.creditNote(inv.number(), "no line", List.of(new CreditLine(7,
                BigDecimal.ONE)))).isInstanceOf(ProblemException.class).hasMessageContaining("no line 7");
        // 700 + 30 h left to credit of 744 − 10.5: each alone fits, the two together exceed the line
        assertThatThrownBy(() -> billing.invoices.creditNote(inv.number(), "twice", List.of(
                new CreditLine(1, new BigDecimal("700")), new CreditLine(1, new BigDecimal("30")))))
                .isInstanceOfSatisfying(ProblemException.class, e -> assertThat(e.errors())
                        .containsExactly("line 1 is listed more than once: give its whole quantity once"));
        assertThat(billing.invoices.list(new InvoiceFilter(A, null, InvoiceKind.CREDIT_NOTE, null), 10, null).items())
                .hasSize(1);
        assertThat(billing.invoices.find(inv.id())).contains(inv);
    }

    @Test
    void everyLineLeadsBackToItsUsageRecordsAndPrice() {
        clock.set(berlin("2026-02-01T00:00"));
        PriceSheet sheet = sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "1.00"),
                price(Metric.DISK_GIB_MONTH, null, "0.10"));
        String id = UUID.randomUUID().toString();
        billing.ledger.apply(vm("vm.created", id, A, "RUNNING", 1, 1024, 10, berlin("2026-03-01T00:00"), null));
        billing.ledger.apply(vm("vm.state-changed", id, A, "STOPPED", 1, 1024, 10, berlin("2026-03-02T00:00"), null));
        billing.ledger.apply(vm("vm.state-changed", id, A, "RUNNING", 1, 1024, 10, berlin("2026-03-03T00:00"), null));
        billing.ledger.apply(vm("vm.deleted", id, A, "DELETED", 1, 1024, 10, berlin("2026-03-04T00:00"), null));
        clock.set(berlin("2026-04-01T01:00"));
        Invoice inv = run(BillingPeriod.of(2026, 3), A);
        InvoiceLine hours = inv.lines().stream().filter(l -> l.resource().equals("vm-s")).findFirst().orElseThrow();
        InvoiceLine disk = inv.lines().stream().filter(l -> l.resource().equals("disk")).findFirst().orElseThrow();
        assertThat(hours.priceSheetId()).isEqualTo(sheet.id());
        List<UsageRecord> hourUsage = billing.invoices.lineUsage(inv.id(), hours.position(), 50, null).items();
        assertThat(hourUsage).hasSize(2).allMatch(UsageRecord::running).allMatch(u -> u.kind() == UsageKind.SEGMENT);
        BigDecimal h = hourUsage.stream().map(u -> BigDecimal.valueOf(u.end().toEpochMilli() - u.start().toEpochMilli())
                .divide(Rater.MS_PER_HOUR)).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(h).isEqualByComparingTo(hours.quantity());
        assertThat(billing.invoices.lineUsage(inv.id(), disk.position(), 50, null).items()).hasSize(3);
        assertThat(billing.invoices.lineUsage(inv.id(), disk.position(), 2, null).nextCursor()).isNotNull();
        assertThatThrownBy(() -> billing.invoices.lineUsage(inv.id(), 99, 50, null)).isInstanceOf(ProblemException.class);
    }

    @Test
    void usageWithoutAPriceSheetIsRefusedNotBilledAtZero() {
        clock.set(berlin("2026-04-01T01:00"));
        billing.ledger.apply(vm("vm.created", UUID.randomUUID().toString(), A, "RUNNING", 1, 1024, 0,
                berlin("2026-03-01T00:00"), null));
        assertThatThrownBy(() -> billing.invoices.run(BillingPeriod.of(2026, 3))).isInstanceOf(ProblemException.class)
                .hasMessageContaining("no price sheet covers");
    }

    @Test
    void priceSheetsAreValidatedAndDoNotOverlap() {
        sheet("2026-01-01T00:00", "2026-07-01T00:00", price(Metric.VM_HOUR, "vm-s", "1.00"));
        assertThatThrownBy(() -> sheet("2026-06-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "1.00")))
                .isInstanceOf(ProblemException.class).hasMessageContaining("overlaps");
        ProblemException bad = org.junit.jupiter.api.Assertions.assertThrows(ProblemException.class,
                () -> billing.priceSheets.create(new NewPriceSheet(" ", berlin("2026-08-01T00:00"), berlin("2026-07-01T00:00"),
                        List.of(price(Metric.VM_HOUR, null, "1.00"), price(Metric.VCPU_HOUR, null, "0.00001"),
                                price(Metric.RAM_GIB_HOUR, null, "-1"), price(Metric.DISK_GIB_MONTH, null, "1e400")))));
        assertThat(bad.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(bad.errors()).hasSize(6).contains("DISK_GIB_MONTH: unit price must be at most 999999999999999.9999 EUR");
        assertThat(billing.priceSheets.list()).hasSize(1);
    }

    @Test
    void usageBeyondTheCorrectionHorizonIsParkedForReview() {
        clock.set(berlin("2026-05-01T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.QUANTITY, "backup-gib", "0.50"));
        billing.ledger.record(new NewUsage("u1", A, "backup", "bk", null, "backup-gib", BigDecimal.ONE, "GBR",
                berlin("2026-04-10T00:00"), berlin("2026-04-10T00:00")));
        clock.set(berlin("2026-05-02T00:00"));
        billing.invoices.finalizeInvoice(run(BillingPeriod.of(2026, 4), A).id());
        clock.set(berlin("2026-09-02T00:00"));
        assertThat(billing.ledger.record(new NewUsage("u2", A, "backup", "bk", null, "backup-gib", BigDecimal.ONE, "GBR",
                berlin("2026-04-11T00:00"), berlin("2026-04-11T00:00")))).isEmpty();
        assertThat(billing.ledger.parked(50, null).items()).singleElement().satisfies(p -> {
            assertThat(p.eventId()).isEqualTo("u2");
            assertThat(p.reason()).contains("closed more than 3 month");
        });
        // within the horizon it is recorded
        clock.set(berlin("2026-07-02T00:00"));
        assertThat(billing.ledger.record(new NewUsage("u3", A, "backup", "bk", null, "backup-gib", BigDecimal.ONE, "GBR",
                berlin("2026-04-11T00:00"), berlin("2026-04-11T00:00")))).isPresent();
    }

    @Test
    void theScheduledRunRatesThePreviousMonthOncePerPeriodAcrossNodes() {
        clock.set(berlin("2026-02-01T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "1.00"));
        billing.ledger.apply(vm("vm.created", UUID.randomUUID().toString(), A, "RUNNING", 1, 1024, 0,
                berlin("2026-03-01T00:00"), null));
        clock.set(berlin("2026-04-01T00:30"));
        assertThat(billing.scheduledRun()).contains(BillingPeriod.of(2026, 3));
        Billing otherNode = new Billing(db, clock, () -> authorities, seller);
        assertThat(otherNode.scheduledRun()).isEmpty();
        assertThat(billing.scheduledRun()).isEmpty();
        assertThat(docOf(A, BillingPeriod.of(2026, 3)).net()).isEqualTo(Money.eur("743.00"));
    }

    @Test
    void monthToDateCostAndItsGauge() {
        clock.set(berlin("2026-02-01T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "0.50"));
        billing.ledger.apply(vm("vm.created", UUID.randomUUID().toString(), A, "RUNNING", 1, 1024, 0,
                berlin("2026-03-01T00:00"), null));
        clock.set(berlin("2026-03-11T00:00"));
        assertThat(billing.monthToDate(A)).isEqualTo(Money.eur("120.00"));
        assertThat(billing.monthToDate(B)).isEqualTo(Money.ZERO);
        MetricSnapshots s = BillingComponent.gauge(billing.monthToDate());
        assertThat(points(s, "verbund_billing_month_to_date_cost_eur")).containsOnly(Map.entry(A, 120.0));
        // no authority has a budget here
        assertThat(points(s, "verbund_billing_budget_limit_eur")).isEmpty();
    }

    @Test
    void budgetGaugesSumTheCostOfEveryUnitBelowTheBudgetedAuthority() {
        clock.set(berlin("2026-02-01T00:00"));
        sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-s", "0.50"));
        billing.ledger.apply(vm("vm.created", UUID.randomUUID().toString(), A, "RUNNING", 1, 1024, 0,
                berlin("2026-03-01T00:00"), null));
        billing.ledger.apply(vm("vm.created", UUID.randomUUID().toString(), B, "RUNNING", 1, 1024, 0,
                berlin("2026-03-10T00:00"), null));
        clock.set(berlin("2026-03-11T00:00"));
        // ministry M (budget 200 EUR, warned from 80 %) over A (no budget) over B (budget 10 EUR); C has no budget
        String m = "d0000000-0000-4000-8000-000000000004";
        authorities.put(new Authority(m, "Ministerium M", AuthorityKind.MINISTRY, null, "KST-M", null, null,
                BillingMode.INTERNAL, false, List.of(), null, new Budget(new BigDecimal("200.00"), 80), clock.instant()));
        Authority a = authorities.find(A).orElseThrow();
        authorities.put(new Authority(A, a.name(), a.kind(), m, a.costCentre(), a.leitwegId(), a.billingAddress(),
                a.billingMode(), a.vatLiable(), a.contacts(), a.quota(), Budget.NONE, a.createdAt()));
        Authority b = authorities.find(B).orElseThrow();
        authorities.put(new Authority(B, b.name(), b.kind(), A, b.costCentre(), b.leitwegId(), b.billingAddress(),
                b.billingMode(), b.vatLiable(), b.contacts(), b.quota(), new Budget(new BigDecimal("10"), 50), b.createdAt()));

        MetricSnapshots s = BillingComponent.gauge(billing.monthToDate(), authorities.list());

        // A: 240 h x 0.50 = 120.00; B: 24 h x 0.50 = 12.00
        assertThat(points(s, "verbund_billing_month_to_date_cost_eur")).containsOnly(Map.entry(A, 120.0), Map.entry(B, 12.0));
        assertThat(points(s, "verbund_billing_budget_limit_eur")).containsOnly(Map.entry(m, 200.0), Map.entry(B, 10.0));
        assertThat(points(s, "verbund_billing_budget_soft_threshold_ratio")).containsOnly(Map.entry(m, 0.8),
                Map.entry(B, 0.5));
        assertThat(points(s, "verbund_billing_budget_cost_eur")).containsOnly(Map.entry(m, 132.0), Map.entry(B, 12.0));
        GaugeSnapshot limit = (GaugeSnapshot) s.stream().filter(x -> x.getMetadata().getPrometheusName()
                .equals("verbund_billing_budget_limit_eur")).findFirst().orElseThrow();
        assertThat(limit.getDataPoints()).extracting(p -> p.getLabels().get("name"))
                .containsExactlyInAnyOrder("Ministerium M", b.name());
    }

    /** @return a gauge's values by their authority label */
    static Map<String, Double> points(MetricSnapshots s, String name) {
        GaugeSnapshot g = (GaugeSnapshot) s.stream().filter(x -> x.getMetadata().getPrometheusName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + name));
        Map<String, Double> out = new java.util.HashMap<>();
        g.getDataPoints().forEach(p -> out.put(p.getLabels().get("authority"), p.getValue()));
        return out;
    }

    @Test
    void priceQuotesAddTheHourlyPartsAndTheDiskMonth() {
        sheet("2026-01-01T00:00", null, price(Metric.VM_HOUR, "vm-m", "0.05"), price(Metric.VCPU_HOUR, null, "0.01"),
                price(Metric.RAM_GIB_HOUR, null, "0.005"), price(Metric.DISK_GIB_MONTH, null, "0.10"));
        PriceQuote q = billing.quote("vm-m", 2, 4096, 50, berlin("2026-04-10T00:00")).orElseThrow();
        // 0.05 + 2 × 0.01 + 4 × 0.005 + 50 × 0.10 / 720 = 0.0969; 0.09 × 720 + 5.00 = 69.80
        assertThat(q.perHour()).isEqualTo(Money.eur("0.0969"));
        assertThat(q.perMonth()).isEqualTo(Money.eur("69.80"));
        assertThat(billing.quote("vm-m", 2, 4096, 50, berlin("2025-04-10T00:00"))).isEmpty();
    }

    List<BigDecimal> query(String sql) {
        return db.inTransaction(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
                rs.next();
                List<BigDecimal> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getBigDecimal(i).stripTrailingZeros());
                }
                return row;
            }
        });
    }

    long countUsage() {
        return db.inTransaction(c -> {
            try (var s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM billing_usage")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}

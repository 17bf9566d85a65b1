package de.sid.verbund.benchmarks;

import de.sid.verbund.billing.InvoiceRun;
import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.NewPriceSheet;
import de.sid.verbund.billing.Price;
import de.sid.verbund.billing.core.internal.Billing;
import de.sid.verbund.billing.core.internal.BillingConfig;
import de.sid.verbund.billing.core.internal.Segment;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Money;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.FixedAuthorities;
import de.sid.verbund.testsupport.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The monthly invoice run of issue #6 at scale: {@code --vms} VMs (default 10,000) over one month
 * in which every VM changes state or size every hour, so the ledger holds VMs × (hours − 1) closed
 * segments (7.4 million for 10,000 VMs in a 743-hour March) plus one open segment per VM, which the
 * run cuts at the month's end. The VMs belong to {@code --authorities} authorities (default 100,
 * every fourth in internal cost allocation). Loading the ledger is not timed; the run (cut, rating
 * with set-based SQL aggregation, drafts with their lines, the SID's counter-entry) is, twice: the
 * first run makes the drafts, the second re-rates them.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar de.sid.verbund.benchmarks.BillingRunBenchmark [--vms 10000]
 *     [--authorities 100] [--period 2026-03] [--postgres jdbc:postgresql://127.0.0.1:5432/db --user u --password p]
 * </pre>
 * Without {@code --postgres} it runs on an embedded H2 file in a temporary directory (deleted after).
 */
public final class BillingRunBenchmark {
    private BillingRunBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int vms = Integer.parseInt(o.getOrDefault("vms", "10000"));
        int nAuthorities = Integer.parseInt(o.getOrDefault("authorities", "100"));
        BillingPeriod period = BillingPeriod.parse(o.getOrDefault("period", "2026-03"));
        Path tmp = null;
        JdbcDatabase db;
        if (o.containsKey("postgres")) {
            db = new JdbcDatabase(o.get("postgres"), o.getOrDefault("user", "verbund"), o.getOrDefault("password", ""), 4,
                    30_000);
        } else {
            tmp = Files.createTempDirectory("billing-bench");
            db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(tmp), "verbund", "", 4, 30_000);
        }
        try {
            run(db, vms, nAuthorities, period);
        } finally {
            db.close();
            if (tmp != null) {
                try (var files = Files.walk(tmp)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private static void run(JdbcDatabase db, int vms, int nAuthorities, BillingPeriod period) {
        Authorities authorities = new Authorities(nAuthorities);
        SettableClock clock = new SettableClock(period.start().minusSeconds(86_400));
        Billing billing = new Billing(db, clock, () -> authorities, Configs.of(BillingConfig.class));
        billing.priceSheets().create(new NewPriceSheet("Benchmark", period.start().minusSeconds(86_400 * 31L), null,
                List.of(new Price(Metric.VM_HOUR, "vm-s", Money.eur("0.0125")), new Price(Metric.VM_HOUR, "vm-m",
                        Money.eur("0.0250")), new Price(Metric.VCPU_HOUR, null, Money.eur("0.0100")),
                        new Price(Metric.RAM_GIB_HOUR, null, Money.eur("0.0040")),
                        new Price(Metric.DISK_GIB_MONTH, null, Money.eur("0.0800")))));
        long hours = period.hours();
        long start = period.start().toEpochMilli();
        System.out.printf("%s: %,d VMs, %d authorities, %s (%d h): loading %,d segments%n", db.product(), vms,
                nAuthorities, period, hours, vms * (hours - 1));
        long t0 = System.nanoTime();
        List<Segment> batch = new ArrayList<>(50_000);
        for (int v = 0; v < vms; v++) {
            String vmId = new UUID(0x5eedL, v).toString();
            String authority = authorities.id(v % nAuthorities);
            for (int h = 0; h < hours - 1; h++) {
                // every hour a change: stop/start every third hour, otherwise a resize between 2 and 4 vCPUs
                boolean running = h % 3 != 2;
                int vcpu = h % 2 == 0 ? 2 : 4;
                batch.add(new Segment(authority, vmId, "vm-" + v, v % 2 == 0 ? "vm-s" : "vm-m", vcpu, vcpu * 2048L,
                        50, running, start + h * 3_600_000L, start + (h + 1) * 3_600_000L, "bench-" + v + "-" + h));
                if (batch.size() == 50_000) {
                    billing.appendSegments(batch);
                    batch.clear();
                }
            }
            Map<String, Object> p = new HashMap<>();
            p.put("vmId", vmId);
            p.put("name", "vm-" + v);
            p.put("offeringId", v % 2 == 0 ? "vm-s" : "vm-m");
            p.put("state", "RUNNING");
            p.put("vcpu", 2);
            p.put("ramMib", 4096);
            p.put("diskGib", 50);
            billing.meter(new DomainEvent(UUID.randomUUID(), "vm.created", Instant.ofEpochMilli(start + (hours - 1)
                    * 3_600_000L), authority, p));
        }
        if (!batch.isEmpty()) {
            billing.appendSegments(batch);
        }
        if (db.product().equals("PostgreSQL")) {
            db.inTransaction(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("ANALYZE billing_usage");
                }
                return null;
            });
        }
        System.out.printf("loaded in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        clock.set(period.end().plusSeconds(3600));
        for (String what : List.of("first run (drafts made)", "second run (drafts re-rated)")) {
            long t = System.nanoTime();
            InvoiceRun r = billing.invoices().run(period);
            double s = (System.nanoTime() - t) / 1e9;
            Money total = Money.ZERO;
            for (String id : r.drafts()) {
                total = total.plus(billing.invoices().find(id).orElseThrow().net());
            }
            System.out.printf("%s: %s: %.2f s for %d documents, sum of their nets %s%n", db.product(), what, s,
                    r.drafts().size(), total);
        }
        long count = db.inTransaction((Connection c) -> {
            try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT COUNT(*) FROM billing_usage")) {
                rs.next();
                return rs.getLong(1);
            }
        });
        System.out.printf("ledger rows after the run: %,d%n", count);
    }

    /** The benchmark's authorities: every fourth in internal cost allocation, the others invoiced with VAT. */
    private static final class Authorities extends FixedAuthorities {
        Authorities(int n) {
            for (int i = 0; i < n; i++) {
                put(new Authority(id(i), "Behörde " + i, AuthorityKind.AUTHORITY, null, "KST-" + i, "14-1234567-81",
                        new BillingAddress("Straße " + i, null, "01097", "Dresden", "DE"),
                        i % 4 == 3 ? BillingMode.INTERNAL : BillingMode.INVOICE, i % 4 != 3, List.of(), null, null,
                        Instant.EPOCH));
            }
        }

        String id(int i) {
            return new UUID(0xa17L, i).toString();
        }
    }
}

package de.sid.verbund.billing.core.internal;

import de.sid.verbund.billing.CostSource;
import de.sid.verbund.billing.InvoiceService;
import de.sid.verbund.billing.MeterReading;
import de.sid.verbund.billing.NewPriceSheet;
import de.sid.verbund.billing.NewUsage;
import de.sid.verbund.billing.ParkedEvent;
import de.sid.verbund.billing.Party;
import de.sid.verbund.billing.Price;
import de.sid.verbund.billing.PriceQuote;
import de.sid.verbund.billing.PriceQuotes;
import de.sid.verbund.billing.PriceSheet;
import de.sid.verbund.billing.PriceSheetService;
import de.sid.verbund.billing.UsageRecord;
import de.sid.verbund.billing.UsageRecorder;
import de.sid.verbund.billing.UsageService;
import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.cluster.ListenerRegistration;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityService;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the billing core in OSGi: the services of billing-api (the {@link InvoiceService} through
 * {@link InvoicesComponent}, whose {@code find} would clash with {@link PriceSheetService#find}), the durable subscription to
 * {@code compute.events} (topic {@value #COMPUTE_TOPIC}), the monthly run, and
 * {@code verbund_billing_month_to_date_cost_eur{authority}} and the budget gauges at {@code /metrics}.
 *
 * <p>Immediate, so compute events are metered whether or not anything uses the services.
 * Activation returns at once: migration and subscription happen on the component's own thread,
 * retried after 1 s doubling to 30 s; until then every call answers 503. The authorities
 * (tenancy) are an optional dynamic reference: without them metering goes on, runs answer 503.
 */
@Component(service = {BillingComponent.class, PriceSheetService.class, UsageService.class, UsageRecorder.class,
    CostSource.class, PriceQuotes.class, MultiCollector.class}, configurationPid = BillingConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = BillingConfig.class)
public class BillingComponent implements PriceSheetService, UsageService, UsageRecorder, CostSource, PriceQuotes,
        MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(BillingComponent.class);
    /** The topic compute publishes its {@code vm.*} events on. */
    static final String COMPUTE_TOPIC = "compute.events";

    private final ScheduledExecutorService worker;
    private final BillingConfig config;
    private volatile AuthorityService authorities;
    private volatile Billing billing;
    private volatile Subscription metering;
    private volatile String notReady = "starting";
    private volatile boolean stopped;
    private volatile Map<String, Money> monthToDate;
    private volatile Instant monthToDateAt = Instant.EPOCH;
    /** The authorities read with {@link #monthToDate}, {@code null} until tenancy answered. */
    private volatile List<Authority> budgetAuthorities;

    /** Cluster-wide jobs run on one member with quorum (absent: a single node runs them). */
    volatile ClusterService cluster;
    private volatile ListenerRegistration ownership;

    /**
     * Also listens for ownership changes: when this member becomes the monthly run's owner (its
     * owner died or left, or this one joined), it checks the run at once, so a run the old owner
     * left unfinished (no {@code billing_run} row) is completed seconds after the failure is
     * detected rather than at the next check ({@code run.check.s}, an hour by default).
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "unsetCluster")
    void setCluster(ClusterService c) {
        cluster = c;
        ListenerRegistration old = ownership;
        ownership = c.addOwnershipListener(this::ownershipChanged);
        if (old != null) {
            old.close();
        }
    }

    void unsetCluster(ClusterService c) {
        if (cluster == c) {
            cluster = null;
            ListenerRegistration r = ownership;
            ownership = null;
            if (r != null) {
                r.close();
            }
        }
    }

    private void ownershipChanged() {
        ClusterService c = cluster;
        if (c != null && !stopped && c.runsSingleton(MONTHLY_RUN_JOB)) {
            try {
                worker.execute(this::monthly);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.debug("billing stopped");
            }
        }
    }

    @Activate
    public BillingComponent(@Reference Database db, @Reference EventBus bus, BillingConfig config) {
        this.config = config;
        worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-billing");
            t.setDaemon(true);
            return t;
        });
        worker.execute(() -> start(db, bus, 1));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void setAuthorityService(AuthorityService s) {
        authorities = s;
    }

    void unsetAuthorityService(AuthorityService s) {
        if (authorities == s) {
            authorities = null;
        }
    }

    static Seller seller(BillingConfig c) {
        Party p = new Party(c.seller_name(), c.seller_street(), null, c.seller_postal_code(), c.seller_city(),
                c.seller_country(), c.seller_vat_id(), c.seller_email(), c.seller_contact(), c.seller_phone(),
                c.seller_email());
        return new Seller(p, c.iban(), c.bic(), c.seller_name(), c.payment_days(), c.payment_terms(), c.sid_authority_id(),
                c.sid_cost_centre(), Math.max(0, c.correction_horizon_months()));
    }

    private void start(Database db, EventBus bus, long retrySeconds) {
        if (stopped) {
            return;
        }
        try {
            if (billing == null) {
                Billing b = new Billing(db, Clock.systemUTC(), () -> authorities, seller(config));
                if (config.demo_price_sheet()) {
                    DemoPriceSheet.seed(b.priceSheets(), Clock.systemUTC());
                }
                billing = b;
                long every = Math.max(MIN_RUN_CHECK_S, config.run_check_s());
                worker.scheduleWithFixedDelay(this::monthly, 1, every, TimeUnit.SECONDS);
            }
            Ledger ledger = billing.ledger;
            metering = bus.subscribe(COMPUTE_TOPIC, config.metering_subscription(), ledger::apply);
            if (stopped) {
                metering.close();
                return;
            }
            if (!"starting".equals(notReady)) {
                LOG.info("Billing ready after the database or broker came back");
            }
            notReady = null;
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            if (!reason.equals(notReady)) {
                LOG.error("Billing not ready ({}), retrying in {} s: {}", billing == null ? "store" : "metering subscription",
                        retrySeconds, reason);
            }
            notReady = reason;
            worker.schedule(() -> start(db, bus, Math.min(retrySeconds * 2, 30)), retrySeconds, TimeUnit.SECONDS);
        }
    }

    /** @return whether the store is ready and compute events are being metered */
    boolean isReady() {
        return billing != null && metering != null && notReady == null;
    }

    /**
     * The shortest interval of the monthly run check ({@code run.check.s}): a check that finds the month
     * closed costs one failed INSERT, so 10 s is cheap; the cluster process tests use it to see a run
     * left by a dead node completed within seconds.
     */
    static final long MIN_RUN_CHECK_S = 10;

    /** The job name of the monthly run ({@link ClusterService#runsSingleton(String)}). */
    static final String MONTHLY_RUN_JOB = "billing.monthly-run";

    /**
     * The scheduled run of the previous month, once per period; failures are logged and tried at the next check.
     * In a cluster only the owner of the job's key runs it, and only with quorum; what makes it once per period is
     * the {@code billing_run} row inserted in the run's transaction (a member dying midway leaves no row, and the
     * next owner runs it as soon as it owns the job, {@link #setCluster}).
     */
    void monthly() {
        Billing b = billing;
        if (b == null || stopped) {
            return;
        }
        ClusterService c = cluster;
        if (c != null && !c.runsSingleton(MONTHLY_RUN_JOB)) {
            LOG.debug("Monthly billing run: another member runs it, or this one has no quorum");
            return;
        }
        if (authorities == null) {
            LOG.debug("Monthly billing run waits for the authorities (tenancy)");
            return;
        }
        try {
            b.scheduledRun().ifPresent(p -> LOG.info("Monthly billing run of {} done: drafts are ready for review", p));
        } catch (RuntimeException e) {
            LOG.warn("Monthly billing run failed, next try in {} s: {}", Math.max(MIN_RUN_CHECK_S, config.run_check_s()), e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        ListenerRegistration r = ownership;
        if (r != null) {
            r.close();
        }
        worker.shutdownNow();
        Subscription s = metering;
        if (s != null) {
            s.close();
        }
    }

    /** @return the running core; UNAVAILABLE while it is not ready */
    Billing billing() {
        Billing b = billing;
        if (b == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "billing is not ready yet (its database is not "
                    + "reachable); retrying in the background");
        }
        return b;
    }

    // --- PriceSheetService ---

    @Override
    public PriceSheet create(NewPriceSheet sheet) {
        return billing().priceSheets.create(sheet);
    }

    @Override
    public PriceSheet correct(String id, List<Price> prices) {
        return billing().priceSheets.correct(id, prices);
    }

    @Override
    public List<PriceSheet> list() {
        return billing().priceSheets.list();
    }

    @Override
    public Optional<PriceSheet> find(String id) {
        return billing().priceSheets.find(id);
    }

    @Override
    public Optional<PriceSheet> validAt(Instant at) {
        return billing().priceSheets.validAt(at);
    }

    // --- UsageService, UsageRecorder ---

    @Override
    public Page<UsageRecord> usage(String authorityId, Instant from, Instant to, int limit, String cursor) {
        return billing().ledger.usage(authorityId, from, to, limit, cursor);
    }

    @Override
    public Page<ParkedEvent> parked(int limit, String cursor) {
        return billing().ledger.parked(limit, cursor);
    }

    @Override
    public Optional<UsageRecord> record(NewUsage usage) {
        return billing().ledger.record(usage);
    }

    @Override
    public Optional<UsageRecord> reading(MeterReading reading) {
        return billing().ledger.reading(reading);
    }

    // --- CostSource, PriceQuotes ---

    @Override
    public Money monthToDate(String authorityId) {
        return billing().monthToDate(authorityId);
    }

    @Override
    public Optional<PriceQuote> quote(String offeringCode, int vcpu, long ramMib, int diskGib, Instant at) {
        return billing().quote(offeringCode, vcpu, ramMib, diskGib, at);
    }

    /**
     * {@code verbund_billing_month_to_date_cost_eur{authority}}: each authority's net cost of the
     * current Europe/Berlin month so far (EUR, rounded to cents like invoice lines), for the
     * authorities with usage this month; and for every authority with a monthly budget the
     * figures its budget is checked against (see {@link #gauge(Map, List)}). Rated at most every
     * {@code month.to.date.cache.s}; nothing while billing is not ready or the database does not
     * answer, and no budget figures while tenancy is absent.
     */
    @Override
    public MetricSnapshots collect() {
        Billing b = billing;
        if (b == null) {
            return new MetricSnapshots();
        }
        Map<String, Money> costs = monthToDate;
        List<Authority> budgeted = budgetAuthorities;
        Instant now = Instant.now();
        boolean refresh = costs == null || now.isAfter(monthToDateAt.plusSeconds(Math.max(0, config.month_to_date_cache_s())));
        try {
            if (refresh) {
                costs = b.monthToDate();
                monthToDate = costs;
                monthToDateAt = now;
            }
            if (refresh || budgeted == null) {
                // read again at the next scrape while tenancy is absent
                AuthorityService as = authorities;
                budgeted = as == null ? null : as.list();
                budgetAuthorities = budgeted;
            }
        } catch (RuntimeException e) {
            LOG.debug("verbund_billing_month_to_date_cost_eur left out: {}", e.getMessage());
            return new MetricSnapshots();
        }
        return gauge(costs, budgeted == null ? List.of() : budgeted);
    }

    /** @return {@code verbund_billing_month_to_date_cost_eur{authority}} of the given costs */
    static MetricSnapshots gauge(Map<String, Money> costs) {
        return gauge(costs, List.of());
    }

    /**
     * The month-to-date costs and the budget figures, as the catalogue checks an order against
     * them ({@code CatalogServiceImpl}): a budget covers its authority and every unit below it.
     * <ul>
     *   <li>{@code verbund_billing_month_to_date_cost_eur{authority}}: each authority's own net cost
     *       of the month so far, EUR;</li>
     *   <li>{@code verbund_billing_budget_limit_eur{authority,name}}: the monthly budget (net EUR)
     *       of each authority that has one; new orders are refused once the cost reaches it;</li>
     *   <li>{@code verbund_billing_budget_soft_threshold_ratio{authority,name}}: the share of the
     *       limit (0..1) from which the authority is warned;</li>
     *   <li>{@code verbund_billing_budget_cost_eur{authority,name}}: the month-to-date net cost of
     *       the authority and all units below it, EUR, rounded to cents: what the limit is checked
     *       against.</li>
     * </ul>
     *
     * @param costs each authority's own month-to-date net cost
     * @param all every authority (for the hierarchy); those without a budget give no budget figures
     */
    static MetricSnapshots gauge(Map<String, Money> costs, List<Authority> all) {
        GaugeSnapshot.Builder g = GaugeSnapshot.builder().name("verbund_billing_month_to_date_cost_eur")
                .help("Net cost of the current month so far per authority, EUR");
        costs.forEach((a, m) -> g.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                .labels(Labels.of("authority", a)).value(m.roundToCents().amount().doubleValue()).build()));
        GaugeSnapshot.Builder limit = GaugeSnapshot.builder().name("verbund_billing_budget_limit_eur")
                .help("Monthly budget of the authority and the units below it, net EUR; orders are refused from it on");
        GaugeSnapshot.Builder soft = GaugeSnapshot.builder().name("verbund_billing_budget_soft_threshold_ratio")
                .help("Share of the monthly budget from which the authority is warned");
        GaugeSnapshot.Builder spent = GaugeSnapshot.builder().name("verbund_billing_budget_cost_eur")
                .help("Net cost of the current month so far of the authority and the units below it, EUR");
        Map<String, List<String>> children = new HashMap<>();
        for (Authority a : all) {
            if (a.parentId() != null) {
                children.computeIfAbsent(a.parentId(), k -> new ArrayList<>()).add(a.id());
            }
        }
        for (Authority a : all) {
            if (a.budget() == null || a.budget().monthlyEur() == null) {
                continue;
            }
            Money sum = Money.ZERO;
            Deque<String> pending = new ArrayDeque<>(List.of(a.id()));
            Set<String> seen = new HashSet<>();
            while (!pending.isEmpty()) {
                String id = pending.pop();
                if (seen.add(id)) {
                    sum = sum.plus(costs.getOrDefault(id, Money.ZERO));
                    pending.addAll(children.getOrDefault(id, List.of()));
                }
            }
            Labels labels = Labels.of("authority", a.id(), "name", a.name());
            limit.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                    .value(a.budget().monthlyEur().doubleValue()).build());
            soft.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                    .value(a.budget().softThresholdPercent() / 100.0).build());
            spent.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels)
                    .value(sum.roundToCents().amount().doubleValue()).build());
        }
        return MetricSnapshots.of(g.build(), limit.build(), soft.build(), spent.build());
    }
}

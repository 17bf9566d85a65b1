package de.sid.verbund.catalog.core.internal;

import de.sid.verbund.billing.CostSource;
import de.sid.verbund.billing.PriceQuotes;
import de.sid.verbund.catalog.Actor;
import de.sid.verbund.catalog.CatalogService;
import de.sid.verbund.catalog.NewOffering;
import de.sid.verbund.catalog.NewOrder;
import de.sid.verbund.catalog.Offering;
import de.sid.verbund.catalog.Order;
import de.sid.verbund.catalog.OrderFilter;
import de.sid.verbund.catalog.OrderReceipt;
import de.sid.verbund.catalog.OrderTransition;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.QuotaLedger;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link CatalogServiceImpl} in OSGi. Billing's {@link PriceQuotes} and {@link CostSource}
 * and tenancy's {@link AuthorityService} are optional and dynamic: without them offerings have no
 * price and no budget is checked.
 *
 * <p>Start-up does not wait for the database: the service (schema, seed) is made on a background
 * thread, retried after 1 s doubling to 30 s, and then the durable subscription
 * {@value #SUBSCRIPTION} on {@code compute.events} starts (compute's answers sent meanwhile wait in
 * it). Until then every operation answers 503.
 */
@Component(service = CatalogService.class)
public class CatalogComponent implements CatalogService {
    /** The catalogue's durable subscription on {@code compute.events}. */
    static final String SUBSCRIPTION = "catalog.fulfilment";
    private static final Logger LOG = LoggerFactory.getLogger(CatalogComponent.class);

    private volatile PriceQuotes prices;
    private volatile CostSource costs;
    private volatile AuthorityService authorities;
    private volatile CatalogServiceImpl catalog;
    private volatile Subscription subscription;
    private volatile String notReady = "starting";
    private volatile boolean stopped;
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "verbund-catalog-start");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public CatalogComponent(@Reference Database db, @Reference Outbox outbox, @Reference EventBus bus,
            @Reference QuotaLedger ledger, @Reference ComputeService compute, @Reference AuditLog audit) {
        starter.execute(() -> start(db, outbox, bus, ledger, compute, audit, 1));
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setPrices(PriceQuotes p) {
        prices = p;
    }

    void unsetPrices(PriceQuotes p) {
        if (prices == p) {
            prices = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setCosts(CostSource c) {
        costs = c;
    }

    void unsetCosts(CostSource c) {
        if (costs == c) {
            costs = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAuthorities(AuthorityService a) {
        authorities = a;
    }

    void unsetAuthorities(AuthorityService a) {
        if (authorities == a) {
            authorities = null;
        }
    }

    private synchronized void start(Database db, Outbox outbox, EventBus bus, QuotaLedger ledger, ComputeService compute,
            AuditLog audit, long retrySeconds) {
        if (stopped) {
            return;
        }
        try {
            CatalogServiceImpl c = new CatalogServiceImpl(db, outbox, ledger, compute, audit, () -> authorities, () -> costs,
                    () -> prices, Clock.systemUTC());
            subscription = bus.subscribe("compute.events", SUBSCRIPTION, c::onComputeEvent);
            catalog = c;
            if (!"starting".equals(notReady)) {
                LOG.info("catalogue ready after the database came back");
            }
            notReady = null;
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            if (!reason.equals(notReady)) {
                LOG.error("catalogue not ready, retrying in {} s: {}", retrySeconds, reason);
            }
            notReady = reason;
            starter.schedule(() -> start(db, outbox, bus, ledger, compute, audit, Math.min(retrySeconds * 2, 30)), retrySeconds,
                    TimeUnit.SECONDS);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stopped = true;
        starter.shutdownNow();
        if (subscription != null) {
            subscription.close();
        }
    }

    private CatalogServiceImpl catalog() {
        CatalogServiceImpl c = catalog;
        if (c == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "the catalogue is not ready yet (" + notReady
                    + "); retrying in the background");
        }
        return c;
    }

    @Override
    public List<Offering> offerings(boolean includeRetired) {
        return catalog().offerings(includeRetired);
    }

    @Override
    public Optional<Offering> offering(String idOrCode) {
        return catalog().offering(idOrCode);
    }

    @Override
    public Optional<Offering> offeringVersion(String id, int version) {
        return catalog().offeringVersion(id, version);
    }

    @Override
    public Offering createOffering(NewOffering offering, Actor actor) {
        return catalog().createOffering(offering, actor);
    }

    @Override
    public Offering updateOffering(String idOrCode, NewOffering offering, Actor actor) {
        return catalog().updateOffering(idOrCode, offering, actor);
    }

    @Override
    public Offering retireOffering(String idOrCode, Actor actor) {
        return catalog().retireOffering(idOrCode, actor);
    }

    @Override
    public OrderReceipt submit(NewOrder order, Actor actor) {
        return catalog().submit(order, actor);
    }

    @Override
    public Page<Order> orders(OrderFilter filter, int limit, String cursor) {
        return catalog().orders(filter, limit, cursor);
    }

    @Override
    public Optional<Order> order(String id) {
        return catalog().order(id);
    }

    @Override
    public List<OrderTransition> transitions(String orderId) {
        return catalog().transitions(orderId);
    }

    @Override
    public Order approve(String orderId, Actor actor, String comment) {
        return catalog().approve(orderId, actor, comment);
    }

    @Override
    public Order reject(String orderId, Actor actor, String reason) {
        return catalog().reject(orderId, actor, reason);
    }

    @Override
    public Order cancel(String orderId, Actor actor, boolean mayCancelOthers) {
        return catalog().cancel(orderId, actor, mayCancelOthers);
    }
}

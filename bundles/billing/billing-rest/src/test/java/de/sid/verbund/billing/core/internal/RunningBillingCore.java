package de.sid.verbund.billing.core.internal;

import static org.awaitility.Awaitility.await;

import de.sid.verbund.billing.InvoiceService;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.EventHandler;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.testsupport.Configs;
import java.time.Duration;
import java.util.List;

/**
 * The real billing core (billing-core's components over a real database) for the REST tests, put
 * together as DS would: {@link BillingComponent} with its configuration defaults, the authorities
 * bound, {@link InvoicesComponent} over it. It lives in billing-core's package only to bind the
 * authority service (package-private, as DS calls it). Compute events are not used here: the bus
 * takes no subscriptions' messages.
 */
public final class RunningBillingCore implements AutoCloseable {
    public final BillingComponent billing;
    public final InvoiceService invoices;

    public RunningBillingCore(Database db, AuthorityService authorities) {
        EventBus quietBus = new EventBus() {
            @Override
            public void publish(String topic, DomainEvent event) {
            }

            @Override
            public void publish(String topic, List<DomainEvent> events) {
            }

            @Override
            public void send(String queue, DomainEvent event) {
            }

            @Override
            public void publishLive(String topic, DomainEvent event) {
            }

            @Override
            public Subscription subscribeLive(String topic, EventHandler handler) {
                return () -> { };
            }

            @Override
            public Subscription subscribe(String topic, String subscription, EventHandler handler) {
                return () -> { };
            }

            @Override
            public Subscription consume(String queue, EventHandler handler) {
                return () -> { };
            }
        };
        billing = new BillingComponent(db, quietBus, Configs.of(BillingConfig.class, "demo_price_sheet", false));
        billing.setAuthorityService(authorities);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                return billing.billing() != null;
            } catch (ProblemException e) {
                return false;
            }
        });
        invoices = new InvoicesComponent(billing);
    }

    @Override
    public void close() {
        billing.deactivate();
    }
}

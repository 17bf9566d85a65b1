package de.sid.verbund.billing.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.billing.InvoiceFilter;
import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.NewPriceSheet;
import de.sid.verbund.billing.Price;
import de.sid.verbund.billing.UsageRecord;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Money;
import de.sid.verbund.messaging.artemis.internal.ArtemisMessagingComponent;
import de.sid.verbund.messaging.artemis.internal.MessagingConfig;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.testsupport.Configs;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The billing component as it runs in OSGi, metering {@code compute.events} from a real embedded
 * Artemis broker: two nodes share the durable subscription, an event published twice (the broker
 * drops the copy by its id; the ledger's own idempotence is {@link BillingTest}'s) and a poison
 * event among good ones, then the invoice of the month.
 */
class MeteringOverBrokerTest {
    static final String A = BillingTest.A;

    @TempDir
    Path dir;
    JdbcDatabase db;
    ArtemisMessagingComponent bus;
    BillingComponent node1;
    BillingComponent node2;

    @BeforeEach
    void setUp() {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir.resolve("db")), "verbund", "", 8, 10_000);
        bus = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory",
                dir.resolve("journal").toString(), "tcp_port", 0, "redelivery_delay_ms", 50L));
        TestAuthorities authorities = new TestAuthorities();
        authorities.add(A, "Landesamt A", BillingMode.INVOICE, true);
        node1 = new BillingComponent(db, bus, Configs.of(BillingConfig.class, "demo_price_sheet", false));
        node2 = new BillingComponent(db, bus, Configs.of(BillingConfig.class, "demo_price_sheet", false));
        node1.setAuthorityService(authorities);
        node2.setAuthorityService(authorities);
    }

    @AfterEach
    void tearDown() throws Exception {
        node1.deactivate();
        node2.deactivate();
        Method m = ArtemisMessagingComponent.class.getDeclaredMethod("deactivate");
        m.setAccessible(true);
        m.invoke(bus);
        db.close();
    }

    @Test
    void computeEventsFromTheBrokerAreMeteredOnceAcrossTwoNodesAndInvoiced() {
        await().atMost(Duration.ofSeconds(30)).until(() -> node1.isReady() && node2.isReady());
        node1.create(new NewPriceSheet("2026", BillingTest.berlin("2026-01-01T00:00"), null,
                List.of(new Price(Metric.VM_HOUR, "vm-s", Money.eur("0.10")), new Price(Metric.DISK_GIB_MONTH, null,
                        Money.eur("0.10")))));
        String vm = UUID.randomUUID().toString();
        DomainEvent created = BillingTest.vm("vm.created", vm, A, "RUNNING", 1, 1024, 100,
                BillingTest.berlin("2026-04-01T00:00"), null);
        DomainEvent resized = BillingTest.vm("vm.resized", vm, A, "RUNNING", 2, 2048, 200,
                BillingTest.berlin("2026-04-16T00:00"), null);
        DomainEvent deleted = BillingTest.vm("vm.deleted", vm, A, "DELETED", 2, 2048, 200,
                BillingTest.berlin("2026-04-21T00:00"), null);
        DomainEvent poison = new DomainEvent(UUID.randomUUID(), "vm.state-changed", Instant.parse("2026-04-10T00:00:00Z"), A,
                Map.of("vmId", vm));
        bus.publish(BillingComponent.COMPUTE_TOPIC, created);
        bus.publish(BillingComponent.COMPUTE_TOPIC, poison);
        bus.publish(BillingComponent.COMPUTE_TOPIC, created);
        bus.publish(BillingComponent.COMPUTE_TOPIC, resized);
        bus.publish(BillingComponent.COMPUTE_TOPIC, deleted);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<UsageRecord> usage = node2.usage(A, BillingPeriod.of(2026, 4).start(), BillingPeriod.of(2026, 4).end(),
                    50, null).items();
            assertThat(usage).extracting(UsageRecord::diskGib).containsExactly(100L, 200L);
            assertThat(node1.parked(50, null).items()).extracting(p -> p.eventId())
                    .containsExactly(poison.eventId().toString());
        });
        InvoicesComponent invoices = new InvoicesComponent(node1);
        invoices.run(BillingPeriod.of(2026, 4));
        var invoice = invoices.list(new InvoiceFilter(A, BillingPeriod.of(2026, 4), null, null), 10, null).items().get(0);
        // 20 days running = 480 h × 0.10 = 48.00; disk: (100 GiB × 360 h + 200 GiB × 120 h) / 720 h × 0.10 = 8.33
        assertThat(invoice.lines()).extracting(l -> l.resource() + " " + l.amount().amount().toPlainString())
                .containsExactly("vm-s 48.00", "disk 8.33");
        assertThat(invoice.net()).isEqualTo(Money.eur("56.33"));
        assertThat(invoice.gross()).isEqualTo(Money.eur("67.03")); // + 19 % of 56.33 = 10.7027 → 10.70
        assertThat(invoices.find(invoice.id())).contains(invoice);
    }
}

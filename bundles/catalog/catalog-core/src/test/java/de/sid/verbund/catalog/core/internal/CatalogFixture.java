package de.sid.verbund.catalog.core.internal;

import static org.awaitility.Awaitility.await;

import de.sid.verbund.billing.CostSource;
import de.sid.verbund.billing.PriceQuotes;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.core.internal.ComputeParts;
import de.sid.verbund.compute.core.internal.ComputeServiceImpl;
import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.messaging.artemis.internal.ArtemisMessagingComponent;
import de.sid.verbund.messaging.artemis.internal.MessagingConfig;
import de.sid.verbund.messaging.outbox.internal.OutboxRelay;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.security.shiro.internal.AuditParts;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.Contact;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.Quota;
import de.sid.verbund.tenancy.QuotaLedger;
import de.sid.verbund.tenancy.core.internal.TenancyParts;
import de.sid.verbund.testsupport.Configs;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Everything the catalogue runs with, real and fresh for one test: a database (H2 or PostgreSQL,
 * given), an embedded Artemis broker, the outbox relay, tenancy's authority service and quota
 * ledger, security's audit log, compute on the libvirt test driver (one host of
 * {@code testdriver/catalog-host.xml}) with its consumer of {@code compute.commands}, and the
 * catalogue subscribed to {@code compute.events}. Billing is played by the test's lambdas
 * ({@link #costs}, {@link #prices}), as it is an optional service of another area.
 */
final class CatalogFixture implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    final JdbcDatabase db;
    final ArtemisMessagingComponent bus;
    final OutboxRelay outbox;
    final AuthorityService authorities;
    final QuotaLedger ledger;
    final AuditLog audit;
    final ComputeServiceImpl compute;
    final CatalogServiceImpl catalog;
    final String ministry;
    /** Events on {@code catalog.events}, in arrival order. */
    final List<DomainEvent> orderEvents = new CopyOnWriteArrayList<>();
    volatile CostSource costs;
    volatile PriceQuotes prices;
    private final Path brokerDir;
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    CatalogFixture(JdbcDatabase db, LibvirtProvider libvirt) throws Exception {
        this.db = db;
        opened.push(db);
        brokerDir = Files.createTempDirectory("verbund-catalog-broker");
        bus = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory", brokerDir.toString(),
                "tcp_port", 0));
        opened.push(() -> invoke(bus, "deactivate"));
        outbox = new OutboxRelay(db, bus, 20);
        opened.push(outbox);
        authorities = TenancyParts.authorities(db);
        ledger = TenancyParts.ledger(db);
        audit = AuditParts.auditLog(db);
        compute = ComputeParts.compute(db, outbox, libvirt);
        opened.push(compute);
        String host = compute.registerHost(new NewHost("kvm-1", hostUri(), "ber-1", null, null, null)).id();
        await().atMost(WAIT).until(() -> compute.host(host).orElseThrow().state() == HostState.ENABLED);
        opened.push(ComputeParts.consumeCommands(db, outbox, compute, bus));
        catalog = new CatalogServiceImpl(db, outbox, ledger, compute, audit, () -> authorities, () -> costs, () -> prices,
                Clock.systemUTC());
        opened.push(bus.subscribe("compute.events", CatalogComponent.SUBSCRIPTION, catalog::onComputeEvent));
        opened.push(bus.subscribe(CatalogServiceImpl.TOPIC, "catalog-test", orderEvents::add));
        ministry = authorities.create(authority("Ministerium " + UUID.randomUUID().toString().substring(0, 8),
                AuthorityKind.MINISTRY, null, Quota.UNLIMITED, Budget.NONE)).id();
    }

    /** @return a new authority under the fixture's ministry */
    String authority(Quota quota, Budget budget) {
        return authorities.create(authority("Amt " + UUID.randomUUID().toString().substring(0, 8), AuthorityKind.AUTHORITY,
                ministry, quota, budget)).id();
    }

    private static NewAuthority authority(String name, AuthorityKind kind, String parent, Quota quota, Budget budget) {
        return new NewAuthority(name, kind, parent, "KST-4711", null, new BillingAddress("Carolaplatz 1", null, "01097",
                "Dresden", "DE"), BillingMode.INTERNAL, false, List.of(new Contact("technical", "Erika Muster",
                "erika@example.org", null)), quota, budget);
    }

    /** @return the events about one order, in order */
    List<DomainEvent> eventsOf(String orderId) {
        return Collections.unmodifiableList(orderEvents.stream().filter(e -> orderId.equals(e.payload().get("orderId"))).toList());
    }

    private static String hostUri() throws URISyntaxException {
        return "test://" + Paths.get(CatalogFixture.class.getResource("/testdriver/catalog-host.xml").toURI());
    }

    @Override
    public void close() throws Exception {
        Exception failure = null;
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        try (Stream<Path> files = Files.walk(brokerDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    static void invoke(Object target, String method) throws Exception {
        Class<?> type = target.getClass();
        while (type != null) {
            try {
                Method m = type.getDeclaredMethod(method);
                m.setAccessible(true);
                m.invoke(target);
                return;
            } catch (NoSuchMethodException e) {
                type = type.getSuperclass();
            }
        }
        throw new NoSuchMethodException(method);
    }
}

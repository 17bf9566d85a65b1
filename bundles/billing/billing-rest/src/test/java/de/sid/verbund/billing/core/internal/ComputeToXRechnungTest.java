package de.sid.verbund.billing.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceFilter;
import de.sid.verbund.billing.InvoiceLine;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.NewPriceSheet;
import de.sid.verbund.billing.Price;
import de.sid.verbund.billing.export.internal.XRechnungCheck;
import de.sid.verbund.billing.export.internal.XRechnungRenderer;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.core.internal.ComputeConfig;
import de.sid.verbund.compute.core.internal.ComputeServiceImpl;
import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Money;
import de.sid.verbund.messaging.artemis.internal.ArtemisMessagingComponent;
import de.sid.verbund.messaging.artemis.internal.MessagingConfig;
import de.sid.verbund.messaging.outbox.internal.OutboxRelay;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.Contact;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.Quota;
import de.sid.verbund.tenancy.core.internal.TenancyComponent;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.SettableClock;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #6's end-to-end case on the real parts: VMs created, stopped, resized, started and deleted
 * through the compute service on libvirt's test driver; its events stored by the transactional
 * outbox and relayed over a real Artemis broker to the billing ledger; the authority from the
 * tenancy area; the month closed (billing's clock moved past its end), the invoice finalised,
 * rendered as XRechnung and validated against the UBL 2.1 schema and the XRechnung 3.0 and
 * EN 16931 rules; every line and the total equal to what this test computes by hand from the
 * times of compute's events (recorded by a subscription of its own) and the price sheet.
 */
class ComputeToXRechnungTest {
    static final BigDecimal MS_PER_HOUR = BigDecimal.valueOf(3_600_000L);
    // prices high enough that a few seconds of use are whole cents
    static final Money VM_M_HOUR = Money.eur("3600.0000");
    static final Money VCPU_HOUR = Money.eur("1800.0000");
    static final Money RAM_GIB_HOUR = Money.eur("900.0000");
    static final Money DISK_GIB_MONTH = Money.eur("2.5000");

    @TempDir
    Path dir;
    JdbcDatabase db;
    ArtemisMessagingComponent bus;
    OutboxRelay outbox;
    LibvirtProvider libvirt;
    ComputeServiceImpl compute;
    TenancyComponent tenancy;
    final SettableClock clock = SettableClock.system();
    final List<DomainEvent> recorded = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir.resolve("db")), "verbund", "", 8, 10_000);
        bus = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory",
                dir.resolve("journal").toString(), "tcp_port", 0, "redelivery_delay_ms", 50L));
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            bus.subscribe("compute.events", "e2e.recorder", recorded::add);
            return true;
        });
        outbox = new OutboxRelay(db, bus, 20);
        tenancy = new TenancyComponent(db);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> tenancy.list() != null);
        libvirt = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
        compute = new ComputeServiceImpl(db, outbox, uri -> Optional.of(libvirt), Configs.of(ComputeConfig.class));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (compute != null) {
            compute.close();
        }
        if (libvirt != null) {
            Method m = LibvirtProvider.class.getDeclaredMethod("deactivate");
            m.setAccessible(true);
            m.invoke(libvirt);
        }
        if (outbox != null) {
            outbox.close();
        }
        Method m = ArtemisMessagingComponent.class.getDeclaredMethod("deactivate");
        m.setAccessible(true);
        m.invoke(bus);
        db.close();
    }

    @Test
    void vmsRunThroughComputeAreMeteredRatedAndInvoicedAsValidXRechnungToTheCent() throws Exception {
        Authority ministry = tenancy.create(new NewAuthority("Staatsministerium der Finanzen", AuthorityKind.MINISTRY, null,
                "KST-100", null, null, BillingMode.INTERNAL, false, List.of(), Quota.UNLIMITED, Budget.NONE));
        Authority lfst = tenancy.create(new NewAuthority("Landesamt für Steuern", AuthorityKind.AUTHORITY, ministry.id(),
                "KST-4711", "04011000-1234512345-06", new BillingAddress("Carolaplatz 1", null, "01097", "Dresden", "DE"),
                BillingMode.INVOICE, true, List.of(new Contact("billing", "Erika Muster", "rechnung@lfst.example", "+49 351 0")),
                Quota.UNLIMITED, Budget.NONE));
        Billing billing = new Billing(db, clock, () -> tenancy, Configs.of(BillingConfig.class));
        bus.subscribe("compute.events", "billing.metering", billing::meter);

        BillingPeriod period = BillingPeriod.containing(Instant.now());
        billing.priceSheets().create(new NewPriceSheet("E2E " + period, period.start(), null, List.of(
                new Price(Metric.VM_HOUR, "vm-m", VM_M_HOUR), new Price(Metric.VCPU_HOUR, null, VCPU_HOUR),
                new Price(Metric.RAM_GIB_HOUR, null, RAM_GIB_HOUR), new Price(Metric.DISK_GIB_MONTH, null, DISK_GIB_MONTH))));

        compute.registerHost(new NewHost("kvm-e2e", "test:///default", "ber-1", null, new BigDecimal("4"), 0L));
        await().atMost(Duration.ofSeconds(30)).until(() -> compute.hosts().get(0).state() == HostState.ENABLED);
        Vm app = compute.createVm(new VmRequest("app-1", lfst.id(), "vm-m", 2, 1024, 20, null, null, null, null));
        Vm db1 = compute.createVm(new VmRequest("db-1", lfst.id(), "vm-m", 1, 512, 40, null, null, null, null));
        Thread.sleep(1500);
        compute.stop(app.id());
        compute.resize(app.id(), 4, 2048);
        Thread.sleep(500);
        compute.start(app.id());
        Thread.sleep(1000);
        compute.delete(db1.id());

        // every event of the two VMs metered (the ledger's own record of them is what is tested below)
        await().atMost(Duration.ofSeconds(30)).until(() -> recorded.stream().anyMatch(e -> e.type().equals("vm.deleted")));
        List<DomainEvent> events = new ArrayList<>(recorded);
        String deleted = events.stream().filter(e -> e.type().equals("vm.deleted")).findFirst().orElseThrow().eventId().toString();
        await().atMost(Duration.ofSeconds(30)).until(() -> billing.ledger.usage(lfst.id(), period.start(), period.end(), 100,
                null).items().stream().anyMatch(u -> deleted.equals(u.eventId())));

        // the month is over: billing's clock in the next month, the run rates it in full
        clock.set(period.end().plus(Duration.ofDays(2)));
        billing.invoices().run(period);
        Invoice draft = billing.invoices().list(new InvoiceFilter(lfst.id(), period, null, null), 10, null).items().get(0);
        Invoice invoice = billing.invoices().finalizeInvoice(draft.id());
        assertThat(invoice.state()).isEqualTo(InvoiceState.FINAL);
        assertThat(invoice.number()).matches("\\d{4}-\\d{6}");
        assertThat(invoice.buyerReference()).isEqualTo("04011000-1234512345-06");

        Map<String, Money> expected = byHand(events, period);
        assertThat(expected.values()).allMatch(m -> m.amount().signum() > 0);
        Map<String, Money> actual = new LinkedHashMap<>();
        for (InvoiceLine l : invoice.lines()) {
            actual.put(l.resource(), l.amount());
        }
        assertThat(actual).isEqualTo(expected);
        Money net = expected.values().stream().reduce(Money.ZERO, Money::plus);
        assertThat(invoice.net()).isEqualTo(net);
        Money vat = net.times(new BigDecimal("0.19")).roundToCents();
        assertThat(invoice.vat()).isEqualTo(vat);
        assertThat(invoice.gross()).isEqualTo(net.plus(vat));

        ByteArrayOutputStream xml = new ByteArrayOutputStream();
        new XRechnungRenderer().render(invoice, xml);
        XRechnungCheck.assertValid(xml.toByteArray(), false);
        String text = xml.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("<cbc:BuyerReference>04011000-1234512345-06</cbc:BuyerReference>")
                .contains("<cbc:PayableAmount currencyID=\"EUR\">" + net.plus(vat).amount().toPlainString() + "</cbc:PayableAmount>");
    }

    /**
     * The invoice computed from compute's events alone: a VM's hours, vCPU hours and RAM GiB hours
     * count while RUNNING, its disk from creation to deletion (GiB months: GiB × hours / the
     * month's hours), each until the period's end; one line per resource, each rounded to cents.
     */
    private static Map<String, Money> byHand(List<DomainEvent> events, BillingPeriod period) {
        long end = period.end().toEpochMilli();
        BigDecimal vmMs = BigDecimal.ZERO;
        BigDecimal vcpuMs = BigDecimal.ZERO;
        BigDecimal ramMibMs = BigDecimal.ZERO;
        BigDecimal diskGibMs = BigDecimal.ZERO;
        Map<String, List<DomainEvent>> byVm = new LinkedHashMap<>();
        for (DomainEvent e : events) {
            byVm.computeIfAbsent((String) e.payload().get("vmId"), k -> new ArrayList<>()).add(e);
        }
        for (List<DomainEvent> vm : byVm.values()) {
            for (int i = 0; i < vm.size(); i++) {
                DomainEvent e = vm.get(i);
                if (e.type().equals("vm.deleted")) {
                    break;
                }
                long from = e.occurredAt().toEpochMilli();
                long to = i + 1 < vm.size() ? vm.get(i + 1).occurredAt().toEpochMilli() : end;
                BigDecimal ms = BigDecimal.valueOf(to - from);
                Map<String, Object> p = e.payload();
                diskGibMs = diskGibMs.add(ms.multiply(BigDecimal.valueOf(((Number) p.get("diskGib")).longValue())));
                if ("RUNNING".equals(p.get("state"))) {
                    vmMs = vmMs.add(ms);
                    vcpuMs = vcpuMs.add(ms.multiply(BigDecimal.valueOf(((Number) p.get("vcpu")).longValue())));
                    ramMibMs = ramMibMs.add(ms.multiply(BigDecimal.valueOf(((Number) p.get("ramMib")).longValue())));
                }
            }
        }
        BigDecimal monthMs = MS_PER_HOUR.multiply(BigDecimal.valueOf(period.hours()));
        Map<String, Money> lines = new LinkedHashMap<>();
        lines.put("vm-m", cents(vmMs, VM_M_HOUR, MS_PER_HOUR));
        lines.put("vcpu", cents(vcpuMs, VCPU_HOUR, MS_PER_HOUR));
        lines.put("ram", cents(ramMibMs, RAM_GIB_HOUR, MS_PER_HOUR.multiply(BigDecimal.valueOf(1024))));
        lines.put("disk", cents(diskGibMs, DISK_GIB_MONTH, monthMs));
        return lines;
    }

    private static Money cents(BigDecimal quantityNumerator, Money unitPrice, BigDecimal denominator) {
        return Money.eur(quantityNumerator.multiply(unitPrice.amount()).divide(denominator, 2, RoundingMode.HALF_UP));
    }
}

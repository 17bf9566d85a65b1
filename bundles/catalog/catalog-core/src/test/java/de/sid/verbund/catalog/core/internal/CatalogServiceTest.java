package de.sid.verbund.catalog.core.internal;

import static de.sid.verbund.catalog.core.internal.CatalogFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.billing.PriceQuote;
import de.sid.verbund.catalog.Actor;
import de.sid.verbund.catalog.Approval;
import de.sid.verbund.catalog.ApprovalPolicy;
import de.sid.verbund.catalog.NewOffering;
import de.sid.verbund.catalog.NewOrder;
import de.sid.verbund.catalog.Offering;
import de.sid.verbund.catalog.Order;
import de.sid.verbund.catalog.OrderFilter;
import de.sid.verbund.catalog.OrderKind;
import de.sid.verbund.catalog.OrderReceipt;
import de.sid.verbund.catalog.OrderState;
import de.sid.verbund.catalog.OrderTransition;
import de.sid.verbund.catalog.Sizing;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.security.AuditEntry;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.Quota;
import de.sid.verbund.tenancy.Resources;
import de.sid.verbund.testsupport.Configs;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalogue end to end without mocks (H2 here, PostgreSQL in {@link PostgresCatalogServiceTest}):
 * orders against tenancy's real quota ledger, fulfilled by the real compute service on libvirt's
 * test driver over a real broker, answers back over {@code compute.events}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CatalogServiceTest {
    private static LibvirtProvider libvirt;

    @TempDir
    Path dir;
    CatalogFixture f;
    CatalogServiceImpl catalog;
    private final Actor user = new Actor(Ids.newId(), "anna.user", false);
    private final Actor admin = new Actor(Ids.newId(), "bernd.admin", false);
    private final Actor secondAdmin = new Actor(Ids.newId(), "clara.admin", false);
    private final Actor operator = new Actor(Ids.newId(), "sid.operator", true);

    @BeforeAll
    static void provider() {
        libvirt = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
    }

    @AfterAll
    static void closeProvider() throws Exception {
        CatalogFixture.invoke(libvirt, "deactivate");
    }

    /** @return the database of one test */
    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 8, 10_000);
    }

    @BeforeEach
    void setUp() throws Exception {
        f = new CatalogFixture(open(), libvirt);
        catalog = f.catalog;
    }

    @AfterEach
    void tearDown() throws Exception {
        f.close();
    }

    private Order awaitState(String orderId, OrderState state) {
        return await("order " + state).atMost(WAIT).until(() -> catalog.order(orderId).orElseThrow(), o -> o.state() == state);
    }

    private static NewOrder provision(String tenant, String offering, int quantity, String name) {
        return new NewOrder(tenant, null, offering, quantity, name, null, null);
    }

    // --- offerings -------------------------------------------------------------------------------

    @Test
    void anEmptyCatalogueIsSeededWithFourVmSizesPricedWhenBillingQuotes() {
        List<Offering> offerings = catalog.offerings(false);
        assertThat(offerings).extracting(Offering::code, o -> o.sizing().vcpu(), o -> o.sizing().ramMib(), o -> o.sizing().diskGib(),
                Offering::approval).containsExactly(
                tuple("vm-l", 4, 8192L, 40, ApprovalPolicy.AUTHORITY_ADMIN),
                tuple("vm-m", 2, 4096L, 20, ApprovalPolicy.AUTHORITY_ADMIN),
                tuple("vm-s", 1, 2048L, 10, ApprovalPolicy.NONE),
                tuple("vm-xl", 8, 16384L, 80, ApprovalPolicy.AUTHORITY_ADMIN_AND_SID_OPERATOR));
        assertThat(offerings).allSatisfy(o -> {
            assertThat(o.price()).isNull();
            assertThat(o.version()).isEqualTo(1);
            assertThat(o.kind()).isEqualTo(Offering.KIND_VM);
        });

        f.prices = (code, vcpu, ram, disk, at) -> code.equals("vm-m") ? Optional.of(new PriceQuote(code, "ps-2026",
                Money.unitPrice(new BigDecimal("0.0412")), Money.eur("30.65"))) : Optional.empty();
        Offering m = catalog.offering("vm-m").orElseThrow();
        assertThat(m.price().perHourEur()).isEqualByComparingTo("0.0412");
        assertThat(m.price().perMonthEur()).isEqualByComparingTo("30.65");
        assertThat(m.price().priceSheetId()).isEqualTo("ps-2026");
        assertThat(catalog.offering("vm-s").orElseThrow().price()).isNull();
        // a second start does not seed again
        new CatalogServiceImpl(f.db, f.outbox, f.ledger, f.compute, f.audit, () -> null, () -> null, () -> null,
                java.time.Clock.systemUTC());
        assertThat(catalog.offerings(true)).hasSize(4);
    }

    @Test
    void everyOfferingChangeIsANewVersionAndAnOrderKeepsTheVersionItWasMadeOf() throws Exception {
        String tenant = f.authority(Quota.UNLIMITED, Budget.NONE);
        Order before = catalog.submit(provision(tenant, "vm-m", 1, "app"), user).order();

        Offering v2 = catalog.updateOffering("vm-m", new NewOffering(null, null, "VM M (2026)", "more disk",
                new Sizing(2, 4096, 60, "debian-12"), Map.of(), ApprovalPolicy.AUTHORITY_ADMIN), operator);
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.code()).isEqualTo("vm-m");
        Order after = catalog.submit(provision(tenant, "vm-m", 1, "app2"), user).order();

        assertThat(catalog.order(before.id()).orElseThrow().offered()).satisfies(o -> {
            assertThat(o.version()).isEqualTo(1);
            assertThat(o.sizing().diskGib()).isEqualTo(20);
        });
        assertThat(after.offered().version()).isEqualTo(2);
        assertThat(after.offered().sizing().diskGib()).isEqualTo(60);
        assertThat(catalog.offeringVersion(v2.id(), 1).orElseThrow().name()).isEqualTo("VM M");

        Offering retired = catalog.retireOffering("vm-m", operator);
        assertThat(retired.version()).isEqualTo(3);
        assertThat(retired.active()).isFalse();
        assertThat(catalog.offerings(false)).extracting(Offering::code).doesNotContain("vm-m");
        ProblemException refused = catchThrowableOfType(() -> catalog.submit(provision(tenant, "vm-m", 1, "late"), user),
                ProblemException.class);
        assertThat(refused.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(refused.getMessage()).isEqualTo("offering vm-m is retired: it takes no new orders");

        ProblemException taken = catchThrowableOfType(() -> catalog.createOffering(new NewOffering("vm-s", null, "again", "",
                new Sizing(1, 1024, 10, null), null, null), operator), ProblemException.class);
        assertThat(taken.type()).isEqualTo(ProblemType.CONFLICT);
        ProblemException invalid = catchThrowableOfType(() -> catalog.createOffering(new NewOffering("Bad Code", "db", "",
                null, new Sizing(0, 1, 0, "a b"), null, null), operator), ProblemException.class);
        assertThat(invalid.errors()).hasSize(7);
    }

    // --- the order flow ----------------------------------------------------------------------------

    @Test
    void anOrderForAVmNameComputeWouldRefuseIsRefusedAtOnce() {
        String tenant = f.authority(Quota.UNLIMITED, Budget.NONE);
        for (String name : List.of("dash-", "1st", "Upper", "a".repeat(61))) {
            ProblemException refused = catchThrowableOfType(() -> catalog.submit(provision(tenant, "vm-s", 1, name), user),
                    ProblemException.class);
            assertThat(refused).as(name).isNotNull();
            assertThat(refused.type()).as(name).isEqualTo(ProblemType.BAD_REQUEST);
            assertThat(refused.errors()).as(name).anySatisfy(e -> assertThat(e).startsWith("name must be 1-60"));
        }
        assertThat(catalog.submit(provision(tenant, "vm-s", 1, "a" + "-b".repeat(29) + "9"), user).order()).isNotNull();
    }


    @Test
    void anOrderWithoutApprovalRunsItsVmsAndEveryStepIsStoredAuditedAndPublished() {
        String tenant = f.authority(new Quota(8, 16384L, 200, 5), Budget.NONE);

        OrderReceipt receipt = catalog.submit(provision(tenant, "vm-s", 3, "web"), user);

        assertThat(receipt.order().state()).isEqualTo(OrderState.PROVISIONING);
        assertThat(receipt.warnings()).isEmpty();
        assertThat(f.ledger.usage(tenant).reserved()).isEqualTo(new Resources(3, 6144, 30, 3));
        Order done = awaitState(receipt.order().id(), OrderState.FULFILLED);
        assertThat(done.vmIds()).hasSize(3);
        List<Vm> vms = done.vmIds().stream().map(id -> f.compute.vm(id).orElseThrow()).toList();
        assertThat(vms).extracting(Vm::name, Vm::state, Vm::tenantId, Vm::offeringId, Vm::vcpu, Vm::ramMib).containsExactly(
                tuple("web-1", VmState.RUNNING, tenant, "vm-s", 1, 2048L), tuple("web-2", VmState.RUNNING, tenant, "vm-s", 1, 2048L),
                tuple("web-3", VmState.RUNNING, tenant, "vm-s", 1, 2048L));
        assertThat(catalog.transitions(done.id())).extracting(OrderTransition::from, OrderTransition::to, OrderTransition::actor)
                .containsExactly(tuple(null, OrderState.SUBMITTED, "anna.user"), tuple(OrderState.SUBMITTED, OrderState.APPROVED, "system"),
                        tuple(OrderState.APPROVED, OrderState.PROVISIONING, "system"),
                        tuple(OrderState.PROVISIONING, OrderState.FULFILLED, "system"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(f.eventsOf(done.id())).extracting(DomainEvent::type).containsExactly(
                "order.submitted", "order.approved", "order.provisioning", "order.fulfilled"));
        assertThat(f.eventsOf(done.id())).allSatisfy(e -> assertThat(e.tenantId()).isEqualTo(tenant));
        List<AuditEntry> audit = f.audit.list(50, null).items().stream().filter(a -> a.target().equals("order/" + done.id())).toList();
        assertThat(audit).extracting(AuditEntry::action).containsExactly("order.fulfilled", "order.provisioning", "order.approved",
                "order.submitted");
        // the quota stays held by the running VMs
        assertThat(f.ledger.usage(tenant).reserved()).isEqualTo(new Resources(3, 6144, 30, 3));
    }

    @Test
    void twoStepApprovalFollowsTheFourEyesRuleAndAVmThatFitsNowhereFailsTheOrderAndFreesItsQuota() {
        String tenant = f.authority(Quota.UNLIMITED, Budget.NONE);
        Order o = catalog.submit(provision(tenant, "vm-xl", 1, "big"), user).order();
        assertThat(o.state()).isEqualTo(OrderState.SUBMITTED);
        assertThat(o.approvalsNeeded()).containsExactly(Approval.AUTHORITY_ADMIN, Approval.SID_OPERATOR);
        assertThat(f.ledger.usage(tenant).reserved()).isEqualTo(new Resources(8, 16384, 80, 1));

        ProblemException own = catchThrowableOfType(() -> catalog.approve(o.id(), user, null), ProblemException.class);
        assertThat(own.type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(own.getMessage()).contains("requester may not approve their own order");
        ProblemException operatorFirst = catchThrowableOfType(() -> catalog.approve(o.id(), operator, null), ProblemException.class);
        assertThat(operatorFirst.getMessage()).isEqualTo("this order waits for the approval of an admin of its authority");

        Order half = catalog.approve(o.id(), admin, "ok for the tax project");
        assertThat(half.state()).isEqualTo(OrderState.SUBMITTED);
        assertThat(half.approvals()).extracting(Approval::step, Approval::username).containsExactly(tuple("authority-admin", "bernd.admin"));
        ProblemException twice = catchThrowableOfType(() -> catalog.approve(o.id(), admin, null), ProblemException.class);
        assertThat(twice.type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(twice.getMessage()).contains("bernd.admin approved this order already");
        ProblemException secondAdminInstead = catchThrowableOfType(() -> catalog.approve(o.id(), secondAdmin, null),
                ProblemException.class);
        assertThat(secondAdminInstead.getMessage()).isEqualTo("this order waits for the approval of a SID operator");

        Order approved = catalog.approve(o.id(), operator, null);
        assertThat(approved.state()).isEqualTo(OrderState.PROVISIONING);

        // 16 GiB fits on no host (14 GiB after the reserve): compute refuses, the order fails
        Order failed = awaitState(o.id(), OrderState.FAILED);
        assertThat(failed.reason()).isEqualTo("VM big: no capacity for 8 vCPU, 16384 MiB, 80 GiB: no host of the platform has "
                + "room for it now");
        assertThat(f.ledger.usage(tenant).reserved()).isEqualTo(Resources.NONE);
        assertThat(catalog.transitions(o.id())).extracting(OrderTransition::to).containsExactly(OrderState.SUBMITTED,
                OrderState.SUBMITTED, OrderState.APPROVED, OrderState.PROVISIONING, OrderState.FAILED);
        await().atMost(WAIT).untilAsserted(() -> assertThat(f.eventsOf(o.id())).extracting(DomainEvent::type).containsExactly(
                "order.submitted", "order.approval-given", "order.approved", "order.provisioning", "order.failed"));
        ProblemException late = catchThrowableOfType(() -> catalog.cancel(o.id(), user, false), ProblemException.class);
        assertThat(late.type()).isEqualTo(ProblemType.CONFLICT);
    }

    @Test
    void twoOrdersInParallelThatTogetherExceedTheQuotaOneSucceedsTheOtherIsRefusedWithTheFigures() throws Exception {
        String tenant = f.authority(new Quota(6, null, null, null), Budget.NONE);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<OrderReceipt>> results = new ArrayList<>();
            for (String name : List.of("left", "right")) {
                Callable<OrderReceipt> submit = () -> {
                    start.await();
                    return catalog.submit(provision(tenant, "vm-l", 1, name), user);
                };
                results.add(pool.submit(submit));
            }
            List<OrderReceipt> ok = new ArrayList<>();
            List<ProblemException> refused = new ArrayList<>();
            for (Future<OrderReceipt> r : results) {
                try {
                    ok.add(r.get(30, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    refused.add((ProblemException) e.getCause());
                }
            }
            assertThat(ok).hasSize(1);
            assertThat(refused).hasSize(1);
            assertThat(refused.get(0).type()).isEqualTo(ProblemType.CONFLICT);
            assertThat(refused.get(0).getMessage()).contains("vCPU 4 reserved + 4 requested > 6");
        } finally {
            pool.shutdownNow();
        }
        assertThat(catalog.orders(new OrderFilter(tenant, null), 10, null).items()).hasSize(1);
        assertThat(f.ledger.usage(tenant).reserved()).isEqualTo(new Resources(4, 8192, 40, 1));
    }

    @Test
    void rejectingOrCancellingFreesTheQuotaAndAFinalOrderRefusesEveryFurtherStep() {
        String tenant = f.authority(Quota.UNLIMITED, Budget.NONE);
        Order a = catalog.submit(provision(tenant, "vm-m", 2, "a"), user).order();
        Order b = catalog.submit(provision(tenant, "vm-m", 1, "b"), user).order();
        assertThat(f.ledger.usage(tenant).reserved().vcpu()).isEqualTo(6);

        Order rejected = catalog.reject(a.id(), admin, "use vm-s");
        assertThat(rejected.state()).isEqualTo(OrderState.REJECTED);
        assertThat(rejected.reason()).isEqualTo("use vm-s");
        ProblemException notYours = catchThrowableOfType(() -> catalog.cancel(b.id(), secondAdmin, false), ProblemException.class);
        assertThat(notYours.type()).isEqualTo(ProblemType.FORBIDDEN);
        Order cancelled = catalog.cancel(b.id(), user, false);
        assertThat(cancelled.state()).isEqualTo(OrderState.CANCELLED);
        assertThat(f.ledger.usage(tenant).reserved()).isEqualTo(Resources.NONE);

        for (Runnable step : List.<Runnable>of(() -> catalog.approve(a.id(), admin, null), () -> catalog.reject(b.id(), admin, null),
                () -> catalog.cancel(a.id(), admin, true))) {
            ProblemException illegal = catchThrowableOfType(step::run, ProblemException.class);
            assertThat(illegal.type()).isEqualTo(ProblemType.CONFLICT);
        }
        ProblemException unknown = catchThrowableOfType(() -> catalog.approve(Ids.newId(), admin, null), ProblemException.class);
        assertThat(unknown.type()).isEqualTo(ProblemType.NOT_FOUND);
    }

    // --- isolation ---------------------------------------------------------------------------------

    @Test
    void anotherAuthoritysVmIsAnsweredExactlyLikeAnUnknownIdAndNothingIsCreated() {
        String a = f.authority(Quota.UNLIMITED, Budget.NONE);
        String b = f.authority(Quota.UNLIMITED, Budget.NONE);
        Vm theirs = f.compute.createVm(new VmRequest("secret-db", b, "vm-s", 1, 1024, 10, null, null, null, null));
        String random = UUID.randomUUID().toString();
        int eventsBefore = f.orderEvents.size();

        ProblemException foreign = catchThrowableOfType(() -> catalog.submit(new NewOrder(a, OrderKind.DECOMMISSION, null, null,
                null, null, List.of(theirs.id())), user), ProblemException.class);
        ProblemException unknown = catchThrowableOfType(() -> catalog.submit(new NewOrder(a, OrderKind.DECOMMISSION, null, null,
                null, null, List.of(random)), user), ProblemException.class);

        assertThat(foreign.type()).isEqualTo(ProblemType.NOT_FOUND).isEqualTo(unknown.type());
        assertThat(foreign.getMessage()).isEqualTo("no VM " + theirs.id());
        assertThat(unknown.getMessage()).isEqualTo("no VM " + random);
        assertThat(foreign.errors()).isEqualTo(unknown.errors()).isEmpty();
        assertThat(catalog.orders(new OrderFilter(a, null), 10, null).items()).isEmpty();
        assertThat(f.compute.vm(theirs.id()).orElseThrow().state()).isEqualTo(VmState.RUNNING);
        assertThat(f.orderEvents).hasSize(eventsBefore);
    }

    @Test
    void parallelDecommissionOrdersForOneVmLetExactlyOneThrough() throws Exception {
        String tenant = f.authority(Quota.UNLIMITED, Budget.NONE);
        Order o = awaitState(catalog.submit(provision(tenant, "vm-s", 1, "once"), user).order().id(), OrderState.FULFILLED);
        String vm = o.vmIds().get(0);
        CyclicBarrier start = new CyclicBarrier(4);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Order> ok = new ArrayList<>();
        List<ProblemException> refused = new ArrayList<>();
        try {
            List<Future<OrderReceipt>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return catalog.submit(new NewOrder(tenant, OrderKind.DECOMMISSION, null, null, null, null, List.of(vm)), user);
                }));
            }
            for (Future<OrderReceipt> r : results) {
                try {
                    ok.add(r.get(30, TimeUnit.SECONDS).order());
                } catch (java.util.concurrent.ExecutionException e) {
                    refused.add((ProblemException) e.getCause());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(ok).hasSize(1);
        assertThat(refused).hasSize(3).allMatch(e -> e.type() == ProblemType.CONFLICT
                && e.getMessage().startsWith("VM " + vm + " is already being decommissioned"));
        awaitState(ok.get(0).id(), OrderState.FULFILLED);
        assertThat(catalog.orders(new OrderFilter(tenant, null), 10, null).items()).hasSize(2);
    }

    @Test
    void decommissioningDeletesTheVmsAndFreesTheirQuota() {
        String tenant = f.authority(new Quota(2, null, null, null), Budget.NONE);
        Order o = awaitState(catalog.submit(provision(tenant, "vm-s", 2, "tmp"), user).order().id(), OrderState.FULFILLED);
        assertThat(catchThrowableOfType(() -> catalog.submit(provision(tenant, "vm-s", 1, "more"), user), ProblemException.class)
                .getMessage()).contains("vCPU 2 reserved + 1 requested > 2");

        Order d = catalog.submit(new NewOrder(tenant, OrderKind.DECOMMISSION, null, null, null, null, List.of(o.vmIds().get(0))),
                user).order();
        assertThat(d.state()).isEqualTo(OrderState.PROVISIONING);
        awaitState(d.id(), OrderState.FULFILLED);
        assertThat(f.compute.vm(o.vmIds().get(0)).orElseThrow().state()).isEqualTo(VmState.DELETED);
        assertThat(f.ledger.usage(tenant).reserved()).isEqualTo(new Resources(1, 2048, 10, 1));

        // a VM deleted outside the catalogue frees its quota as well
        f.compute.delete(o.vmIds().get(1));
        await().atMost(WAIT).until(() -> f.ledger.usage(tenant).reserved().equals(Resources.NONE));
        assertThat(catalog.submit(provision(tenant, "vm-s", 2, "again"), user).order().state()).isEqualTo(OrderState.PROVISIONING);
    }

    @Test
    void aRedeliveredOrLateAnswerFromComputeChangesNothing() {
        String tenant = f.authority(Quota.UNLIMITED, Budget.NONE);
        Order o = awaitState(catalog.submit(provision(tenant, "vm-s", 1, "once"), user).order().id(), OrderState.FULFILLED);
        int transitions = catalog.transitions(o.id()).size();
        Resources held = f.ledger.usage(tenant).reserved();

        DomainEvent answer = new DomainEvent(UUID.randomUUID(), "vm.provision-failed", Instant.now(), tenant,
                Map.of("orderId", o.id(), "reason", "late"));
        catalog.onComputeEvent(answer);
        catalog.onComputeEvent(answer);
        DomainEvent again = new DomainEvent(UUID.randomUUID(), "vm.provisioned", Instant.now(), tenant,
                Map.of("orderId", o.id(), "vmIds", List.of(Ids.newId())));
        catalog.onComputeEvent(again);

        Order after = catalog.order(o.id()).orElseThrow();
        assertThat(after.state()).isEqualTo(OrderState.FULFILLED);
        assertThat(after.vmIds()).isEqualTo(o.vmIds());
        assertThat(catalog.transitions(o.id())).hasSize(transitions);
        assertThat(f.ledger.usage(tenant).reserved()).isEqualTo(held);
    }

    @Test
    void theSameAnswerTwiceFulfilsOnce() throws Exception {
        String tenant = f.authority(Quota.UNLIMITED, Budget.NONE);
        Order o = catalog.submit(provision(tenant, "vm-m", 1, "twice"), user).order();
        // not approved: nothing is sent, so the test plays compute's answer itself
        f.db.inTransaction(c -> {
            try (var ps = c.prepareStatement("UPDATE catalog_order SET state = 'PROVISIONING' WHERE id = ?")) {
                ps.setString(1, o.id());
                ps.executeUpdate();
            }
            return null;
        });
        String vmId = Ids.newId();
        DomainEvent answer = new DomainEvent(UUID.randomUUID(), "vm.provisioned", Instant.now(), tenant,
                Map.of("orderId", o.id(), "vmIds", List.of(vmId)));
        catalog.onComputeEvent(answer);
        catalog.onComputeEvent(answer);

        assertThat(catalog.order(o.id()).orElseThrow().vmIds()).containsExactly(vmId);
        assertThat(catalog.transitions(o.id())).extracting(OrderTransition::to).containsExactly(OrderState.SUBMITTED,
                OrderState.FULFILLED);
        // a second delete announcement of the VM frees its unit once
        DomainEvent deleted = new DomainEvent(UUID.randomUUID(), "vm.deleted", Instant.now(), tenant, Map.of("vmId", vmId));
        catalog.onComputeEvent(deleted);
        catalog.onComputeEvent(deleted);
        assertThat(f.ledger.usage(tenant).reserved()).isEqualTo(Resources.NONE);
    }

    // --- budget ------------------------------------------------------------------------------------

    @Test
    void theBudgetWarnsFromItsSoftThresholdAndRefusesNewOrdersAtItsLimit() {
        String tenant = f.authority(Quota.UNLIMITED, new Budget(new BigDecimal("100.00"), 80));
        OrderReceipt noBilling = catalog.submit(provision(tenant, "vm-m", 1, "a"), user);
        assertThat(noBilling.warnings()).isEmpty();

        f.costs = authority -> authority.equals(tenant) ? Money.eur("85.50") : Money.ZERO;
        OrderReceipt warned = catalog.submit(provision(tenant, "vm-m", 1, "b"), user);
        assertThat(warned.warnings()).singleElement().asString().contains("85 % used (warning from 80 %)")
                .contains("month-to-date cost 85.50 EUR, monthly limit 100.00 EUR");

        f.costs = authority -> authority.equals(tenant) ? Money.eur("100.00") : Money.ZERO;
        ProblemException refused = catchThrowableOfType(() -> catalog.submit(provision(tenant, "vm-m", 1, "c"), user),
                ProblemException.class);
        assertThat(refused.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(refused.getMessage()).contains("exhausted: month-to-date cost 100.00 EUR, monthly limit 100.00 EUR");
        assertThat(catalog.orders(new OrderFilter(tenant, null), 10, null).items()).hasSize(2);
    }
}

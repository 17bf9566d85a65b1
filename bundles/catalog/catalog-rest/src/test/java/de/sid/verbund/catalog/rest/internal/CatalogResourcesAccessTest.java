package de.sid.verbund.catalog.rest.internal;

import static de.sid.verbund.testsupport.FakeAccess.authorityAdmin;
import static de.sid.verbund.testsupport.FakeAccess.authorityUser;
import static de.sid.verbund.testsupport.FakeAccess.authorityViewer;
import static de.sid.verbund.testsupport.FakeAccess.monitoring;
import static de.sid.verbund.testsupport.FakeAccess.sidOperator;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.sid.verbund.catalog.ApprovalPolicy;
import de.sid.verbund.catalog.CatalogService;
import de.sid.verbund.catalog.NewOffering;
import de.sid.verbund.catalog.Offering;
import de.sid.verbund.catalog.Order;
import de.sid.verbund.catalog.OrderFilter;
import de.sid.verbund.catalog.OrderKind;
import de.sid.verbund.catalog.OrderReceipt;
import de.sid.verbund.catalog.OrderState;
import de.sid.verbund.catalog.Sizing;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.testsupport.FakeAccess;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Who may do what over {@code /api/offerings} and {@code /api/orders}, with the permissions
 * security-shiro's {@code RolePermissions} gives each role (Shiro's wildcard rule): another
 * authority's order is unknown (404, the same answer as for a random id, and the refusal is
 * recorded), approving is for approvers, the catalogue is changed by SID staff only. Refused
 * calls never reach the service.
 */
class CatalogResourcesAccessTest {
    private final String a = UUID.randomUUID().toString();
    private final String b = UUID.randomUUID().toString();
    private final Offering offering = new Offering(UUID.randomUUID().toString(), "vm-m", 1, Offering.KIND_VM, "VM M", "",
            new Sizing(2, 4096, 40, "debian-12"), Map.of(), ApprovalPolicy.AUTHORITY_ADMIN, true, Instant.EPOCH, "system", null);
    private final Order orderOfA = new Order(UUID.randomUUID().toString(), a, OrderKind.PROVISION, offering, 1, "app", Map.of(),
            List.of(), OrderState.SUBMITTED, List.of("authority-admin"), List.of(), UUID.randomUUID().toString(), "anna", null,
            List.of(), Instant.EPOCH, Instant.EPOCH);
    /** Calls that reached the service: "method args…". */
    private final List<String> calls = new ArrayList<>();

    private CatalogService catalog() {
        return (CatalogService) Proxy.newProxyInstance(CatalogService.class.getClassLoader(), new Class<?>[] {CatalogService.class},
                (p, m, args) -> {
                    calls.add(m.getName() + " " + (args == null ? "" : Arrays.toString(args)));
                    return switch (m.getName()) {
                        case "order" -> Optional.of(orderOfA).filter(o -> o.id().equals(args[0]));
                        case "offering" -> Optional.of(offering);
                        case "offerings" -> List.of(offering);
                        case "orders" -> new Page<>(List.of(orderOfA), null);
                        case "transitions" -> List.of();
                        case "submit" -> new OrderReceipt(orderOfA, List.of());
                        case "approve", "reject", "cancel" -> orderOfA;
                        case "createOffering", "updateOffering", "retireOffering" -> offering;
                        default -> throw new AssertionError("unexpected call " + m.getName());
                    };
                });
    }

    private OrdersResource orders(FakeAccess access) {
        return new OrdersResource(catalog(), access);
    }

    private static ProblemException refused(Runnable call) {
        return catchThrowableOfType(call::run, ProblemException.class);
    }

    @Test
    void anotherAuthoritysOrderIsUnknownToItWhateverItTries() {
        FakeAccess adminOfB = authorityAdmin(b);
        OrdersResource r = orders(adminOfB);
        String random = UUID.randomUUID().toString();
        List<Supplier<Object>> tries = List.of(() -> r.get(orderOfA.id()), () -> r.transitions(orderOfA.id()),
                () -> r.approve(orderOfA.id(), null), () -> r.reject(orderOfA.id(), null), () -> r.cancel(orderOfA.id()));
        for (Supplier<Object> t : tries) {
            ProblemException e = refused(t::get);
            assertThat(e.type()).isEqualTo(ProblemType.NOT_FOUND);
            assertThat(e.getMessage()).isEqualTo("no order " + orderOfA.id());
        }
        ProblemException unknown = refused(() -> r.get(random));
        assertThat(unknown.type()).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(unknown.getMessage()).isEqualTo("no order " + random);
        assertThat(adminOfB.refused).hasSize(5).allMatch(x -> x.startsWith("catalog:read:" + a));
        assertThat(calls).noneMatch(c -> c.startsWith("approve") || c.startsWith("reject") || c.startsWith("cancel")
                || c.startsWith("transitions"));

        ProblemException list = refused(() -> r.list(a, null, null, null));
        assertThat(list.type()).isEqualTo(ProblemType.FORBIDDEN);
        ProblemException submit = refused(() -> r.submit(new OrdersResource.SubmitOrder(a, null, "vm-m", 1, "x", null, null)));
        assertThat(submit.type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(calls).noneMatch(c -> c.startsWith("submit") || c.startsWith("orders"));
    }

    @Test
    void aParentAuthorityListsTheOrdersOfAnAuthorityBelowIt() {
        String parent = java.util.UUID.randomUUID().toString();
        // the realm grants users of a parent read on the authorities below it (oversight)
        FakeAccess ministry = new FakeAccess(new de.sid.verbund.security.Caller(java.util.UUID.randomUUID().toString(),
                "ministerium-viewer", parent, java.util.Set.of("authority-viewer")), List.of("*:read:" + parent, "*:read:" + a));
        orders(ministry).list(a, null, null, null);
        assertThat(calls.get(calls.size() - 1)).contains(new OrderFilter(a, null).toString());
        orders(ministry).list(null, null, null, null);
        assertThat(calls.get(calls.size() - 1)).contains(new OrderFilter(parent, null).toString());
        assertThat(refused(() -> orders(ministry).list(java.util.UUID.randomUUID().toString(), null, null, null)).type())
                .isEqualTo(ProblemType.FORBIDDEN);
    }

    @Test
    void usersOrderAndSeeTheirAuthoritysOrdersButOnlyApproversDecide() {
        OrdersResource user = orders(authorityUser(a));
        assertThat(user.submit(new OrdersResource.SubmitOrder(null, null, "vm-m", 1, "app", null, null)).getStatus()).isEqualTo(201);
        assertThat(calls.get(0)).startsWith("submit [NewOrder[tenantId=" + a);
        user.list(null, null, null, null);
        assertThat(calls.get(1)).contains(new OrderFilter(a, null).toString());
        assertThat(user.get(orderOfA.id())).isEqualTo(orderOfA);
        assertThat(refused(() -> user.approve(orderOfA.id(), null)).type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(refused(() -> user.reject(orderOfA.id(), null)).type()).isEqualTo(ProblemType.FORBIDDEN);
        user.cancel(orderOfA.id());
        assertThat(calls.get(calls.size() - 1)).endsWith(", false]");

        OrdersResource viewer = orders(authorityViewer(a));
        assertThat(viewer.get(orderOfA.id())).isEqualTo(orderOfA);
        assertThat(refused(() -> viewer.submit(new OrdersResource.SubmitOrder(null, null, "vm-m", 1, "v", null, null))).type())
                .isEqualTo(ProblemType.FORBIDDEN);
        assertThat(refused(() -> viewer.cancel(orderOfA.id())).type()).isEqualTo(ProblemType.FORBIDDEN);

        orders(authorityAdmin(a)).approve(orderOfA.id(), new OrdersResource.Decision("fine", null));
        assertThat(calls.get(calls.size() - 1)).contains("sidStaff=false").contains("fine");
        orders(sidOperator()).approve(orderOfA.id(), null);
        assertThat(calls.get(calls.size() - 1)).contains("sidStaff=true");
        assertThat(orders(sidOperator()).list(a, "submitted", null, null).items()).containsExactly(orderOfA);
        assertThat(refused(() -> orders(monitoring()).list(null, null, null, null)).type()).isEqualTo(ProblemType.FORBIDDEN);
    }

    @Test
    void theCatalogueIsReadByTenantsAndChangedBySidStaffOnly() {
        NewOffering n = new NewOffering("db-s", null, "DB S", "", new Sizing(1, 1024, 10, null), null, null);
        for (FakeAccess tenantSide : List.of(authorityAdmin(a), authorityUser(a), authorityViewer(a))) {
            OfferingsResource r = new OfferingsResource(catalog(), tenantSide);
            assertThat(r.list(false, null, null).items()).containsExactly(offering);
            assertThat(r.get("vm-m")).isEqualTo(offering);
            assertThat(refused(() -> r.create(n)).type()).isEqualTo(ProblemType.FORBIDDEN);
            assertThat(refused(() -> r.update("vm-m", n)).type()).isEqualTo(ProblemType.FORBIDDEN);
            assertThat(refused(() -> r.retire("vm-m")).type()).isEqualTo(ProblemType.FORBIDDEN);
        }
        assertThat(calls).noneMatch(c -> c.contains("Offering ["));
        assertThat(refused(() -> new OfferingsResource(catalog(), monitoring()).list(false, null, null)).type())
                .isEqualTo(ProblemType.FORBIDDEN);
        OfferingsResource operator = new OfferingsResource(catalog(), sidOperator());
        assertThat(operator.create(n).getStatus()).isEqualTo(201);
        operator.retire("vm-m");
        assertThat(calls).anyMatch(c -> c.startsWith("createOffering")).anyMatch(c -> c.startsWith("retireOffering"));
    }
}

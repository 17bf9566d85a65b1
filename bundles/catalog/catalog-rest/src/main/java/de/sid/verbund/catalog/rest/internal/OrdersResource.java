package de.sid.verbund.catalog.rest.internal;

import de.sid.verbund.catalog.CatalogService;
import de.sid.verbund.catalog.NewOrder;
import de.sid.verbund.catalog.Order;
import de.sid.verbund.catalog.OrderFilter;
import de.sid.verbund.catalog.OrderKind;
import de.sid.verbund.catalog.OrderReceipt;
import de.sid.verbund.catalog.OrderState;
import de.sid.verbund.catalog.OrderTransition;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.Caller;
import de.sid.verbund.security.Permissions;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/orders}: an authority's orders. Submitting needs {@code catalog:order:<authority>};
 * reading {@code catalog:read:<authority>}, and another authority's order is answered as unknown
 * (404); approving and rejecting {@code catalog:approve:<authority>} (authority admins, and SID
 * operators for the second step), refused with 403 to the others who see the order. Cancelling is
 * for the requester ({@code catalog:order}) or an approver. The catalogue itself enforces the
 * four-eyes rule and the approval steps.
 */
@Component(service = OrdersResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/orders")
@Produces(MediaType.APPLICATION_JSON)
public class OrdersResource {
    private final CatalogService catalog;
    private final AccessControl access;

    @Activate
    public OrdersResource(@Reference CatalogService catalog, @Reference AccessControl access) {
        this.catalog = catalog;
        this.access = access;
    }

    /** An order to submit; {@code tenantId} defaults to the caller's authority, {@code kind} to PROVISION. */
    public record SubmitOrder(String tenantId, OrderKind kind, String offering, Integer quantity, String name,
            Map<String, Object> parameters, List<String> vmIds) {
    }

    /** A decision's note: the approver's comment or the reason of a rejection. */
    public record Decision(String comment, String reason) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response submit(SubmitOrder body) {
        Caller caller = access.requireCaller();
        if (body == null) {
            throw ProblemException.badRequest("request body required: {offering, quantity, name, parameters} or "
                    + "{kind: DECOMMISSION, vmIds}");
        }
        String tenant = body.tenantId() != null ? Ids.parse(body.tenantId()).toString() : caller.authorityId();
        if (tenant == null) {
            throw ProblemException.badRequest("tenantId is required (the authority that orders)");
        }
        access.check(Permissions.of("catalog", "order", tenant), "orders");
        OrderReceipt receipt = catalog.submit(new NewOrder(tenant, body.kind(), body.offering(), body.quantity(), body.name(),
                body.parameters(), body.vmIds()), Actors.of(caller));
        return Response.status(Response.Status.CREATED)
                .header("Location", RestApplication.BASE + "/orders/" + receipt.order().id()).entity(receipt).build();
    }

    @GET
    public Page<Order> list(@QueryParam("tenantId") String tenantId, @QueryParam("state") String state,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Caller caller = access.requireCaller();
        String tenant = tenantId == null ? null : Ids.parse(tenantId).toString();
        if (!access.isPermitted("catalog:read:*")) {
            if (caller.authorityId() == null) {
                access.check("catalog:read:*", "orders");
            }
            if (tenant != null && !tenant.equals(caller.authorityId())) {
                // an authority below the caller's (oversight) may be listed; any other is refused (403)
                access.check(Permissions.of("catalog", "read", tenant), "orders");
            } else {
                tenant = caller.authorityId();
                access.check(Permissions.of("catalog", "read", tenant), "orders");
            }
        }
        return catalog.orders(new OrderFilter(tenant, parseState(state)), Page.limit(limit), cursor);
    }

    private static OrderState parseState(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return OrderState.valueOf(state.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state must be one of " + Arrays.toString(OrderState.values()));
        }
    }

    private Order visible(String id) {
        Order o = catalog.order(Ids.parse(id).toString()).orElseThrow(() -> ProblemException.notFound("no order " + id));
        access.checkVisible(Permissions.of("catalog", "read", o.tenantId()), "order " + id);
        return o;
    }

    @GET
    @Path("/{id}")
    public Order get(@PathParam("id") String id) {
        return visible(id);
    }

    @GET
    @Path("/{id}/transitions")
    public List<OrderTransition> transitions(@PathParam("id") String id) {
        return catalog.transitions(visible(id).id());
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    public Order approve(@PathParam("id") String id, Decision body) {
        Order o = visible(id);
        access.check(Permissions.of("catalog", "approve", o.tenantId()), "order " + id);
        return catalog.approve(o.id(), Actors.of(access.requireCaller()), body == null ? null : body.comment());
    }

    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    public Order reject(@PathParam("id") String id, Decision body) {
        Order o = visible(id);
        access.check(Permissions.of("catalog", "approve", o.tenantId()), "order " + id);
        return catalog.reject(o.id(), Actors.of(access.requireCaller()), body == null ? null : body.reason());
    }

    @POST
    @Path("/{id}/cancel")
    public Order cancel(@PathParam("id") String id) {
        Order o = visible(id);
        boolean approver = access.isPermitted(Permissions.of("catalog", "approve", o.tenantId()));
        if (!approver) {
            access.check(Permissions.of("catalog", "order", o.tenantId()), "order " + id);
        }
        return catalog.cancel(o.id(), Actors.of(access.requireCaller()), approver);
    }
}

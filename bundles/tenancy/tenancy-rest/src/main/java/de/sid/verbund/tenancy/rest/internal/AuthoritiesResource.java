package de.sid.verbund.tenancy.rest.internal;

import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.Permissions;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.BillingAddress;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.Contact;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.Quota;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
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
 * {@code /api/authorities}: the authorities (tenants) and their hierarchy.
 * <ul>
 * <li>read ({@code tenancy:read:<id>}): SID admins, operators and billing clerks all; authority
 * users their own authority and, for oversight, everything below it; an authority the caller may
 * not read is answered as unknown (404, audited);</li>
 * <li>ministries and authorities are created and deleted by SID admins only ({@code tenancy:write:*});</li>
 * <li>units are created below an authority or unit the caller may write ({@code tenancy:write:<parent>});</li>
 * <li>an update needs {@code tenancy:write:<id>}, and {@code tenancy:quota:<id>} when it changes the
 * quota or the budget: an authority admin edits its own authority's data and its units' data and
 * quotas, never its own quota.</li>
 * </ul>
 */
@Component(service = AuthoritiesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/authorities")
@Produces(MediaType.APPLICATION_JSON)
public class AuthoritiesResource {
    static final String WRITE_ALL = "tenancy:write:*";
    private final AuthorityService authorities;
    private final AccessControl access;

    @Activate
    public AuthoritiesResource(@Reference AuthorityService authorities, @Reference AccessControl access) {
        this.authorities = authorities;
        this.access = access;
    }

    /** A monthly budget; {@code softThresholdPercent} defaults to 80. */
    public record BudgetBody(BigDecimal monthlyEur, Integer softThresholdPercent) {
        Budget toBudget() {
            return new Budget(monthlyEur, softThresholdPercent == null ? 80 : softThresholdPercent);
        }
    }

    /** An authority to create or replace; see {@link Authority} for the fields. */
    public record AuthorityBody(String name, AuthorityKind kind, String parentId, String costCentre, String leitwegId,
            BillingAddress billingAddress, BillingMode billingMode, Boolean vatLiable, List<Contact> contacts, Quota quota,
            BudgetBody budget) {
        NewAuthority toNew() {
            return new NewAuthority(name, kind, parentId, costCentre, leitwegId, billingAddress, billingMode,
                    Boolean.TRUE.equals(vatLiable), contacts, quota, budget == null ? null : budget.toBudget());
        }
    }

    @GET
    public Page<Authority> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        access.requireCaller();
        int n = Page.limit(limit);
        List<Authority> visible = visible(authorities.list());
        return page(visible, n, cursor, Authority::id);
    }

    /**
     * @return the authorities the caller may read, parents first
     * @throws ProblemException FORBIDDEN (audited) when the caller may read none
     */
    List<Authority> visible(List<Authority> all) {
        if (access.isPermitted("tenancy:read:*")) {
            return all;
        }
        List<Authority> mine = all.stream().filter(a -> access.isPermitted(Permissions.of("tenancy", "read", a.id()))).toList();
        if (mine.isEmpty()) {
            access.check("tenancy:read:*", "authorities");
        }
        return mine;
    }

    /** Pages a list in its order; the cursor is the id of the last item of the page before. */
    static <T> Page<T> page(List<T> items, int limit, String cursor, java.util.function.Function<T, String> id) {
        int from = 0;
        if (cursor != null) {
            from = -1;
            for (int i = 0; i < items.size(); i++) {
                if (id.apply(items.get(i)).equals(cursor)) {
                    from = i + 1;
                    break;
                }
            }
            if (from < 0) {
                throw ProblemException.badRequest("invalid cursor: " + cursor);
            }
        }
        int to = Math.min(items.size(), from + limit);
        List<T> page = items.subList(from, to);
        return new Page<>(page, to < items.size() ? id.apply(items.get(to - 1)) : null);
    }

    @GET
    @Path("/{id}")
    public Authority get(@PathParam("id") String id) {
        return readable(id);
    }

    /** @throws ProblemException NOT_FOUND for an unknown id and, audited, for one the caller may not read */
    Authority readable(String id) {
        String key = Ids.parse(id).toString();
        Authority a = authorities.find(key).orElseThrow(() -> ProblemException.notFound("no authority " + key));
        access.checkVisible(Permissions.of("tenancy", "read", key), "authority " + key);
        return a;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(AuthorityBody body) {
        access.requireCaller();
        if (body == null) {
            throw ProblemException.badRequest("request body required: {name, kind, parentId, billingMode, …}");
        }
        if (body.kind() == AuthorityKind.UNIT && body.parentId() != null) {
            Authority parent = readable(body.parentId());
            access.check(Permissions.of("tenancy", "write", parent.id()), "authority " + parent.id());
        } else {
            access.check(WRITE_ALL, "authorities");
        }
        Authority created = authorities.create(body.toNew());
        return Response.status(Response.Status.CREATED).header("Location", RestApplication.BASE + "/authorities/" + created.id())
                .entity(created).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Authority update(@PathParam("id") String id, AuthorityBody body) {
        Authority old = readable(id);
        access.check(Permissions.of("tenancy", "write", old.id()), "authority " + old.id());
        if (body == null) {
            throw ProblemException.badRequest("request body required: {name, billingMode, quota, budget, …}");
        }
        NewAuthority change = body.toNew();
        Quota quota = change.quota() == null ? Quota.UNLIMITED : change.quota();
        Budget budget = change.budget() == null ? Budget.NONE : change.budget();
        if (!quota.equals(old.quota()) || !sameBudget(budget, old.budget())) {
            access.check(Permissions.of("tenancy", "quota", old.id()), "quota of authority " + old.id());
        }
        return authorities.update(old.id(), change);
    }

    private static boolean sameBudget(Budget a, Budget b) {
        boolean sameLimit = a.monthlyEur() == null ? b.monthlyEur() == null
                : b.monthlyEur() != null && a.monthlyEur().compareTo(b.monthlyEur()) == 0;
        return sameLimit && Objects.equals(a.softThresholdPercent(), b.softThresholdPercent());
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        Authority a = readable(id);
        access.check(Permissions.of("tenancy", "write", a.id()), "authority " + a.id());
        if (a.kind() != AuthorityKind.UNIT) {
            access.check(WRITE_ALL, "authority " + a.id());
        }
        authorities.delete(a.id());
        return Response.noContent().build();
    }
}

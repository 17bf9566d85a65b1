package de.sid.verbund.tenancy.rest.internal;

import de.sid.verbund.billing.CostSource;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityKind;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.Budget;
import de.sid.verbund.tenancy.Quota;
import de.sid.verbund.tenancy.QuotaLedger;
import de.sid.verbund.tenancy.QuotaUsage;
import de.sid.verbund.tenancy.Resources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/quotas}: each authority's quota, what it and everything below it hold, and its
 * budget status. Visibility as for {@code /api/authorities} ({@code tenancy:read:<id>}). The
 * month-to-date cost comes from billing's {@link CostSource} when billing runs (summed over the
 * authority and everything below it); without it the cost parts are {@code null}.
 */
@Component(service = QuotasResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/quotas")
@Produces(MediaType.APPLICATION_JSON)
public class QuotasResource {
    private final AuthorityService authorities;
    private final QuotaLedger ledger;
    private final AuthoritiesResource view;
    private volatile CostSource costs;

    @Activate
    public QuotasResource(@Reference AuthorityService authorities, @Reference QuotaLedger ledger, @Reference AccessControl access) {
        this.authorities = authorities;
        this.ledger = ledger;
        this.view = new AuthoritiesResource(authorities, access);
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

    /**
     * A monthly budget's state.
     *
     * @param monthlyEur the hard limit, {@code null} for no budget
     * @param softThresholdPercent the warning threshold
     * @param monthToDateEur net cost of the authority and everything below it since the start of the
     *        month (Europe/Berlin), {@code null} without billing
     * @param usedPercent month-to-date cost as a share of the limit, 1 decimal; {@code null} without
     *        a limit or without billing
     * @param softThresholdReached whether the warning threshold is reached
     * @param hardLimitReached whether the limit is reached: new orders are refused
     */
    public record BudgetStatus(BigDecimal monthlyEur, int softThresholdPercent, BigDecimal monthToDateEur,
            BigDecimal usedPercent, boolean softThresholdReached, boolean hardLimitReached) {
    }

    /** An authority's quota, its reservations and its budget. */
    public record QuotaStatus(String authorityId, String name, AuthorityKind kind, String parentId, Quota quota,
            Resources reserved, BudgetStatus budget) {
    }

    @GET
    public Page<QuotaStatus> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        int n = Page.limit(limit);
        Page<Authority> page = AuthoritiesResource.page(view.visible(authorities.list()), n, cursor, Authority::id);
        return new Page<>(page.items().stream().map(this::status).toList(), page.nextCursor());
    }

    @GET
    @Path("/{authorityId}")
    public QuotaStatus get(@PathParam("authorityId") String authorityId) {
        return status(view.readable(authorityId));
    }

    private QuotaStatus status(Authority a) {
        QuotaUsage usage = ledger.usage(a.id());
        return new QuotaStatus(a.id(), a.name(), a.kind(), a.parentId(), usage.quota(), usage.reserved(), budget(a));
    }

    private BudgetStatus budget(Authority a) {
        Budget b = a.budget();
        CostSource c = costs;
        if (c == null) {
            return new BudgetStatus(b.monthlyEur(), b.softThresholdPercent(), null, null, false, false);
        }
        Money spent = c.monthToDate(a.id());
        for (String d : authorities.descendants(a.id())) {
            spent = spent.plus(c.monthToDate(d));
        }
        BigDecimal mtd = spent.roundToCents().amount();
        if (b.monthlyEur() == null) {
            return new BudgetStatus(null, b.softThresholdPercent(), mtd, null, false, false);
        }
        BigDecimal limit = b.monthlyEur();
        BigDecimal soft = limit.multiply(BigDecimal.valueOf(b.softThresholdPercent())).divide(BigDecimal.valueOf(100));
        BigDecimal used = limit.signum() == 0 ? null
                : mtd.multiply(BigDecimal.valueOf(100)).divide(limit, 1, RoundingMode.HALF_UP);
        return new BudgetStatus(limit, b.softThresholdPercent(), mtd, used, mtd.compareTo(soft) >= 0, mtd.compareTo(limit) >= 0);
    }
}

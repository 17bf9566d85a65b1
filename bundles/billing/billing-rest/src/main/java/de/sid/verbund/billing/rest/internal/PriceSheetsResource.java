package de.sid.verbund.billing.rest.internal;

import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.NewPriceSheet;
import de.sid.verbund.billing.Price;
import de.sid.verbund.billing.PriceSheet;
import de.sid.verbund.billing.PriceSheetService;
import de.sid.verbund.billing.rest.internal.Views.PriceSheetView;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.Permissions;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * {@code /api/price-sheets}: versioned price sheets, platform data of the SID. Reading needs
 * {@code billing:read:platform}, creating and correcting {@code billing:write:platform}: billing
 * clerks and SID admins; authority users are refused (they see prices through the catalogue).
 */
@Component(service = PriceSheetsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/price-sheets")
@Produces(MediaType.APPLICATION_JSON)
public class PriceSheetsResource {
    private final PriceSheetService sheets;
    private final BillingAccess access;

    @Activate
    public PriceSheetsResource(@Reference PriceSheetService sheets, @Reference AccessControl access) {
        this.sheets = sheets;
        this.access = new BillingAccess(access);
    }

    /** A sheet to create: validity {@code [validFrom, validTo)} (UTC instants, {@code validTo} optional). */
    public record NewSheet(String name, Instant validFrom, Instant validTo, List<NewPrice> prices) {
    }

    /** A price: metric ({@code VM_HOUR}, {@code VCPU_HOUR}, …), qualifier where the metric needs one, EUR per unit. */
    public record NewPrice(String metric, String qualifier, BigDecimal unitPrice) {
    }

    /** Corrected prices for a sheet version in force. */
    public record Correction(List<NewPrice> prices) {
    }

    @GET
    public Page<PriceSheetView> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        access.checkPlatform(Permissions.READ, "price-sheets");
        return Lists.page(sheets.list().stream().map(PriceSheetView::of).toList(), Page.limit(limit), cursor);
    }

    @GET
    @Path("/{id}")
    public PriceSheetView get(@PathParam("id") String id) {
        access.checkPlatform(Permissions.READ, "price-sheet " + id);
        return PriceSheetView.of(sheets.find(id).orElseThrow(() -> ProblemException.notFound("no price sheet " + id)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewSheet body) {
        access.checkPlatform(Permissions.WRITE, "price-sheets");
        if (body == null || body.validFrom() == null) {
            throw ProblemException.badRequest("request body required: {name, validFrom, validTo, prices: [{metric, qualifier, unitPrice}]}");
        }
        PriceSheet s = sheets.create(new NewPriceSheet(body.name(), body.validFrom(), body.validTo(), prices(body.prices())));
        return Response.status(Response.Status.CREATED).header("Location", RestApplication.BASE + "/price-sheets/" + s.id())
                .entity(PriceSheetView.of(s)).build();
    }

    /** Corrects the prices of the version in force: a new version with the same validity. */
    @POST
    @Path("/{id}/corrections")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response correct(@PathParam("id") String id, Correction body) {
        access.checkPlatform(Permissions.WRITE, "price-sheet " + id);
        if (body == null) {
            throw ProblemException.badRequest("request body required: {prices: [{metric, qualifier, unitPrice}]}");
        }
        PriceSheet s = sheets.correct(id, prices(body.prices()));
        return Response.status(Response.Status.CREATED).header("Location", RestApplication.BASE + "/price-sheets/" + s.id())
                .entity(PriceSheetView.of(s)).build();
    }

    /** @throws ProblemException BAD_REQUEST listing every price with an unknown metric or without a unit price */
    private static List<Price> prices(List<NewPrice> in) {
        if (in == null) {
            return List.of();
        }
        List<Price> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < in.size(); i++) {
            NewPrice p = in.get(i);
            Metric metric = p == null ? null : InvoicesResource.parseOrNull(Metric.class, p.metric());
            if (metric == null) {
                errors.add("prices[" + i + "].metric must be one of " + java.util.Arrays.toString(Metric.values()));
            }
            if (p == null || p.unitPrice() == null) {
                errors.add("prices[" + i + "].unitPrice is required (EUR, at most 4 decimals)");
            }
            if (metric != null && p.unitPrice() != null) {
                out.add(new Price(metric, p.qualifier(), Money.eur(p.unitPrice())));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(de.sid.verbund.core.ProblemType.BAD_REQUEST, String.join("; ", errors), errors, null);
        }
        return out;
    }
}

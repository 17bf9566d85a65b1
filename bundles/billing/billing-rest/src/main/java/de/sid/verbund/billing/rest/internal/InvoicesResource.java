package de.sid.verbund.billing.rest.internal;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceFilter;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceService;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.billing.rest.internal.Views.InvoiceView;
import de.sid.verbund.billing.rest.internal.Views.RunView;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/invoices}: billing documents (invoices, cost allocations, credit notes). An
 * authority's users see only their own ({@code billing:read:<authority>}); another authority's
 * document answers 404 like an unknown one (audited). Runs and finalising are for billing clerks
 * and SID admins ({@code billing:write:*}, {@code billing:write:<authority>}). One document comes as
 * JSON, CSV, XRechnung (UBL 2.1 XML) or PDF by the request's {@code Accept}.
 */
@Component(service = InvoicesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/invoices")
@Produces(MediaType.APPLICATION_JSON)
public class InvoicesResource {
    /** The media types one document is offered in; the renderers present decide which answer. */
    static final String[] DOCUMENT_TYPES = {MediaType.APPLICATION_JSON, "text/csv", MediaType.APPLICATION_XML,
        "application/pdf"};
    private static final Pattern NUMBER = Pattern.compile("\\d{4}-\\d{6}");

    private final InvoiceService invoices;
    private final BillingAccess access;
    private final Renderers renderers;

    @Activate
    public InvoicesResource(@Reference InvoiceService invoices, @Reference AccessControl access,
            @Reference Renderers renderers) {
        this.invoices = invoices;
        this.access = new BillingAccess(access);
        this.renderers = renderers;
    }

    @GET
    public Page<InvoiceView> list(@QueryParam("authority") String authority, @QueryParam("period") String period,
            @QueryParam("kind") String kind, @QueryParam("state") String state, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        String scope = access.listScope(authority, "invoices");
        InvoiceFilter filter = new InvoiceFilter(scope, period == null || period.isBlank() ? null : BillingPeriod.parse(period),
                parse(InvoiceKind.class, "kind", kind), parse(InvoiceState.class, "state", state));
        Page<Invoice> page = invoices.list(filter, Page.limit(limit), cursor);
        return new Page<>(page.items().stream().map(InvoiceView::of).toList(), page.nextCursor());
    }

    /** Rates a period now ({@code yyyy-MM}): one draft per authority, finals left alone. */
    @POST
    @Path("/run")
    public RunView run(@QueryParam("period") String period) {
        access.checkRun("invoices/run");
        if (period == null || period.isBlank()) {
            throw ProblemException.badRequest("period is required, e.g. ?period=2026-11");
        }
        return RunView.of(invoices.run(BillingPeriod.parse(period)));
    }

    /** One document by number ({@code 2026-000042}) or, for a draft, by id, as JSON, CSV, XRechnung or PDF. */
    @GET
    @Path("/{key}")
    @Produces({MediaType.APPLICATION_JSON, "text/csv", MediaType.APPLICATION_XML, "application/pdf"})
    public Response get(@PathParam("key") String key, @Context HttpHeaders headers) {
        return renderers.represent(visible(key, null), headers.getAcceptableMediaTypes());
    }

    /** DRAFT → FINAL: the document gets its number and issue date and never changes again. */
    @POST
    @Path("/{key}/finalize")
    public InvoiceView finalizeDocument(@PathParam("key") String key) {
        Invoice draft = access.writable(find(key, null), what(null, key));
        return InvoiceView.of(invoices.finalizeInvoice(draft.id()));
    }

    /** Re-rates a DRAFT with the usage and prices in force now (e.g. after a price correction). */
    @POST
    @Path("/{key}/rerate")
    public InvoiceView rerate(@PathParam("key") String key) {
        Invoice draft = access.writable(find(key, null), what(null, key));
        return InvoiceView.of(invoices.rerate(draft.id()));
    }

    /**
     * @param kind the kind the document must have, or {@code null} for any
     * @return the document, when the caller may see it
     * @throws ProblemException NOT_FOUND for an unknown, foreign or other-kind document
     */
    Invoice visible(String key, InvoiceKind kind) {
        return access.visible(find(key, kind), what(kind, key));
    }

    Invoice find(String key, InvoiceKind kind) {
        Optional<Invoice> found = NUMBER.matcher(key).matches() ? invoices.findByNumber(key) : byId(key);
        return found.filter(i -> kind == null || i.kind() == kind)
                .orElseThrow(() -> ProblemException.notFound("no " + what(kind, key)));
    }

    /** @return what a key names, as the 404 of an unknown and of a foreign document both say it */
    static String what(InvoiceKind kind, String key) {
        return (kind == InvoiceKind.CREDIT_NOTE ? "credit note " : "document ") + key;
    }

    private Optional<Invoice> byId(String key) {
        try {
            return invoices.find(de.sid.verbund.core.Ids.parse(key).toString());
        } catch (ProblemException e) {
            return Optional.empty();
        }
    }

    /** @return the constant, or {@code null} for a blank or unknown name */
    static <E extends Enum<E>> E parseOrNull(Class<E> type, String value) {
        try {
            return value == null || value.isBlank() ? null
                    : Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static <E extends Enum<E>> E parse(Class<E> type, String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest(name + " must be one of " + Arrays.toString(type.getEnumConstants()));
        }
    }
}

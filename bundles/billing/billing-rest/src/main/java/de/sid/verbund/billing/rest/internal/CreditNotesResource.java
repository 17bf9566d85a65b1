package de.sid.verbund.billing.rest.internal;

import de.sid.verbund.billing.CreditLine;
import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceFilter;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceService;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.billing.rest.internal.Views.InvoiceView;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import java.math.BigDecimal;
import java.util.List;
import javax.ws.rs.Consumes;
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
 * {@code /api/credit-notes}: corrections of FINAL documents. Listing and reading follow
 * {@link InvoicesResource} (own authority only, foreign ones 404); creating and finalising need
 * {@code billing:write:<authority>} (billing clerks, SID admins).
 */
@Component(service = CreditNotesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/credit-notes")
@Produces(MediaType.APPLICATION_JSON)
public class CreditNotesResource {
    private final InvoiceService invoices;
    private final BillingAccess access;
    private final InvoicesResource documents;
    private final Renderers renderers;

    @Activate
    public CreditNotesResource(@Reference InvoiceService invoices, @Reference AccessControl access,
            @Reference Renderers renderers) {
        this.invoices = invoices;
        this.access = new BillingAccess(access);
        this.documents = new InvoicesResource(invoices, access, renderers);
        this.renderers = renderers;
    }

    /** A credit note to make: the FINAL document corrected, why, and what (no lines: everything). */
    public record NewCreditNote(String invoiceNumber, String reason, List<Line> lines) {
    }

    /** Part of a line of the corrected document: its position and the quantity credited. */
    public record Line(int position, BigDecimal quantity) {
    }

    @GET
    public Page<InvoiceView> list(@QueryParam("authority") String authority, @QueryParam("period") String period,
            @QueryParam("state") String state, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        String scope = access.listScope(authority, "credit-notes");
        InvoiceFilter filter = new InvoiceFilter(scope, period == null || period.isBlank() ? null : BillingPeriod.parse(period),
                InvoiceKind.CREDIT_NOTE, InvoicesResource.parse(InvoiceState.class, "state", state));
        Page<Invoice> page = invoices.list(filter, Page.limit(limit), cursor);
        return new Page<>(page.items().stream().map(InvoiceView::of).toList(), page.nextCursor());
    }

    /** Makes a DRAFT credit note for lines of a FINAL document. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewCreditNote body) {
        if (body == null || body.invoiceNumber() == null || body.invoiceNumber().isBlank()) {
            throw ProblemException.badRequest("request body required: {invoiceNumber, reason, lines: [{position, quantity}]}");
        }
        access.writable(documents.find(body.invoiceNumber(), null), InvoicesResource.what(null, body.invoiceNumber()));
        List<CreditLine> lines = body.lines() == null ? List.of()
                : body.lines().stream().map(l -> new CreditLine(l.position(), l.quantity())).toList();
        Invoice note = invoices.creditNote(body.invoiceNumber(), body.reason(), lines);
        return Response.status(Response.Status.CREATED).header("Location", RestApplication.BASE + "/credit-notes/" + note.id())
                .entity(InvoiceView.of(note)).build();
    }

    /** One credit note by number or, while a draft, by id, as JSON, CSV, XRechnung or PDF. */
    @GET
    @Path("/{key}")
    @Produces({MediaType.APPLICATION_JSON, "text/csv", MediaType.APPLICATION_XML, "application/pdf"})
    public Response get(@PathParam("key") String key, @Context HttpHeaders headers) {
        return renderers.represent(documents.visible(key, InvoiceKind.CREDIT_NOTE), headers.getAcceptableMediaTypes());
    }

    /** DRAFT → FINAL. */
    @POST
    @Path("/{key}/finalize")
    public InvoiceView finalizeDocument(@PathParam("key") String key) {
        Invoice draft = access.writable(documents.find(key, InvoiceKind.CREDIT_NOTE), InvoicesResource.what(InvoiceKind.CREDIT_NOTE, key));
        return InvoiceView.of(invoices.finalizeInvoice(draft.id()));
    }
}

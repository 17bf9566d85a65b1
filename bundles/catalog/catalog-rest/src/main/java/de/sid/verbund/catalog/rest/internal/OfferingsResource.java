package de.sid.verbund.catalog.rest.internal;

import de.sid.verbund.catalog.CatalogService;
import de.sid.verbund.catalog.NewOffering;
import de.sid.verbund.catalog.Offering;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.Caller;
import de.sid.verbund.security.Permissions;
import java.util.List;
import javax.ws.rs.Consumes;
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
 * {@code /api/offerings}: the catalogue. Everyone who may read a catalogue (an authority's
 * {@code catalog:read:<own authority>}, SID staff's {@code catalog:read:*}) reads all offerings;
 * creating, changing and retiring them is for SID operators and admins
 * ({@value #WRITE}), refused (403) to authority staff.
 */
@Component(service = OfferingsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/offerings")
@Produces(MediaType.APPLICATION_JSON)
public class OfferingsResource {
    /** Who may change the catalogue: offerings belong to the platform. */
    static final String WRITE = "catalog:write:" + Permissions.PLATFORM;
    private final CatalogService catalog;
    private final AccessControl access;

    @Activate
    public OfferingsResource(@Reference CatalogService catalog, @Reference AccessControl access) {
        this.catalog = catalog;
        this.access = access;
    }

    private Caller readable() {
        Caller caller = access.requireCaller();
        if (!access.isPermitted("catalog:read:*")) {
            access.check(Permissions.of("catalog", "read", caller.authorityId() == null ? Permissions.PLATFORM
                    : caller.authorityId()), "offerings");
        }
        return caller;
    }

    @GET
    public Page<Offering> list(@QueryParam("includeRetired") boolean includeRetired, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        readable();
        int n = Page.limit(limit);
        int from = 0;
        if (cursor != null && !cursor.isBlank()) {
            try {
                from = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                throw ProblemException.badRequest("invalid cursor");
            }
        }
        List<Offering> all = catalog.offerings(includeRetired);
        if (from < 0 || from > all.size()) {
            throw ProblemException.badRequest("invalid cursor");
        }
        int to = Math.min(all.size(), from + n);
        return new Page<>(all.subList(from, to), to < all.size() ? String.valueOf(to) : null);
    }

    @GET
    @Path("/{id}")
    public Offering get(@PathParam("id") String id) {
        readable();
        return catalog.offering(id).orElseThrow(() -> ProblemException.notFound("no offering " + id));
    }

    @GET
    @Path("/{id}/versions/{version}")
    public Offering version(@PathParam("id") String id, @PathParam("version") int version) {
        readable();
        Offering current = catalog.offering(id).orElseThrow(() -> ProblemException.notFound("no offering " + id));
        return catalog.offeringVersion(current.id(), version)
                .orElseThrow(() -> ProblemException.notFound("offering " + current.code() + " has no version " + version));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewOffering body) {
        access.check(WRITE, "offerings");
        Offering o = catalog.createOffering(body, Actors.of(access.requireCaller()));
        return Response.status(Response.Status.CREATED).header("Location", RestApplication.BASE + "/offerings/" + o.id())
                .entity(o).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Offering update(@PathParam("id") String id, NewOffering body) {
        access.check(WRITE, "offering " + id);
        return catalog.updateOffering(id, body, Actors.of(access.requireCaller()));
    }

    @POST
    @Path("/{id}/retire")
    public Offering retire(@PathParam("id") String id) {
        access.check(WRITE, "offering " + id);
        return catalog.retireOffering(id, Actors.of(access.requireCaller()));
    }
}

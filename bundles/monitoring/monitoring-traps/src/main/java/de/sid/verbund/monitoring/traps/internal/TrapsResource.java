package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /api/traps}: the traps this node received lately (an in-memory ring, {@code history.size}),
 * newest first, as the events published on the bus. SID staff only ({@code monitoring:read:platform},
 * as {@code /api/devices}); authority users are refused (403).
 */
@Component(service = TrapsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/traps")
@Produces(MediaType.APPLICATION_JSON)
public class TrapsResource {
    static final String READ = "monitoring:read:platform";

    private final RecentTraps traps;
    private final AccessControl access;

    @Activate
    public TrapsResource(@Reference RecentTraps traps, @Reference AccessControl access) {
        this.traps = traps;
        this.access = access;
    }

    /**
     * @param limit 1 to 500, default 50
     * @param cursor {@code nextCursor} of the previous page
     * @throws de.sid.verbund.core.ProblemException FORBIDDEN without {@code monitoring:read:platform},
     *         BAD_REQUEST for a wrong limit or cursor
     */
    @GET
    public Page<DomainEvent> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        access.check(READ, "traps");
        return traps.recent(Page.limit(limit), cursor == null || cursor.isEmpty() ? null : cursor);
    }
}

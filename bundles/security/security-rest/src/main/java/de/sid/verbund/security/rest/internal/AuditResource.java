package de.sid.verbund.security.rest.internal;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.AuditEntry;
import de.sid.verbund.security.AuditLog;
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

/** {@code GET /api/audit}: the audit log, newest first; needs {@code audit:read:*}. */
@Component(service = AuditResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    private final AuditLog audit;
    private final AccessControl access;

    @Activate
    public AuditResource(@Reference AuditLog audit, @Reference AccessControl access) {
        this.audit = audit;
        this.access = access;
    }

    @GET
    public Page<AuditEntry> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        access.check("audit:read:*", "audit");
        return audit.list(Page.limit(limit), cursor);
    }
}

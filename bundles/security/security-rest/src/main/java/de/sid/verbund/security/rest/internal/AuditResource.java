package de.sid.verbund.security.rest.internal;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.AuditEntry;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.security.AuditQuery;
import de.sid.verbund.security.AuditVerification;
import java.time.Instant;
import java.time.format.DateTimeParseException;
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
 * {@code /api/audit}: the audit log, newest first, with filters ({@code audit:read:*}: SID
 * admins and operators); {@code /api/audit/verify} checks its hash chain
 * ({@code audit:verify:*}: SID admins only).
 */
@Component(service = AuditResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    static final String VERIFY = "audit:verify:*";
    private final AuditLog audit;
    private final AccessControl access;

    @Activate
    public AuditResource(@Reference AuditLog audit, @Reference AccessControl access) {
        this.audit = audit;
        this.access = access;
    }

    /**
     * @param subject exactly this user name
     * @param action actions starting with this text
     * @param outcome outcomes starting with this text ({@code DENIED}, {@code FAILED 401}, …)
     * @param from ISO-8601 instant, inclusive
     * @param to ISO-8601 instant, exclusive
     */
    @GET
    public Page<AuditEntry> list(@QueryParam("subject") String subject, @QueryParam("action") String action,
            @QueryParam("outcome") String outcome, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        access.check("audit:read:*", "audit");
        AuditQuery q = new AuditQuery(blankToNull(subject), blankToNull(action), blankToNull(outcome), instant("from", from),
                instant("to", to));
        return audit.query(q, Page.limit(limit), cursor);
    }

    @GET
    @Path("/verify")
    public AuditVerification verify() {
        access.check(VERIFY, "audit");
        return audit.verify();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest(name + " must be an ISO-8601 instant such as 2026-11-01T00:00:00Z, was '"
                    + (value.length() > 40 ? value.substring(0, 40) + "…" : value) + "'");
        }
    }
}

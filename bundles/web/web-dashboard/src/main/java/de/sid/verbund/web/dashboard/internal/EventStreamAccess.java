package de.sid.verbund.web.dashboard.internal;

import de.sid.verbund.core.Problem;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * The permission check of {@code GET /api/dashboard/events}, made before the resource method:
 * CXF's server-sent event sink, injected into the method, sends the response's status and
 * headers when it is made, and with them the response filters run, which unbind the caller
 * (security-shiro's authentication filter); a check in the method would find nobody. So this
 * filter runs after authentication ({@link Priorities#AUTHORIZATION}) and refuses a caller
 * without {@code monitoring:read:platform} and {@code alarms:read:platform} (403, a problem
 * body; audited by {@link AccessControl}).
 */
@Component(service = javax.ws.rs.container.ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName("verbund.dashboard.events-access")
@JaxrsApplicationSelect(RestApplication.SELECT)
@PreMatching
@Priority(Priorities.AUTHORIZATION)
public class EventStreamAccess implements ContainerRequestFilter {
    static final String PATH = "dashboard/events";
    private final AccessControl access;

    @Activate
    public EventStreamAccess(@Reference AccessControl access) {
        this.access = access;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        // by decoded path segments without their matrix parameters: the resource matches
        // "dashboard;x=1/events" and "dashboard//events" too, so comparing the raw path would let them pass
        String path = request.getUriInfo().getPathSegments(true).stream().map(javax.ws.rs.core.PathSegment::getPath)
                .filter(seg -> !seg.isEmpty()).collect(java.util.stream.Collectors.joining("/"));
        if (!path.equals(PATH)) {
            return;
        }
        try {
            check(access);
        } catch (ProblemException e) {
            request.abortWith(Response.status(e.type().status()).type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(e, RestApplication.BASE + "/" + PATH)).build());
        }
    }

    /** @throws ProblemException FORBIDDEN (or UNAUTHORIZED) unless the caller may watch the dashboard */
    static void check(AccessControl access) {
        access.check(DashboardResource.MONITORING_READ, "dashboard events");
        access.check(DashboardResource.ALARMS_READ, "dashboard events");
    }
}

package de.sid.verbund.rest.core.internal;

import de.sid.verbund.core.health.HealthIndicator;
import de.sid.verbund.core.health.HealthReport;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /api/health}: the node's health. 200 when UP or DEGRADED, 503 when DOWN, so load
 * balancers can probe it without credentials. Anonymous callers and authority users get the
 * overall status only; SID staff ({@code health:read:platform}) get one entry per
 * {@link HealthIndicator} with its details.
 */
@Component(service = HealthResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/health")
public class HealthResource {
    private final List<HealthIndicator> indicators = new CopyOnWriteArrayList<>();
    private final AccessControl access;

    @Activate
    public HealthResource(@Reference AccessControl access) {
        this.access = access;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addIndicator(HealthIndicator indicator) {
        indicators.add(indicator);
    }

    void removeIndicator(HealthIndicator indicator) {
        indicators.remove(indicator);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response health() {
        HealthReport report = HealthReport.of(indicators);
        int status = report.status() == HealthStatus.DOWN ? 503 : 200;
        if (access.isPermitted("health:read:platform")) {
            return Response.status(status).entity(report).build();
        }
        return Response.status(status).entity(java.util.Map.of("status", report.status())).build();
    }
}

package de.sid.verbund.compute.rest.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.PlacementDecision;
import de.sid.verbund.compute.PlacementRequest;
import de.sid.verbund.compute.PlacementStrategy;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import javax.ws.rs.Consumes;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code POST /api/placement/dry-run}: where a VM would go now and why not elsewhere. Changes nothing. */
@Component(service = PlacementResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/placement")
@Produces(MediaType.APPLICATION_JSON)
public class PlacementResource {
    private final ComputeService compute;
    private final AccessControl access;

    @Activate
    public PlacementResource(@Reference ComputeService compute, @Reference AccessControl access) {
        this.compute = compute;
        this.access = access;
    }

    /** The size to place; {@code tenantId} is the owning authority (needed with an anti-affinity group). */
    public record DryRun(Integer vcpu, Long ramMib, Integer diskGib, String antiAffinityGroup, String site,
            PlacementStrategy strategy, String tenantId) {
    }

    @POST
    @Path("/dry-run")
    @Consumes(MediaType.APPLICATION_JSON)
    public PlacementDecision dryRun(DryRun body) {
        access.check("compute:read:platform", "placement");
        if (body == null || body.vcpu() == null || body.ramMib() == null || body.diskGib() == null) {
            throw ProblemException.badRequest("request body required: {vcpu, ramMib, diskGib, antiAffinityGroup, site, strategy}");
        }
        if (body.vcpu() < 1 || body.ramMib() < 1 || body.diskGib() < 1) {
            throw ProblemException.badRequest("vcpu, ramMib and diskGib must be at least 1");
        }
        return compute.dryRun(new PlacementRequest(body.vcpu(), body.ramMib(), body.diskGib(), body.antiAffinityGroup(),
                body.site(), body.strategy()), body.tenantId());
    }
}

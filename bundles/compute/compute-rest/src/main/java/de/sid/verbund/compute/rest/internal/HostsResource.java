package de.sid.verbund.compute.rest.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Evacuation;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/** {@code /api/hosts}: hypervisor hosts, for SID staff ({@code compute:read|write:platform}). */
@Component(service = HostsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/hosts")
@Produces(MediaType.APPLICATION_JSON)
public class HostsResource {
    static final String READ = "compute:read:platform";
    /** Operator actions: hosts, and moving VMs between them. */
    static final String WRITE = "compute:write:platform";

    private final ComputeService compute;
    private final AccessControl access;

    @Activate
    public HostsResource(@Reference ComputeService compute, @Reference AccessControl access) {
        this.compute = compute;
        this.access = access;
    }

    /** Maintenance switch. */
    public record Maintenance(Boolean maintenance) {
    }

    @GET
    public List<Host> list() {
        access.check(READ, "hosts");
        return compute.hosts();
    }

    @GET
    @Path("/{id}")
    public Host get(@PathParam("id") String id) {
        access.check(READ, "host " + id);
        return compute.host(id).orElseThrow(() -> ProblemException.notFound("no host " + id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(NewHost body) {
        access.check(WRITE, "hosts");
        if (body == null) {
            throw ProblemException.badRequest("request body required: {name, uri, site, cpuOvercommit, ramOvercommit, ramReserveMib}");
        }
        Host h = compute.registerHost(body);
        return Response.status(Response.Status.CREATED).header("Location", RestApplication.BASE + "/hosts/" + h.id())
                .entity(h).build();
    }

    /** Whose VM an adopted domain becomes. */
    public record Adopt(String tenantId, String name) {
    }

    @GET
    @Path("/{id}/unmanaged")
    public List<de.sid.verbund.compute.spi.DomainInfo> unmanaged(@PathParam("id") String id) {
        access.check(READ, "host " + id);
        return compute.unmanagedDomains(id);
    }

    @POST
    @Path("/{id}/unmanaged/{uuid}/adopt")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response adopt(@PathParam("id") String id, @PathParam("uuid") String uuid, Adopt body) {
        access.check(WRITE, "host " + id);
        if (body == null || body.tenantId() == null) {
            throw ProblemException.badRequest("request body required: {tenantId, name}");
        }
        var vm = compute.adoptDomain(id, uuid, body.tenantId(), body.name());
        return Response.status(Response.Status.CREATED).header("Location", RestApplication.BASE + "/vms/" + vm.id())
                .entity(vm).build();
    }

    @POST
    @Path("/{id}/maintenance")
    @Consumes(MediaType.APPLICATION_JSON)
    public Host maintenance(@PathParam("id") String id, Maintenance body) {
        access.check(WRITE, "host " + id);
        if (body == null || body.maintenance() == null) {
            throw ProblemException.badRequest("request body required: {\"maintenance\": true|false}");
        }
        return compute.setMaintenance(id, body.maintenance());
    }

    @POST
    @Path("/{id}/evacuate")
    public Evacuation evacuate(@PathParam("id") String id) {
        access.check(WRITE, "host " + id);
        return compute.evacuate(id);
    }
}

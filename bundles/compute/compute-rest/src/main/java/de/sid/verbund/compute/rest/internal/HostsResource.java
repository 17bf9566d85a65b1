package de.sid.verbund.compute.rest.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Evacuation;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostLoad;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import java.math.BigDecimal;
import java.time.Instant;
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

/**
 * {@code /api/hosts}: hypervisor hosts with what is allocated on them and their capacity after
 * overcommit and reserve, for SID staff ({@code compute:read|write:platform}).
 */
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

    /** vCPUs, MiB of RAM and GiB of disk. */
    public record Figures(long vcpu, long ramMib, long diskGib) {
    }

    /**
     * A host as the API shows it: the {@link Host} fields, what is allocated on it now
     * ({@code allocated}: VMs in every state but DELETED and FAILED, and open reservations) and
     * what may be allocated ({@code capacity}: vCPUs {@code floor(cpuCores × cpuOvercommit)}, RAM
     * {@code floor((ramMib − ramReserveMib) × ramOvercommit)}, disk the pool's size), the figures
     * placement checks. {@code allocated} may exceed {@code capacity} after an operator lowered
     * an overcommit ratio.
     */
    public record HostView(String id, String name, String uri, String site, int cpuCores, long ramMib, long diskGib,
            BigDecimal cpuOvercommit, BigDecimal ramOvercommit, long ramReserveMib, HostState state, Instant createdAt,
            Figures allocated, Figures capacity) {
        static HostView of(HostLoad load) {
            Host h = load.host();
            return new HostView(h.id(), h.name(), h.uri(), h.site(), h.cpuCores(), h.ramMib(), h.diskGib(),
                    h.cpuOvercommit(), h.ramOvercommit(), h.ramReserveMib(), h.state(), h.createdAt(),
                    new Figures(load.vcpu(), load.ramMib(), load.diskGib()),
                    new Figures(h.vcpuCapacity(), h.ramCapacityMib(), h.diskGib()));
        }
    }

    @GET
    public List<HostView> list() {
        access.check(READ, "hosts");
        return compute.hostLoads().stream().map(HostView::of).toList();
    }

    @GET
    @Path("/{id}")
    public HostView get(@PathParam("id") String id) {
        access.check(READ, "host " + id);
        return view(compute.host(id).orElseThrow(() -> ProblemException.notFound("no host " + id)));
    }

    /** The host with its current allocation (a host just registered or changed holds what it held). */
    private HostView view(Host host) {
        return compute.hostLoads().stream().filter(l -> l.host().id().equals(host.id())).findFirst()
                .map(l -> HostView.of(new HostLoad(host, l.vcpu(), l.ramMib(), l.diskGib(), l.antiAffinityGroups())))
                .orElseGet(() -> HostView.of(new HostLoad(host, 0, 0, 0, java.util.Set.of())));
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
                .entity(view(h)).build();
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
    public HostView maintenance(@PathParam("id") String id, Maintenance body) {
        access.check(WRITE, "host " + id);
        if (body == null || body.maintenance() == null) {
            throw ProblemException.badRequest("request body required: {\"maintenance\": true|false}");
        }
        return view(compute.setMaintenance(id, body.maintenance()));
    }

    @POST
    @Path("/{id}/evacuate")
    public Evacuation evacuate(@PathParam("id") String id) {
        access.check(WRITE, "host " + id);
        return compute.evacuate(id);
    }
}

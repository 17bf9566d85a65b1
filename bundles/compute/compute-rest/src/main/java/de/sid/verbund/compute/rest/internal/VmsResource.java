package de.sid.verbund.compute.rest.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.PlacementStrategy;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.Caller;
import de.sid.verbund.security.Permissions;
import java.util.Arrays;
import java.util.Locale;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
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
 * {@code /api/vms}: virtual machines. Authority users see and operate (start, stop, reboot,
 * snapshots) only their own authority's VMs ({@code compute:read|write:<authority>}); creating,
 * resizing and deleting need {@code compute:provision:<authority>}, which only SID staff hold:
 * authorities order, resize and decommission VMs through the catalogue's orders, where quotas,
 * budgets and approvals apply. They read the VMs of the authorities
 * below it (oversight, {@code ?tenantId=}); another authority's VM is answered as unknown (404). SID staff with {@code compute:read:*} see all and may filter by tenant,
 * host and state. Migration is an operator action ({@code compute:write:platform}, like the host
 * actions of {@link HostsResource}), refused (403) to authority users, also for their own VMs.
 */
@Component(service = VmsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/vms")
@Produces(MediaType.APPLICATION_JSON)
public class VmsResource {
    /** The action of creating, resizing and deleting VMs, held by SID staff only. */
    static final String PROVISION = "provision";
    private final ComputeService compute;
    private final AccessControl access;

    @Activate
    public VmsResource(@Reference ComputeService compute, @Reference AccessControl access) {
        this.compute = InfrastructureRedaction.wrap(compute, access);
        this.access = access;
    }

    /** A VM to create; {@code tenantId} defaults to the caller's authority. */
    public record CreateVm(String name, String tenantId, String offeringId, Integer vcpu, Long ramMib, Integer diskGib,
            String image, String antiAffinityGroup, String site, PlacementStrategy strategy) {
    }

    @GET
    public Page<Vm> list(@QueryParam("tenantId") String tenantId, @QueryParam("hostId") String hostId,
            @QueryParam("state") String state, @QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        Caller caller = access.requireCaller();
        String tenant = tenantId == null ? null : Ids.parse(tenantId).toString();
        if (!access.isPermitted("compute:read:*")) {
            if (caller.authorityId() == null) {
                access.check("compute:read:*", "vms");
            }
            if (tenant != null && !tenant.equals(caller.authorityId())) {
                // an authority below the caller's (oversight), else refused
                access.check(Permissions.of("compute", "read", tenant), "vms");
            } else {
                tenant = caller.authorityId();
                access.check(Permissions.of("compute", "read", tenant), "vms");
            }
        }
        return compute.vms(new VmFilter(tenant, hostId, parseState(state)), Page.limit(limit), cursor);
    }

    private static VmState parseState(String state) {
        if (state == null || state.isBlank()) {
            return null;
        }
        try {
            return VmState.valueOf(state.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("state must be one of " + Arrays.toString(VmState.values()));
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateVm body) {
        Caller caller = access.requireCaller();
        if (body == null || body.vcpu() == null || body.ramMib() == null || body.diskGib() == null) {
            throw ProblemException.badRequest("request body required: {name, vcpu, ramMib, diskGib, image, tenantId, …}");
        }
        String tenant = body.tenantId() != null ? Ids.parse(body.tenantId()).toString() : caller.authorityId();
        if (tenant == null) {
            throw ProblemException.badRequest("tenantId is required (the authority that owns the VM)");
        }
        access.check(Permissions.of("compute", PROVISION, tenant), "vms");
        Vm vm = compute.createVm(new VmRequest(body.name(), tenant, body.offeringId(), body.vcpu(), body.ramMib(),
                body.diskGib(), body.image(), body.antiAffinityGroup(), body.site(), body.strategy()));
        return Response.status(Response.Status.CREATED).header("Location", RestApplication.BASE + "/vms/" + vm.id())
                .entity(vm).build();
    }

    @GET
    @Path("/{id}")
    public Vm get(@PathParam("id") String id) {
        return visible(id);
    }

    private Vm visible(String id) {
        Vm vm = compute.vm(id).orElseThrow(() -> ProblemException.notFound("no VM " + id));
        access.checkVisible(Permissions.of("compute", "read", vm.tenantId()), "VM " + id);
        return vm;
    }

    /** A visible VM the caller may operate (start, stop, reboot, snapshots): {@code compute:write:<tenant>}. */
    private Vm writable(String id) {
        return permitted(id, "write");
    }

    /**
     * A visible VM the caller may provision (resize, delete): {@code compute:provision:<tenant>}.
     * Authority roles lack it: their VMs are created, resized and decommissioned through orders,
     * where quota and approvals apply.
     */
    private Vm provisionable(String id) {
        return permitted(id, PROVISION);
    }

    private Vm permitted(String id, String action) {
        Vm vm = visible(id);
        access.check(Permissions.of("compute", action, vm.tenantId()), "VM " + id);
        return vm;
    }

    @POST
    @Path("/{id}/start")
    public Vm start(@PathParam("id") String id) {
        return compute.start(writable(id).id());
    }

    @POST
    @Path("/{id}/stop")
    public Vm stop(@PathParam("id") String id) {
        return compute.stop(writable(id).id());
    }

    @POST
    @Path("/{id}/reboot")
    public Vm reboot(@PathParam("id") String id) {
        return compute.reboot(writable(id).id());
    }

    @DELETE
    @Path("/{id}")
    public Vm delete(@PathParam("id") String id) {
        return compute.delete(provisionable(id).id());
    }

    /** A new size for a stopped VM. */
    public record Resize(Integer vcpu, Long ramMib) {
    }

    /** A snapshot to take. */
    public record NewSnapshot(String name) {
    }

    @POST
    @Path("/{id}/resize")
    @Consumes(MediaType.APPLICATION_JSON)
    public Vm resize(@PathParam("id") String id, Resize body) {
        Vm vm = provisionable(id);
        if (body == null || body.vcpu() == null || body.ramMib() == null) {
            throw ProblemException.badRequest("request body required: {vcpu, ramMib}");
        }
        return compute.resize(vm.id(), body.vcpu(), body.ramMib());
    }

    /** Where to migrate a VM; no target: placement chooses. */
    public record Migrate(String targetHostId) {
    }

    @POST
    @Path("/{id}/migrate")
    @Consumes(MediaType.APPLICATION_JSON)
    public Vm migrate(@PathParam("id") String id, Migrate body) {
        access.check(HostsResource.WRITE, "VM " + id);
        return compute.migrate(id, body == null ? null : body.targetHostId());
    }

    @GET
    @Path("/{id}/snapshots")
    public java.util.List<de.sid.verbund.compute.spi.Snapshot> snapshots(@PathParam("id") String id) {
        return compute.snapshots(visible(id).id());
    }

    @POST
    @Path("/{id}/snapshots")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createSnapshot(@PathParam("id") String id, NewSnapshot body) {
        Vm vm = writable(id);
        if (body == null) {
            throw ProblemException.badRequest("request body required: {name}");
        }
        var snap = compute.createSnapshot(vm.id(), body.name());
        return Response.status(Response.Status.CREATED)
                .header("Location", RestApplication.BASE + "/vms/" + vm.id() + "/snapshots/" + snap.name()).entity(snap).build();
    }

    @POST
    @Path("/{id}/snapshots/{name}/revert")
    public Vm revertSnapshot(@PathParam("id") String id, @PathParam("name") String name) {
        return compute.revertSnapshot(writable(id).id(), name);
    }

    @DELETE
    @Path("/{id}/snapshots/{name}")
    public Response deleteSnapshot(@PathParam("id") String id, @PathParam("name") String name) {
        compute.deleteSnapshot(writable(id).id(), name);
        return Response.noContent().build();
    }
}

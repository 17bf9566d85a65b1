package de.sid.verbund.monitoring.rest.internal;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.DevicePoller;
import de.sid.verbund.monitoring.inventory.DeviceState;
import de.sid.verbund.monitoring.inventory.DeviceStatus;
import de.sid.verbund.monitoring.inventory.DeviceWalk;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.security.AccessControl;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/devices}: the SNMP devices Verbund polls, for SID staff ({@code monitoring:read|write:platform}:
 * monitoring staff, operators, admins). Authority users are refused (403).
 */
@Component(service = DevicesResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/devices")
@Produces(MediaType.APPLICATION_JSON)
public class DevicesResource {
    static final String READ = "monitoring:read:platform";
    static final String WRITE = "monitoring:write:platform";
    /** The longest a "poll now" or walk request waits: beyond any device's timeouts and retries on a sane walk. */
    static final long POLL_WAIT_S = 120;
    /** Rows of a walk when the request names no limit. */
    static final int WALK_DEFAULT_LIMIT = 1000;

    private final DeviceInventory inventory;
    private final AccessControl access;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DevicePoller poller;

    @Activate
    public DevicesResource(@Reference DeviceInventory inventory, @Reference AccessControl access) {
        this.inventory = inventory;
        this.access = access;
    }

    @GET
    public Page<Device> list(@QueryParam("limit") String limit, @QueryParam("cursor") String cursor) {
        access.check(READ, "devices");
        return inventory.devices(Page.limit(limit), cursor == null || cursor.isEmpty() ? null : cursor);
    }

    /** The device with its current state; without a poller only the device. */
    @GET
    @Path("/{id}")
    public DeviceDetail get(@PathParam("id") String id) {
        access.check(READ, "device " + id);
        Device d = device(id);
        DevicePoller p = poller;
        if (p == null) {
            return DeviceDetail.of(d, null);
        }
        return DeviceDetail.of(d, p.state(d.id()).orElse(new DeviceState(notPolled(d), List.of(), List.of(), null)));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewDevice body) {
        access.check(WRITE, "devices");
        DevicePoller.requireKnownProfiles(poller, body == null ? null : body.profiles());
        Device d = inventory.createDevice(body);
        return Response.status(Response.Status.CREATED).header("Location", RestApplication.BASE + "/devices/" + d.id())
                .entity(d).build();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        access.check(WRITE, "device " + id);
        inventory.deleteDevice(id);
        return Response.noContent().build();
    }

    /** Polls the device now and answers with the outcome (200 also when the device does not answer: {@code up} false). */
    @POST
    @Path("/{id}/poll")
    public PollSummary poll(@PathParam("id") String id) {
        access.check(WRITE, "device " + id);
        Device d = device(id);
        DevicePoller p = runningPoller();
        try {
            return p.pollNow(d).toCompletableFuture().get(POLL_WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.UNAVAILABLE, "poll of device " + d.name() + " interrupted");
        } catch (TimeoutException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "poll of device " + d.name() + " took longer than "
                    + POLL_WAIT_S + " s; it goes on in the background");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProblemException pe) {
                throw pe;
            }
            throw new ProblemException(ProblemType.INTERNAL, "poll of device " + d.name() + " failed: "
                    + e.getCause().getMessage(), java.util.List.of(), e.getCause());
        }
    }

    /** What the poller knows of the device: up, last poll, sysDescr, uptime, problem. */
    @GET
    @Path("/{id}/status")
    public DeviceStatus status(@PathParam("id") String id) {
        access.check(READ, "device " + id);
        Device d = device(id);
        DevicePoller p = runningPoller();
        return p.status(d.id()).orElse(notPolled(d));
    }

    private static DeviceStatus notPolled(Device d) {
        return new DeviceStatus(d.id(), d.name(), false, false, null, 0, 0, 0, null, null, null, 0, null);
    }

    /**
     * Walks a subtree of the device now and answers with its rows (200 also when the device does
     * not answer: {@code end} TIMEOUT).
     *
     * @param oid the subtree, dotted, e.g. {@code 1.3.6.1.2.1.2.2.1.2}; default the system group {@code 1.3.6.1.2.1.1}
     * @param limit most rows, 1 to {@value DevicePoller#MAX_WALK_ROWS}; default {@value #WALK_DEFAULT_LIMIT}
     */
    @GET
    @Path("/{id}/walk")
    public DeviceWalk walk(@PathParam("id") String id, @QueryParam("oid") String oid, @QueryParam("limit") String limit) {
        access.check(READ, "device " + id);
        Device d = device(id);
        Oid root = oid(oid);
        int rows = walkLimit(limit);
        DevicePoller p = runningPoller();
        return await(p.walk(d, root, rows), "walk of device " + d.name());
    }

    /** @throws ProblemException UNAVAILABLE without a poller installed */
    private DevicePoller runningPoller() {
        DevicePoller p = poller;
        if (p == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "device polling is not running (no poller installed)");
        }
        return p;
    }

    /** What a walk without {@code oid} reads: the system group (RFC 3418), as the shell's device-walk. */
    static final Oid SYSTEM_GROUP = Oid.parse("1.3.6.1.2.1.1");

    /** @return the subtree to walk: the given dotted OID (a leading dot allowed), the system group when none */
    static Oid oid(String text) {
        if (text == null || text.isBlank()) {
            return SYSTEM_GROUP;
        }
        try {
            return Oid.parse(text.trim().startsWith(".") ? text.trim().substring(1) : text.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("oid '" + (text.length() > 60 ? text.substring(0, 60) + "…" : text)
                    .replaceAll("\\p{Cntrl}", "?") + "' is not a dotted OID such as 1.3.6.1.2.1.1");
        }
    }

    static int walkLimit(String text) {
        if (text == null || text.isEmpty()) {
            return WALK_DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(text);
            if (n >= 1 && n <= DevicePoller.MAX_WALK_ROWS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("limit must be 1 to " + DevicePoller.MAX_WALK_ROWS + ", was '"
                + (text.length() > 20 ? text.substring(0, 20) + "…" : text) + "'");
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage, String what) {
        try {
            return stage.toCompletableFuture().get(POLL_WAIT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.UNAVAILABLE, what + " interrupted");
        } catch (TimeoutException e) {
            throw new ProblemException(ProblemType.UNAVAILABLE, what + " took longer than " + POLL_WAIT_S + " s");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ProblemException pe) {
                throw pe;
            }
            throw new ProblemException(ProblemType.INTERNAL, what + " failed: " + e.getCause().getMessage(),
                    java.util.List.of(), e.getCause());
        }
    }

    private Device device(String id) {
        return inventory.device(id).orElseThrow(() -> ProblemException.notFound("no device " + id));
    }
}

package de.sid.verbund.monitoring.rest.internal;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.security.AccessControl;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
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
 * {@code /api/credentials}: SNMP credentials, for SID staff. Secrets go in with a create and never
 * come out: every answer is a {@link Credential}, which has no field for them.
 */
@Component(service = CredentialsResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/credentials")
@Produces(MediaType.APPLICATION_JSON)
public class CredentialsResource {
    private final DeviceInventory inventory;
    private final AccessControl access;

    @Activate
    public CredentialsResource(@Reference DeviceInventory inventory, @Reference AccessControl access) {
        this.inventory = inventory;
        this.access = access;
    }

    @GET
    public List<Credential> list() {
        access.check(DevicesResource.READ, "credentials");
        return inventory.credentials();
    }

    @GET
    @Path("/{id}")
    public Credential get(@PathParam("id") String id) {
        access.check(DevicesResource.READ, "credential " + id);
        return inventory.credential(id).orElseThrow(() -> ProblemException.notFound("no credential " + id));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(NewCredential body) {
        access.check(DevicesResource.WRITE, "credentials");
        Credential c = inventory.createCredential(body);
        return Response.status(Response.Status.CREATED).header("Location", RestApplication.BASE + "/credentials/" + c.id())
                .entity(c).build();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        access.check(DevicesResource.WRITE, "credential " + id);
        inventory.deleteCredential(id);
        return Response.noContent().build();
    }
}

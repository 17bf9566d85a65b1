package de.sid.verbund.cluster.rest.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.cluster.ClusterStatus;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import de.sid.verbund.security.AccessControl;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code GET /api/cluster}: the cluster as the answering node sees it (members, uptime, quorum, and
 * which member owns which hosts and devices), for SID staff ({@value #READ}: operators,
 * monitoring staff, admins). Authority users are refused (403).
 */
@Component(service = ClusterResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {
    static final String READ = "cluster:read:platform";

    private final ClusterService cluster;
    private final AccessControl access;
    private final Clock clock;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ComputeService compute;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile DeviceInventory devices;

    @Activate
    public ClusterResource(@Reference ClusterService cluster, @Reference AccessControl access) {
        this(cluster, access, Clock.systemUTC());
    }

    ClusterResource(ClusterService cluster, AccessControl access, Clock clock) {
        this.cluster = cluster;
        this.access = access;
        this.clock = clock;
    }

    @GET
    public ClusterStatus get() {
        access.check(READ, "cluster");
        Map<String, String> hosts = new LinkedHashMap<>();
        ComputeService c = compute;
        if (c != null) {
            for (Host h : c.hosts()) {
                hosts.put(h.id(), h.name());
            }
        }
        Map<String, String> deviceNames = new LinkedHashMap<>();
        DeviceInventory d = devices;
        if (d != null) {
            for (Device device : d.allDevices()) {
                deviceNames.put(device.id(), device.name());
            }
        }
        return ClusterStatus.of(cluster, hosts, deviceNames, clock.instant());
    }
}

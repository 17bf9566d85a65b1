package de.sid.verbund.cluster.rest.internal;

import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.core.rest.RestApplication;
import java.util.Set;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * Split-brain protection of the API: on a node without quorum ({@link ClusterService#hasQuorum()},
 * fewer members seen than {@code min.cluster.size}) every state-changing request (POST, PUT, PATCH,
 * DELETE) under {@code /api} is answered 503 with an RFC 9457 problem of type
 * {@code urn:verbund:problem:no-quorum} naming the members seen and required. Reads (GET, HEAD)
 * keep working, and so do the requests in {@link #EXEMPT}: those that change nothing or only sign
 * the caller in. Runs after authentication, so anonymous callers still get 401 first.
 */
@Component(service = ContainerRequestFilter.class)
@JaxrsExtension
@JaxrsName("verbund.quorum")
@JaxrsApplicationSelect(RestApplication.SELECT)
@PreMatching
@Priority(Priorities.AUTHORIZATION)
public class QuorumFilter implements ContainerRequestFilter {
    static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    /**
     * Paths (below {@code /api}, as prefixes) whose writes run without quorum: a placement dry run
     * (computes, stores nothing), API tokens of one's own (signing in) and web UI sessions.
     */
    static final Set<String> EXEMPT = Set.of("placement/dry-run", "users/me/tokens", "session", "login", "logout");

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ClusterService cluster;

    @Override
    public void filter(ContainerRequestContext request) {
        ClusterService c = cluster;
        if (c == null || !WRITES.contains(request.getMethod())) {
            return;
        }
        String path = trim(request.getUriInfo().getPath());
        if (EXEMPT.stream().anyMatch(e -> path.equals(e) || path.startsWith(e + "/"))) {
            return;
        }
        c.requireQuorum(request.getMethod() + " " + RestApplication.BASE + "/" + path);
    }

    private static String trim(String p) {
        String s = p == null ? "" : p;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        return s;
    }
}

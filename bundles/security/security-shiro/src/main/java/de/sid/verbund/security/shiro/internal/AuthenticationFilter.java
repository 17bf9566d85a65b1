package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.core.Problem;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.security.Caller;
import java.util.Set;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import org.apache.shiro.subject.Subject;
import org.apache.shiro.util.ThreadContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

/**
 * Protects every path of the Verbund API: authenticates the {@code Authorization} header
 * (HTTP Basic or Bearer API token) through Shiro and binds the subject to the request thread;
 * answers 401 with a problem body otherwise. {@code GET /api/openapi.json} is public, and
 * {@code GET /api/health} answers anonymous callers too (with the overall status only; also
 * when credentials cannot be checked because the database is down, so probes see 503 DOWN
 * rather than an error). Every state-changing request (POST, PUT, PATCH, DELETE), allowed or
 * not, is written to the audit log with its outcome and target (the created object's
 * {@code Location} when there is one).
 */
@Component(service = {ContainerRequestFilter.class, ContainerResponseFilter.class})
@JaxrsExtension
@JaxrsName("verbund.authentication")
@JaxrsApplicationSelect(RestApplication.SELECT)
@PreMatching
@Priority(Priorities.AUTHENTICATION)
public class AuthenticationFilter implements ContainerRequestFilter, ContainerResponseFilter {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    private static final String PUBLIC_PATH = "openapi.json";
    private static final String HEALTH_PATH = "health";
    private static final String CALLER = "verbund.caller";

    private final RequestAuthenticator authenticator;
    private final AuditLog audit;

    @Activate
    public AuthenticationFilter(@Reference RequestAuthenticator authenticator, @Reference AuditLog audit) {
        this.authenticator = authenticator;
        this.audit = audit;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        ThreadContext.unbindSubject();
        String path = trim(request.getUriInfo().getPath());
        boolean read = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        if (path.equals(PUBLIC_PATH) && read) {
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean health = path.equals(HEALTH_PATH) && read;
        if (health && authorization == null) {
            return;
        }
        try {
            Subject subject = authenticator.authenticate(authorization);
            ThreadContext.bind(subject);
            request.setProperty(CALLER, subject.getPrincipals().oneByType(Caller.class).username());
        } catch (ProblemException e) {
            if (health && e.type() == ProblemType.UNAVAILABLE) {
                return;
            }
            request.abortWith(Response.status(e.type().status())
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Verbund\", charset=\"UTF-8\"")
                    .type(Problem.MEDIA_TYPE)
                    .entity(Problem.of(e, RestApplication.BASE + "/" + path))
                    .build());
        }
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        try {
            if (WRITES.contains(request.getMethod())) {
                String path = RestApplication.BASE + "/" + trim(request.getUriInfo().getPath());
                Object who = request.getProperty(CALLER);
                Object location = response.getHeaders().getFirst(HttpHeaders.LOCATION);
                audit.record(who == null ? "anonymous" : who.toString(), request.getMethod() + " " + path,
                        location == null ? path : pathOf(location.toString()), outcome(response.getStatus()), "");
            }
        } finally {
            ThreadContext.unbindSubject();
        }
    }

    static String outcome(int status) {
        if (status < 400) {
            return "SUCCESS " + status;
        }
        if (status == 401 || status == 403) {
            return "DENIED " + status;
        }
        return (status < 500 ? "FAILED " : "ERROR ") + status;
    }

    private static String pathOf(String uri) {
        try {
            String p = java.net.URI.create(uri).getPath();
            return p == null ? uri : p;
        } catch (IllegalArgumentException e) {
            return uri;
        }
    }

    private static String trim(String p) {
        String s = p == null ? "" : p;
        while (s.startsWith("/")) {
            s = s.substring(1);
        }
        return s;
    }
}

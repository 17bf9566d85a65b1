package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.core.Problem;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.security.Caller;
import de.sid.verbund.security.WebSessions;
import java.util.Set;
import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.Cookie;
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
 * (HTTP Basic or Bearer API token) or, without one, the web session cookie
 * ({@value WebSessions#COOKIE}) through Shiro and binds the subject to the request thread;
 * answers 401 with a problem body otherwise. {@code POST /api/session} (the web login) is
 * public. A state-changing request authenticated by the cookie must carry
 * {@code X-Requested-With} (which a cross-site form cannot send, and cross-site scripts only
 * after a CORS preflight that Verbund never grants) and, when the browser sends {@code Origin},
 * come from the API's own origin; otherwise 403 (CSRF defence on top of the cookie's
 * {@code SameSite=Strict}; OWASP CSRF Prevention Cheat Sheet, "custom request headers"). {@code GET /api/openapi.json} is public, and
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
    private static final String LOGIN_PATH = "session";
    /** The header a cookie-authenticated write must carry (any value): see the class comment. */
    static final String CSRF_HEADER = "X-Requested-With";
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
        Cookie cookie = request.getCookies().get(WebSessions.COOKIE);
        String session = authorization == null && cookie != null && !cookie.getValue().isBlank() ? cookie.getValue() : null;
        if (path.equals(LOGIN_PATH) && request.getMethod().equals("POST")) {
            if (!sameOrigin(request)) {
                abort(request, path, new ProblemException(ProblemType.FORBIDDEN, "cross-site login refused"));
            }
            return;
        }
        if (health && authorization == null && session == null) {
            return;
        }
        if (session != null && !read && !request.getMethod().equals("OPTIONS") && !sameOrigin(request)) {
            abort(request, path, new ProblemException(ProblemType.FORBIDDEN, "cross-site request refused: a write "
                    + "with the web session cookie needs the " + CSRF_HEADER + " header and this site's Origin"));
            return;
        }
        try {
            Subject subject = session != null ? authenticator.authenticateSession(session) : authenticator.authenticate(authorization);
            ThreadContext.bind(subject);
            request.setProperty(CALLER, subject.getPrincipals().oneByType(Caller.class).username());
        } catch (ProblemException e) {
            if (health && e.type() == ProblemType.UNAVAILABLE) {
                return;
            }
            abort(request, path, e);
        }
    }

    /**
     * A 401 (with a Basic challenge, except for the web UI's requests, where the browser's own
     * login dialog must not pop up) or another problem status.
     */
    private static void abort(ContainerRequestContext request, String path, ProblemException e) {
        Response.ResponseBuilder r = Response.status(e.type().status()).type(Problem.MEDIA_TYPE)
                .entity(Problem.of(e, RestApplication.BASE + "/" + path));
        if (e.type().status() == 401 && request.getHeaderString(CSRF_HEADER) == null) {
            r.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Verbund\", charset=\"UTF-8\"");
        }
        request.abortWith(r.build());
    }

    /**
     * Whether a browser request comes from this site: it carries {@value #CSRF_HEADER}, and its
     * {@code Origin}, when present, names the host the request was sent to.
     */
    static boolean sameOrigin(ContainerRequestContext request) {
        if (request.getHeaderString(CSRF_HEADER) == null) {
            return false;
        }
        String origin = request.getHeaderString("Origin");
        if (origin == null) {
            return true;
        }
        String host = request.getHeaderString(HttpHeaders.HOST);
        try {
            java.net.URI o = java.net.URI.create(origin);
            String authority = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && authority != null && authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
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

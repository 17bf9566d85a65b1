package de.sid.verbund.security.rest.internal;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.Caller;
import de.sid.verbund.security.User;
import de.sid.verbund.security.UserService;
import de.sid.verbund.security.WebSessions;
import javax.ws.rs.Consumes;
import javax.ws.rs.CookieParam;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsResource;

/**
 * {@code /api/session}: the web application's login. {@code POST} checks user name and password
 * (the same check, lockout and audit as HTTP Basic) and sets the session cookie
 * ({@value WebSessions#COOKIE}: HttpOnly, SameSite=Strict, Path=/, Secure on HTTPS, no
 * Max-Age so it ends with the browser) with an opaque secret stored hashed in the database;
 * {@code GET} answers the signed-in user (401 without a session); {@code DELETE} ends the session
 * and clears the cookie. The login needs the {@code X-Requested-With} header (see the
 * authentication filter).
 */
@Component(service = SessionResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {
    private final WebSessions sessions;
    private final UserService users;
    private final AccessControl access;

    @Activate
    public SessionResource(@Reference WebSessions sessions, @Reference UserService users, @Reference AccessControl access) {
        this.sessions = sessions;
        this.users = users;
        this.access = access;
    }

    /** A login: user name and password. */
    public record Login(String username, String password) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(Login body, @Context UriInfo uri, @HeaderParam("X-Forwarded-Proto") String forwardedProto) {
        if (body == null || body.username() == null || body.username().isBlank() || body.password() == null
                || body.password().isEmpty()) {
            throw ProblemException.badRequest("user name and password expected");
        }
        WebSessions.WebSession s = sessions.open(body.username(), body.password());
        return Response.ok(s.user()).header("Set-Cookie", cookie(s.secret(), secure(uri, forwardedProto), false))
                .header("Cache-Control", "no-store").build();
    }

    @GET
    public User me() {
        Caller caller = access.requireCaller();
        return users.find(caller.userId()).orElseThrow(() -> ProblemException.notFound("no user " + caller.userId()));
    }

    @DELETE
    public Response logout(@CookieParam(WebSessions.COOKIE) String secret, @Context UriInfo uri,
            @HeaderParam("X-Forwarded-Proto") String forwardedProto) {
        access.requireCaller();
        sessions.close(secret);
        return Response.noContent().header("Set-Cookie", cookie("", secure(uri, forwardedProto), true)).build();
    }

    private static boolean secure(UriInfo uri, String forwardedProto) {
        return "https".equalsIgnoreCase(forwardedProto) || "https".equalsIgnoreCase(uri.getBaseUri().getScheme());
    }

    /** The Set-Cookie value (RFC 6265bis for SameSite); expired when clearing. */
    static String cookie(String value, boolean secure, boolean clear) {
        return WebSessions.COOKIE + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
                + (clear ? "; Max-Age=0" : "");
    }
}

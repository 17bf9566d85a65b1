package de.sid.verbund.security.rest.internal;

import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.rest.RestApplication;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.ApiToken;
import de.sid.verbund.security.Caller;
import de.sid.verbund.security.NewUser;
import de.sid.verbund.security.Permissions;
import de.sid.verbund.security.User;
import de.sid.verbund.security.UserService;
import java.time.Duration;
import java.util.Set;
import javax.ws.rs.Consumes;
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
 * {@code /api/users}: user accounts and API tokens. SID staff with {@code security:read:*} see
 * every user; an authority admin creates only users of their own authority; authority users
 * see their own authority's users and, for oversight, those of the authorities below it
 * ({@code ?authorityId=}); a user of another authority is answered as unknown (404). Everyone may read their own account
 * ({@code /me}), change their own password and manage their own API tokens, which needs the
 * current password. An admin of the user's authority (SID users: an admin with
 * {@code security:write:platform}) replaces a user's roles ({@code PUT /{id}/roles}) or deletes
 * the user; nobody changes their own roles or deletes themselves.
 */
@Component(service = UsersResource.class)
@JaxrsResource
@JaxrsApplicationSelect(RestApplication.SELECT)
@Path("/users")
@Produces(MediaType.APPLICATION_JSON)
public class UsersResource {
    private final UserService users;
    private final AccessControl access;

    @Activate
    public UsersResource(@Reference UserService users, @Reference AccessControl access) {
        this.users = users;
        this.access = access;
    }

    /** A request to create a user. */
    public record CreateUser(String username, String password, String authorityId, Set<String> roles) {
    }

    /**
     * A request to set a password. {@code currentPassword} is required when callers change their
     * own password (so a stolen API token cannot take the account over), not when an admin sets
     * someone else's.
     */
    public record PasswordChange(String currentPassword, String password) {
    }

    /**
     * A request for an API token; {@code validDays} 1..365 (default 90). {@code password} is the
     * caller's current password: a token cannot mint further tokens.
     */
    public record TokenRequest(String name, Integer validDays, String password) {
    }

    /** A request to replace a user's roles: one or more of {@code Roles.ALL}. */
    public record RoleChange(Set<String> roles) {
    }

    @GET
    public Page<User> list(@QueryParam("authorityId") String authorityId, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        Caller caller = access.requireCaller();
        String scope;
        if (access.isPermitted("security:read:*")) {
            scope = authorityId == null ? null : Ids.parse(authorityId).toString();
        } else if (caller.authorityId() != null
                && access.isPermitted(Permissions.of("security", "read", caller.authorityId()))) {
            scope = caller.authorityId();
            if (authorityId != null && !authorityId.equals(caller.authorityId())) {
                // an authority below the caller's (oversight), else refused
                scope = Ids.parse(authorityId).toString();
                access.check(Permissions.of("security", "read", scope), "users");
            }
        } else {
            access.check("security:read:*", "users");
            scope = null;
        }
        return users.list(scope, Page.limit(limit), cursor);
    }

    @GET
    @Path("/me")
    public User me() {
        Caller caller = access.requireCaller();
        return users.find(caller.userId()).orElseThrow(() -> ProblemException.notFound("no user " + caller.userId()));
    }

    @POST
    @Path("/me/password")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response changeOwnPassword(PasswordChange body) {
        return setPassword(access.requireCaller().userId(), body);
    }

    @GET
    @Path("/me/tokens")
    public java.util.List<ApiToken> tokens() {
        return users.tokens(access.requireCaller().userId());
    }

    @javax.ws.rs.DELETE
    @Path("/me/tokens/{tokenId}")
    public Response revokeToken(@PathParam("tokenId") String tokenId) {
        users.revokeToken(access.requireCaller().userId(), tokenId);
        return Response.noContent().build();
    }

    @GET
    @Path("/{id}")
    public User get(@PathParam("id") String id) {
        Ids.parse(id);
        User u = users.find(id).orElseThrow(() -> ProblemException.notFound("no user " + id));
        access.checkVisible(Permissions.of("security", "read", tenant(u)), "user " + id);
        return u;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(CreateUser body) {
        if (body == null) {
            throw ProblemException.badRequest("request body required: {username, password, roles, authorityId}");
        }
        String tenant = body.authorityId() == null ? Permissions.PLATFORM : Ids.parse(body.authorityId()).toString();
        access.check(Permissions.of("security", "write", tenant), "users");
        User created = users.create(new NewUser(body.username(), body.password(), body.authorityId(), body.roles()));
        return Response.status(Response.Status.CREATED).header("Location", RestApplication.BASE + "/users/" + created.id())
                .entity(created).build();
    }

    @POST
    @Path("/{id}/password")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response setPassword(@PathParam("id") String id, PasswordChange body) {
        String userId = Ids.parse(id).toString();
        Caller caller = access.requireCaller();
        User u = users.find(userId).orElseThrow(() -> ProblemException.notFound("no user " + id));
        if (body == null) {
            throw ProblemException.badRequest("request body required: {currentPassword, password}");
        }
        if (caller.userId().equals(userId)) {
            if (body.currentPassword() == null || !users.verifyPassword(userId, body.currentPassword())) {
                throw ProblemException.badRequest("currentPassword is missing or wrong");
            }
        } else {
            access.checkVisible(Permissions.of("security", "read", tenant(u)), "user " + id);
            access.check(Permissions.of("security", "write", tenant(u)), "user " + id);
        }
        users.setPassword(userId, body.password());
        return Response.noContent().build();
    }

    /**
     * Replaces a user's roles ({@code security:write:<user's authority>}, or {@code platform}
     * for SID users). Answers 403 for the caller's own roles (no self-escalation, no lock-out),
     * 404 for a user of an authority the caller cannot see, 400 with each problem for invalid
     * roles, 409 when it would take {@code sid-admin} from the last user holding it.
     */
    @javax.ws.rs.PUT
    @Path("/{id}/roles")
    @Consumes(MediaType.APPLICATION_JSON)
    public User setRoles(@PathParam("id") String id, RoleChange body) {
        User u = administered(id, "change their own roles");
        if (body == null) {
            throw ProblemException.badRequest("request body required: {roles}");
        }
        return users.setRoles(u.id(), body.roles());
    }

    /**
     * Deletes a user and the user's API tokens, with the permissions of {@link #setRoles}; 403 for
     * the caller's own account, 409 for the last user holding {@code sid-admin}.
     */
    @javax.ws.rs.DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        User u = administered(id, "delete themselves");
        users.delete(u.id());
        return Response.noContent().build();
    }

    /**
     * The user an admin acts on: unknown or invisible 404, the caller's own account 403 ({@code what}
     * names the refused act), then {@code security:write} on the user's authority (403).
     */
    private User administered(String id, String what) {
        String userId = Ids.parse(id).toString();
        Caller caller = access.requireCaller();
        User u = users.find(userId).orElseThrow(() -> ProblemException.notFound("no user " + id));
        access.checkVisible(Permissions.of("security", "read", tenant(u)), "user " + id);
        if (caller.userId().equals(userId)) {
            throw ProblemException.forbidden("users cannot " + what);
        }
        access.check(Permissions.of("security", "write", tenant(u)), "user " + id);
        return u;
    }

    @POST
    @Path("/me/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response createToken(TokenRequest body) {
        Caller caller = access.requireCaller();
        if (body == null) {
            throw ProblemException.badRequest("request body required: {name, validDays, password}");
        }
        if (body.password() == null || !users.verifyPassword(caller.userId(), body.password())) {
            throw ProblemException.badRequest("password (your current password) is missing or wrong");
        }
        int days = body.validDays() == null ? 90 : body.validDays();
        ApiToken token = users.createToken(caller.userId(), body.name(), Duration.ofDays(days));
        return Response.status(Response.Status.CREATED).entity(token).build();
    }

    private static String tenant(User u) {
        return u.authorityId() == null ? Permissions.PLATFORM : u.authorityId();
    }
}

package de.sid.verbund.testsupport;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.Caller;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Access control over a fixed set of {@code area:action:tenant} permissions with Shiro's wildcard
 * rule, for REST resource tests; refusals are recorded as {@code "permission target"}. The
 * role factories give the permissions security-shiro's {@code RolePermissions} gives those roles.
 */
public final class FakeAccess implements AccessControl {
    private final Caller caller;
    private final List<String> permissions;
    /** Refused checks, {@code "permission target"}. */
    public final List<String> refused = new ArrayList<>();

    public FakeAccess(Caller caller, List<String> permissions) {
        this.caller = caller;
        this.permissions = List.copyOf(permissions);
    }

    public static FakeAccess sidOperator() {
        return new FakeAccess(new Caller(UUID.randomUUID().toString(), "operator", null, Set.of("sid-operator")),
                List.of("health:read:*", "compute:*:*", "catalog:*:*", "monitoring:*:*", "alarms:*:*", "tenancy:read:*",
                        "security:read:*", "audit:read:*", "cluster:*:*"));
    }

    public static FakeAccess monitoring() {
        return new FakeAccess(new Caller(UUID.randomUUID().toString(), "monitor", null, Set.of("monitoring")),
                List.of("health:read:*", "monitoring:*:*", "alarms:*:*", "compute:read:*", "cluster:read:*"));
    }

    public static FakeAccess billingClerk() {
        return new FakeAccess(new Caller(UUID.randomUUID().toString(), "clerk", null, Set.of("billing-clerk")),
                List.of("health:read:*", "billing:*:*", "tenancy:read:*", "catalog:read:*"));
    }

    public static FakeAccess authorityUser(String authorityId) {
        return new FakeAccess(new Caller(UUID.randomUUID().toString(), "user", authorityId, Set.of("authority-user")),
                List.of("compute:read:" + authorityId, "compute:write:" + authorityId, "catalog:read:" + authorityId,
                        "catalog:order:" + authorityId,
                        "billing:read:" + authorityId, "tenancy:read:" + authorityId, "security:read:" + authorityId));
    }

    public static FakeAccess authorityAdmin(String authorityId) {
        return new FakeAccess(new Caller(UUID.randomUUID().toString(), "admin", authorityId, Set.of("authority-admin")),
                List.of("compute:read:" + authorityId, "compute:write:" + authorityId, "catalog:*:" + authorityId,
                        "billing:read:" + authorityId,
                        "tenancy:*:" + authorityId, "security:*:" + authorityId));
    }

    public static FakeAccess authorityViewer(String authorityId) {
        return new FakeAccess(new Caller(UUID.randomUUID().toString(), "viewer", authorityId, Set.of("authority-viewer")),
                List.of("*:read:" + authorityId));
    }

    @Override
    public Optional<Caller> caller() {
        return Optional.of(caller);
    }

    @Override
    public Caller requireCaller() {
        return caller;
    }

    @Override
    public boolean isPermitted(String permission) {
        return permissions.stream().anyMatch(held -> implies(held, permission));
    }

    @Override
    public void check(String permission, String target) {
        if (!isPermitted(permission)) {
            refused.add(permission + " " + target);
            throw ProblemException.forbidden("not permitted: " + permission);
        }
    }

    @Override
    public void checkVisible(String permission, String target) {
        if (!isPermitted(permission)) {
            refused.add(permission + " " + target);
            throw ProblemException.notFound("no " + target);
        }
    }

    /** Shiro's WildcardPermission for single-valued parts: {@code *} matches any, missing trailing parts too. */
    static boolean implies(String held, String wanted) {
        String[] h = held.split(":");
        String[] w = wanted.split(":");
        for (int i = 0; i < h.length; i++) {
            if (i >= w.length) {
                return h[i].equals("*");
            }
            if (!h[i].equals("*") && !h[i].equals(w[i])) {
                return false;
            }
        }
        return true;
    }
}

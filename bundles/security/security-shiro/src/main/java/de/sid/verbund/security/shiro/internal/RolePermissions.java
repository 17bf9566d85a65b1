package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.security.Roles;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What each role may do, as {@code area:action:tenant} permissions. SID roles act on every
 * tenant ({@code *}); authority roles on their own authority's id and, for oversight, read the
 * authorities below it (never above or beside it). The one write below the own authority: an
 * authority admin edits the data and quotas of the units below ({@code tenancy:write|quota}),
 * but not the own authority's quota. The table is in docs/design-notes.md ("Role model").
 */
final class RolePermissions {
    private RolePermissions() {
    }

    /**
     * @param roles the user's roles
     * @param authorityId the user's authority, {@code null} for SID staff
     * @param descendants the ids of the authorities below {@code authorityId} (empty without a hierarchy)
     */
    static Set<String> of(Set<String> roles, String authorityId, Set<String> descendants) {
        Set<String> p = new LinkedHashSet<>();
        for (String role : roles) {
            if (!Roles.TENANT_ROLES.contains(role)) {
                // the health report's details (URLs, paths, versions) are for SID staff only
                p.add("health:read:*");
            }
            switch (role) {
                case Roles.SID_ADMIN -> p.add("*");
                case Roles.SID_OPERATOR -> p.addAll(Set.of("compute:*:*", "catalog:*:*", "monitoring:*:*", "alarms:*:*",
                        "tenancy:read:*", "security:read:*", "audit:read:*", "cluster:*:*"));
                case Roles.MONITORING -> p.addAll(Set.of("monitoring:*:*", "alarms:*:*", "compute:read:*", "cluster:read:*"));
                case Roles.BILLING_CLERK -> p.addAll(Set.of("billing:*:*", "tenancy:read:*", "catalog:read:*"));
                default -> {
                    if (authorityId != null && Roles.TENANT_ROLES.contains(role)) {
                        p.addAll(tenantPermissions(role, authorityId));
                        for (String d : descendants) {
                            p.add("*:read:" + d);
                            if (role.equals(Roles.AUTHORITY_ADMIN)) {
                                p.add("tenancy:write:" + d);
                                p.add("tenancy:quota:" + d);
                            }
                        }
                    }
                }
            }
        }
        return p;
    }

    private static Set<String> tenantPermissions(String role, String a) {
        return switch (role) {
            // compute: read and operate (start, stop, reboot, snapshots); never compute:provision
            // (create, resize, delete), which goes through orders with quotas and approvals
            case Roles.AUTHORITY_ADMIN -> Set.of("compute:read:" + a, "compute:write:" + a, "catalog:*:" + a, "billing:read:" + a,
                    "tenancy:read:" + a, "tenancy:write:" + a, "security:*:" + a);
            case Roles.AUTHORITY_USER -> Set.of("compute:read:" + a, "compute:write:" + a, "catalog:read:" + a, "catalog:order:" + a,
                    "billing:read:" + a, "tenancy:read:" + a, "security:read:" + a);
            case Roles.AUTHORITY_VIEWER -> Set.of("*:read:" + a);
            default -> Set.of();
        };
    }
}

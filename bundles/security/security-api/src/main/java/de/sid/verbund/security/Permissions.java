package de.sid.verbund.security;

import java.util.regex.Pattern;

/**
 * Permission strings of the form {@code area:action:tenant} (Shiro wildcard permissions):
 * {@code compute:write:3f2c…} lets the holder change compute resources of that authority;
 * {@code *} in any part matches everything, so {@code billing:read:*} reads every authority's
 * billing data. Platform objects that belong to no authority use the tenant {@value #PLATFORM}.
 */
public final class Permissions {
    /** Tenant part for objects that belong to the platform, not to an authority. */
    public static final String PLATFORM = "platform";
    public static final String READ = "read";
    public static final String WRITE = "write";

    private static final Pattern PART = Pattern.compile("[a-z0-9*][a-z0-9_.-]*|\\*");

    private Permissions() {
    }

    /**
     * @param area e.g. {@code compute}
     * @param action e.g. {@code read}, {@code write}, {@code approve}
     * @param tenant an authority id, {@value #PLATFORM} or {@code *}
     * @throws IllegalArgumentException when a part is empty or contains {@code :} or {@code ,}
     */
    public static String of(String area, String action, String tenant) {
        return check(area) + ":" + check(action) + ":" + check(tenant);
    }

    private static String check(String part) {
        if (part == null || !PART.matcher(part).matches()) {
            throw new IllegalArgumentException("invalid permission part: " + part);
        }
        return part;
    }
}

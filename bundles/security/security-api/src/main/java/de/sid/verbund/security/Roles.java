package de.sid.verbund.security;

import java.util.Set;

/** The roles Verbund knows: SID side and tenant (authority) side. */
public final class Roles {
    public static final String SID_ADMIN = "sid-admin";
    public static final String SID_OPERATOR = "sid-operator";
    public static final String MONITORING = "monitoring";
    public static final String BILLING_CLERK = "billing-clerk";
    public static final String AUTHORITY_ADMIN = "authority-admin";
    public static final String AUTHORITY_USER = "authority-user";
    public static final String AUTHORITY_VIEWER = "authority-viewer";

    /** Every role, for validation. */
    public static final Set<String> ALL = Set.of(SID_ADMIN, SID_OPERATOR, MONITORING, BILLING_CLERK,
            AUTHORITY_ADMIN, AUTHORITY_USER, AUTHORITY_VIEWER);
    /** Roles that act within one authority and therefore need one. */
    public static final Set<String> TENANT_ROLES = Set.of(AUTHORITY_ADMIN, AUTHORITY_USER, AUTHORITY_VIEWER);

    private Roles() {
    }
}

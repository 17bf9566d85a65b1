package de.sid.verbund.billing.rest.internal;

import de.sid.verbund.billing.Invoice;
import de.sid.verbund.core.Ids;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.Caller;
import de.sid.verbund.security.Permissions;

/**
 * The billing permission rules of the REST resources. Reading an authority's usage and documents
 * needs {@code billing:read:<authority>} (its own users have it; billing clerks and SID admins hold
 * {@code billing:*:*}); changing documents, runs and price sheets needs {@code billing:write:…},
 * which only clerks and admins have. Price sheets are platform data ({@code billing:…:platform}).
 */
final class BillingAccess {
    static final String AREA = "billing";
    private final AccessControl access;

    BillingAccess(AccessControl access) {
        this.access = access;
    }

    /**
     * The authority a list is restricted to: callers who may read every authority's billing get
     * what they asked for ({@code null} = all); others get their own authority by default, or an
     * authority below theirs they ask for (oversight, {@code billing:read:<it>}); asking for any
     * other is refused (403, audited).
     *
     * @param requested the {@code authority} query parameter, or {@code null}
     * @param target what is listed, for the audit log
     */
    String listScope(String requested, String target) {
        Caller caller = access.requireCaller();
        String authority = requested == null || requested.isBlank() ? null : Ids.parse(requested).toString();
        if (access.isPermitted(Permissions.of(AREA, Permissions.READ, "*"))) {
            return authority;
        }
        if (caller.authorityId() == null) {
            access.check(Permissions.of(AREA, Permissions.READ, "*"), target);
        }
        if (authority != null && !authority.equals(caller.authorityId())) {
            // an authority below the caller's (oversight) may be asked for; any other is refused
            access.check(Permissions.of(AREA, Permissions.READ, authority), target);
            return authority;
        }
        access.check(Permissions.of(AREA, Permissions.READ, caller.authorityId()), target);
        return caller.authorityId();
    }

    /**
     * A document another authority's caller may not know of answers 404 like an unknown one
     * (audited): {@code target} is the very text of the unknown answer, see {@link InvoicesResource#what}.
     */
    Invoice visible(Invoice invoice, String target) {
        access.checkVisible(Permissions.of(AREA, Permissions.READ, invoice.authorityId()), target);
        return invoice;
    }

    /** Changing a document: visible first (404), then {@code billing:write:<authority>} (403). */
    Invoice writable(Invoice invoice, String target) {
        visible(invoice, target);
        access.check(Permissions.of(AREA, Permissions.WRITE, invoice.authorityId()), target);
        return invoice;
    }

    /** Runs touch every authority: {@code billing:write:*}. */
    void checkRun(String target) {
        access.check(Permissions.of(AREA, Permissions.WRITE, "*"), target);
    }

    void checkPlatform(String action, String target) {
        access.check(Permissions.of(AREA, action, Permissions.PLATFORM), target);
    }
}

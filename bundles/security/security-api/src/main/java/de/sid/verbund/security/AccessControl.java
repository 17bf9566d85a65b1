package de.sid.verbund.security;

import java.util.Optional;

/**
 * Permission checks against the caller bound to the current thread (the REST layer binds the
 * request's authenticated subject). Every tenant-scoped read and write goes through here.
 */
public interface AccessControl {
    /** @return the caller of the current request, empty outside an authenticated request */
    Optional<Caller> caller();

    /**
     * @return the caller
     * @throws de.sid.verbund.core.ProblemException UNAUTHORIZED when nobody is authenticated
     */
    Caller requireCaller();

    /** @param permission {@code area:action:tenant}, see {@link Permissions} */
    boolean isPermitted(String permission);

    /**
     * Checks a permission; a refusal is written to the audit log.
     *
     * @param permission {@code area:action:tenant}
     * @param target what was asked for, for the audit log (e.g. {@code user/3f2c…})
     * @throws de.sid.verbund.core.ProblemException FORBIDDEN when not permitted, UNAUTHORIZED
     *         when nobody is authenticated
     */
    void check(String permission, String target);

    /**
     * Checks a permission on a tenant-owned object whose very existence must not leak: a
     * refusal answers like an unknown object and is audited.
     *
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND when not permitted
     */
    void checkVisible(String permission, String target);
}

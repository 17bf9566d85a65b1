package de.sid.verbund.security;

import java.util.Set;

/**
 * The authority hierarchy as security needs it (implemented by the tenancy area; optional: without
 * it every authority stands alone). Users of an authority may read the objects of the authorities
 * below it (oversight), never those above it or beside it; a user with a tenant role must belong
 * to an existing authority.
 */
public interface TenantHierarchy {
    /**
     * @param authorityId an authority id
     * @return the ids of every authority below it (children, grand-children, …), not itself; empty
     *         for an unknown id
     * @throws de.sid.verbund.core.ProblemException UNAVAILABLE while the tenancy store is not ready
     */
    Set<String> descendants(String authorityId);

    /**
     * @return whether an authority with this id exists
     * @throws de.sid.verbund.core.ProblemException UNAVAILABLE while the tenancy store is not ready
     */
    boolean exists(String authorityId);
}

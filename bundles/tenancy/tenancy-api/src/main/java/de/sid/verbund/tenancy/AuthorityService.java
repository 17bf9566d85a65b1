package de.sid.verbund.tenancy;

import java.util.List;
import java.util.Optional;

/**
 * Authorities and their hierarchy. Methods do not check permissions; REST and shell do.
 * Errors are {@link de.sid.verbund.core.ProblemException}s: BAD_REQUEST for invalid input
 * (every problem listed, e.g. an invalid Leitweg-ID), NOT_FOUND, CONFLICT (name taken among
 * siblings, a parent of the wrong kind, deleting an authority that still has children or users).
 */
public interface AuthorityService {
    Authority create(NewAuthority authority);

    /** Replaces an authority's data; its kind and parent stay. */
    Authority update(String id, NewAuthority authority);

    /**
     * Deletes an authority that has no children, no quota reservations and no user accounts.
     *
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND; CONFLICT naming what is still there
     */
    void delete(String id);

    Optional<Authority> find(String id);

    /** @return every authority, parents before their children */
    List<Authority> list();

    /** @return the ids of the authority's parent, grand-parent, … (nearest first); empty for a ministry */
    List<String> ancestors(String id);

    /** @return the ids of everything below the authority (children, grand-children, …), not itself */
    List<String> descendants(String id);
}

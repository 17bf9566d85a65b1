package de.sid.verbund.security;

import de.sid.verbund.core.Page;
import java.time.Duration;
import java.util.Optional;

/**
 * Users and their API tokens. Methods do not check permissions; callers (REST, shell) do,
 * through {@link AccessControl}.
 */
public interface UserService {
    /**
     * @param authorityId only users of this authority, or {@code null} for all
     * @param limit page size, see {@link Page#limit(Integer)}
     * @param cursor from the previous page, or {@code null}
     */
    Page<User> list(String authorityId, int limit, String cursor);

    Optional<User> find(String id);

    Optional<User> findByUsername(String username);

    /**
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for invalid input (each problem
     *         listed), CONFLICT when the username is taken
     */
    User create(NewUser user);

    /**
     * Replaces a user's roles. The rules are those of {@link #create}: one or more of
     * {@link Roles#ALL}; a user of an authority holds only {@link Roles#TENANT_ROLES}, a user
     * without one only SID roles. The change applies from the user's next request.
     *
     * @return the user with the new roles
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND, BAD_REQUEST for invalid roles (each
     *         problem listed), CONFLICT when it would take {@link Roles#SID_ADMIN} from the last
     *         user holding it
     */
    User setRoles(String userId, java.util.Set<String> roles);

    /**
     * Deletes a user and the user's API tokens.
     *
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND, CONFLICT for the last user holding
     *         {@link Roles#SID_ADMIN} (the platform would have no administrator)
     */
    void delete(String userId);

    /**
     * Sets a new password, unlocks the account and revokes all the user's API tokens (a leaked
     * token dies with the password it was created under).
     *
     * @param newPassword 10 characters to 72 bytes (UTF-8)
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND, BAD_REQUEST for a weak password
     */
    void setPassword(String userId, String newPassword);

    /**
     * Checks a user's current password (re-authentication before sensitive changes). A wrong
     * password counts towards the same lockout as a failed login, and while the account is
     * locked the answer is {@code false} (so an API-token holder gets no unlimited guesses).
     *
     * @return whether the password is the user's current one and the account is not locked
     */
    boolean verifyPassword(String userId, String password);

    /**
     * Lifts a lock after failed logins (the password stays).
     *
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND
     */
    void unlock(String userId);

    /** @return the user's unexpired API tokens, without secrets, newest first */
    java.util.List<ApiToken> tokens(String userId);

    /**
     * Revokes one of the user's API tokens.
     *
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND when the user has no such token
     */
    void revokeToken(String userId, String tokenId);

    /**
     * Creates an API token for the user.
     *
     * @param validFor 1 day to 365 days
     * @return the token with its secret (shown only now)
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for a validity out of range
     */
    ApiToken createToken(String userId, String name, Duration validFor);
}

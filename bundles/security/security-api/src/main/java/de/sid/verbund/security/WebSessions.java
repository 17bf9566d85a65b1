package de.sid.verbund.security;

import java.time.Instant;

/**
 * Sessions of the web application. A session is an opaque 256-bit secret that the browser holds
 * in an HttpOnly cookie; only its SHA-256 is stored, in the shared database, so any node of a
 * cluster accepts it and it survives the node that created it. A session ends at logout, after
 * {@code session.idle.minutes} without a request, {@code session.max.hours} after login, when
 * the user's password changes or the user is deleted or locked.
 */
public interface WebSessions {
    /** The cookie that carries the session secret. */
    String COOKIE = "verbund_session";

    /**
     * Checks the password like an HTTP Basic login (same lockout, same audit) and opens a session.
     *
     * @return the session with its secret (shown once) and the user
     * @throws de.sid.verbund.core.ProblemException UNAUTHORIZED for wrong credentials or a locked
     *     account (one message for all), UNAVAILABLE when the user database is down
     */
    WebSession open(String username, String password);

    /** Ends the session with this secret; unknown or expired secrets are ignored. */
    void close(String secret);

    /**
     * An open session.
     *
     * @param secret the cookie value ({@code vbs_…}); never stored
     * @param user the signed-in user
     * @param expiresAt the latest end (the idle timeout may end it earlier)
     * @param idleSeconds seconds without a request after which it ends
     */
    record WebSession(String secret, User user, Instant expiresAt, long idleSeconds) {
        @Override
        public String toString() {
            return "WebSession[user=" + user.username() + ", expiresAt=" + expiresAt + "]";
        }
    }
}

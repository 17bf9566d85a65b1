package de.sid.verbund.security.shiro.internal;

import org.apache.shiro.subject.Subject;

/** Turns an HTTP {@code Authorization} header into an authenticated Shiro subject. */
public interface RequestAuthenticator {
    /**
     * @param authorization the header value ({@code Basic …} or {@code Bearer …})
     * @return the authenticated subject
     * @throws de.sid.verbund.core.ProblemException UNAUTHORIZED with the reason
     */
    Subject authenticate(String authorization);

    /**
     * @param sessionSecret a web session cookie's value
     * @return the authenticated subject of the session
     * @throws de.sid.verbund.core.ProblemException UNAUTHORIZED when the session is unknown or has ended
     */
    Subject authenticateSession(String sessionSecret);
}

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
}

package de.sid.verbund.messaging.artemis.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/**
 * Authentication for the embedded broker when {@code user} is configured: exactly that user
 * with that password may connect, and may do everything (Verbund nodes are one trust domain).
 */
final class SingleUserSecurityManager implements ActiveMQSecurityManager {
    private final String user;
    private final byte[] password;

    SingleUserSecurityManager(String user, String password) {
        this.user = user;
        this.password = (password == null ? "" : password).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean validateUser(String u, String p) {
        return user.equals(u)
                && MessageDigest.isEqual(password, (p == null ? "" : p).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean validateUserAndRole(String u, String p, Set<Role> roles, CheckType checkType) {
        return validateUser(u, p);
    }
}

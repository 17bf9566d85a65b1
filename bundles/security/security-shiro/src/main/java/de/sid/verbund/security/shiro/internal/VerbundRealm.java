package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.security.Caller;
import de.sid.verbund.security.User;
import java.time.Clock;
import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.BearerToken;
import org.apache.shiro.authc.IncorrectCredentialsException;
import org.apache.shiro.authc.LockedAccountException;
import org.apache.shiro.authc.SimpleAuthenticationInfo;
import org.apache.shiro.authc.UsernamePasswordToken;
import org.apache.shiro.authc.credential.AllowAllCredentialsMatcher;
import org.apache.shiro.authz.AuthorizationInfo;
import org.apache.shiro.authz.SimpleAuthorizationInfo;
import org.apache.shiro.realm.AuthorizingRealm;
import org.apache.shiro.subject.PrincipalCollection;

/**
 * Shiro realm over the user table: HTTP Basic (bcrypt-checked, with lockout after repeated
 * failures) and bearer API tokens (SHA-256 looked up, expiry checked). The principal is a
 * {@link Caller}; permissions come from {@link RolePermissions}. No caching: a lock or role
 * change applies to the next request.
 */
final class VerbundRealm extends AuthorizingRealm {
    /** A valid bcrypt hash of a random string: compared against for unknown users, so timing does not tell them apart. */
    private static final String DUMMY_HASH = "$2y$10$ZmV3ZGVtb3NhbHRmZXdkZO0f4mXzH9o5K2y8kq2lqFJp1cH0m3a2W";

    private final JdbcUsers users;
    private final Clock clock;

    VerbundRealm(JdbcUsers users, Clock clock) {
        this.users = users;
        this.clock = clock;
        setName("verbund");
        setCachingEnabled(false);
        setAuthenticationTokenClass(AuthenticationToken.class);
        // credentials are verified in doGetAuthenticationInfo (bcrypt / token lookup)
        setCredentialsMatcher(new AllowAllCredentialsMatcher());
    }

    @Override
    public boolean supports(AuthenticationToken token) {
        return token instanceof UsernamePasswordToken || token instanceof BearerToken;
    }

    @Override
    protected AuthenticationInfo doGetAuthenticationInfo(AuthenticationToken token) throws AuthenticationException {
        if (token instanceof BearerToken bearer) {
            User u = users.userForToken(bearer.getToken(), clock.instant())
                    .orElseThrow(() -> new IncorrectCredentialsException("unknown or expired API token"));
            if (u.locked()) {
                throw new LockedAccountException("account " + u.username() + " is locked");
            }
            return new SimpleAuthenticationInfo(caller(u), token.getCredentials(), getName());
        }
        UsernamePasswordToken up = (UsernamePasswordToken) token;
        String password = up.getPassword() == null ? "" : new String(up.getPassword());
        var creds = users.credentials(up.getUsername());
        if (creds.isEmpty()) {
            Passwords.matches(DUMMY_HASH, password);
            throw new IncorrectCredentialsException("wrong user name or password");
        }
        User u = creds.get().user();
        if (u.locked()) {
            throw new LockedAccountException("account " + u.username() + " is locked after repeated failed logins; "
                    + "an administrator must set a new password");
        }
        if (!Passwords.matches(creds.get().passwordHash(), password)) {
            boolean locked = users.recordFailure(u.id());
            throw new IncorrectCredentialsException(locked ? "wrong user name or password; the account is now locked"
                    : "wrong user name or password");
        }
        users.recordSuccess(u.id(), creds.get().failedLogins());
        return new SimpleAuthenticationInfo(caller(u), token.getCredentials(), getName());
    }

    private static Caller caller(User u) {
        return new Caller(u.id(), u.username(), u.authorityId(), u.roles());
    }

    @Override
    protected AuthorizationInfo doGetAuthorizationInfo(PrincipalCollection principals) {
        Caller c = principals.oneByType(Caller.class);
        SimpleAuthorizationInfo info = new SimpleAuthorizationInfo(c.roles());
        info.setStringPermissions(RolePermissions.of(c.roles(), c.authorityId()));
        return info;
    }
}

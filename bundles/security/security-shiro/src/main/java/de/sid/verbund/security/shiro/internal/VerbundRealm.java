package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.security.Caller;
import de.sid.verbund.security.User;
import java.time.Clock;
import java.time.Instant;
import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationInfo;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.BearerToken;
import org.apache.shiro.authc.DisabledAccountException;
import org.apache.shiro.authc.UnknownAccountException;
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
 * Shiro realm over the user table: HTTP Basic (bcrypt-checked; repeated failures lock password
 * logins for a while) and bearer API tokens (SHA-256 looked up, expiry checked). The principal is a
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

    /**
     * Verifies a token. Exception messages are the true reason, for the audit log; callers get a
     * generic answer that does not tell whether an account exists or is locked.
     */
    @Override
    protected AuthenticationInfo doGetAuthenticationInfo(AuthenticationToken token) throws AuthenticationException {
        if (token instanceof BearerToken bearer) {
            User u = users.userForToken(bearer.getToken(), clock.instant())
                    .orElseThrow(() -> new IncorrectCredentialsException("unknown, expired or revoked API token"));
            return new SimpleAuthenticationInfo(caller(u), token.getCredentials(), getName());
        }
        UsernamePasswordToken up = (UsernamePasswordToken) token;
        String password = up.getPassword() == null ? "" : new String(up.getPassword());
        var found = users.credentials(up.getUsername());
        if (found.isEmpty()) {
            Passwords.matches(DUMMY_HASH, password);
            throw new UnknownAccountException("unknown user");
        }
        JdbcUsers.Credentials creds = found.get();
        User u = creds.user();
        if (creds.disabled()) {
            throw new DisabledAccountException("account disabled by an administrator");
        }
        if (creds.lockedUntil() != null && creds.lockedUntil().isAfter(clock.instant())) {
            throw new LockedAccountException("locked after repeated failed logins until " + creds.lockedUntil());
        }
        if (!Passwords.matches(creds.passwordHash(), password)) {
            Instant until = users.recordFailure(u.id());
            throw new IncorrectCredentialsException(until == null ? "wrong password"
                    : "wrong password; locked until " + until);
        }
        users.recordSuccess(u.id(), creds.failedLogins());
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

package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.persistence.PersistenceException;
import de.sid.verbund.security.Caller;
import de.sid.verbund.security.User;
import de.sid.verbund.security.TenantHierarchy;
import java.time.Clock;
import java.util.Set;
import java.util.function.Supplier;
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
 * logins for a while), bearer API tokens and web session secrets (SHA-256 looked up, expiry
 * and idle time checked). The principal is a
 * {@link Caller}; permissions come from {@link RolePermissions}, with the authorities below the
 * caller's from the optional {@link TenantHierarchy}. No caching: a lock or role
 * change applies to the next request.
 */
final class VerbundRealm extends AuthorizingRealm {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(VerbundRealm.class);
    private final JdbcUsers users;
    private final Clock clock;
    private final Supplier<TenantHierarchy> hierarchy;
    private final java.time.Duration sessionIdle;

    /**
     * @param hierarchy the authority hierarchy when the tenancy area runs, else {@code null}
     * @param sessionIdle how long a web session lives without a request
     */
    VerbundRealm(JdbcUsers users, Clock clock, Supplier<TenantHierarchy> hierarchy, java.time.Duration sessionIdle) {
        this.users = users;
        this.sessionIdle = sessionIdle;
        this.clock = clock;
        this.hierarchy = hierarchy;
        setName("verbund");
        setCachingEnabled(false);
        setAuthenticationTokenClass(AuthenticationToken.class);
        // credentials are verified in doGetAuthenticationInfo (bcrypt / token lookup)
        setCredentialsMatcher(new AllowAllCredentialsMatcher());
    }

    @Override
    public boolean supports(AuthenticationToken token) {
        return token instanceof UsernamePasswordToken || token instanceof BearerToken || token instanceof SessionToken;
    }

    /**
     * Verifies a token. Exception messages are the true reason, for the audit log; callers get a
     * generic answer that does not tell whether an account exists or is locked.
     */
    @Override
    protected AuthenticationInfo doGetAuthenticationInfo(AuthenticationToken token) throws AuthenticationException {
        try {
            return verify(token);
        } catch (PersistenceException e) {
            // an AuthenticationException, so that Shiro does not log every request's failure with a
            // stack trace: ShiroSecurity answers 503 and logs the outage once
            throw new StoreUnavailableException(e);
        }
    }

    /** The user database failed: credentials could not be checked (cause: the {@link PersistenceException}). */
    static final class StoreUnavailableException extends AuthenticationException {
        private static final long serialVersionUID = 1L;

        StoreUnavailableException(PersistenceException cause) {
            super("user database unavailable", cause);
        }
    }

    private AuthenticationInfo verify(AuthenticationToken token) {
        if (token instanceof BearerToken bearer) {
            User u = users.userForToken(bearer.getToken(), clock.instant())
                    .orElseThrow(() -> new IncorrectCredentialsException("unknown, expired or revoked API token"));
            return new SimpleAuthenticationInfo(caller(u), token.getCredentials(), getName());
        }
        if (token instanceof SessionToken session) {
            User u = users.userForSession(session.secret(), clock.instant(), sessionIdle)
                    .orElseThrow(() -> new IncorrectCredentialsException("unknown, expired or ended web session"));
            return new SimpleAuthenticationInfo(caller(u), token.getCredentials(), getName());
        }
        UsernamePasswordToken up = (UsernamePasswordToken) token;
        String password = up.getPassword() == null ? "" : new String(up.getPassword());
        // the attempt is counted before the password is compared (see JdbcUsers#checkPassword)
        JdbcUsers.Check check = users.checkPassword(false, up.getUsername(), password);
        switch (check.outcome()) {
            case OK:
                return new SimpleAuthenticationInfo(caller(check.user()), token.getCredentials(), getName());
            case UNKNOWN:
                throw new UnknownAccountException(check.detail());
            case DISABLED:
                throw new DisabledAccountException(check.detail());
            case LOCKED:
            case BUSY:
                throw new LockedAccountException(check.detail());
            default:
                throw new IncorrectCredentialsException(check.detail());
        }
    }

    private static Caller caller(User u) {
        return new Caller(u.id(), u.username(), u.authorityId(), u.roles());
    }

    @Override
    protected AuthorizationInfo doGetAuthorizationInfo(PrincipalCollection principals) {
        Caller c = principals.oneByType(Caller.class);
        SimpleAuthorizationInfo info = new SimpleAuthorizationInfo(c.roles());
        info.setStringPermissions(RolePermissions.of(c.roles(), c.authorityId(), descendants(c)));
        return info;
    }

    /**
     * The authorities below the caller's, for oversight reads. Without the tenancy area, or while
     * it cannot answer, none: the caller keeps exactly the own authority's permissions (fail closed).
     */
    private Set<String> descendants(Caller c) {
        TenantHierarchy h = hierarchy.get();
        if (h == null || c.authorityId() == null) {
            return Set.of();
        }
        try {
            return h.descendants(c.authorityId());
        } catch (RuntimeException e) {
            LOG.warn("authority hierarchy unavailable, {} gets no oversight permissions now: {}", c.username(), e.getMessage());
            return Set.of();
        }
    }
}

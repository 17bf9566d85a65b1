package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.health.Health;
import de.sid.verbund.core.health.HealthIndicator;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.persistence.PersistenceException;
import de.sid.verbund.security.AccessControl;
import de.sid.verbund.security.ApiToken;
import de.sid.verbund.security.AuditEntry;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.security.AuditQuery;
import de.sid.verbund.security.AuditVerification;
import de.sid.verbund.security.TenantHierarchy;
import de.sid.verbund.security.Caller;
import de.sid.verbund.security.NewUser;
import de.sid.verbund.security.User;
import de.sid.verbund.security.UserService;
import de.sid.verbund.security.WebSessions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.shiro.authc.AuthenticationException;
import org.apache.shiro.authc.AuthenticationToken;
import org.apache.shiro.authc.BearerToken;
import org.apache.shiro.authc.UsernamePasswordToken;
import org.apache.shiro.mgt.DefaultSecurityManager;
import org.apache.shiro.mgt.DefaultSessionStorageEvaluator;
import org.apache.shiro.mgt.DefaultSubjectDAO;
import org.apache.shiro.subject.Subject;
import org.apache.shiro.util.ThreadContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verbund security on Apache Shiro: a stateless security manager (no sessions: every request
 * authenticates, web sessions included: they live in the database, not in Shiro) over
 * {@link VerbundRealm}; publishes {@link AccessControl}, {@link UserService}, {@link AuditLog},
 * {@link WebSessions} and the {@link RequestAuthenticator} the REST filter uses. Applies the {@code security} schema and seeds the demo users on first start.
 */
@Component(service = {AccessControl.class, UserService.class, AuditLog.class, RequestAuthenticator.class,
        WebSessions.class, HealthIndicator.class},
        configurationPid = SecurityConfig.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SecurityConfig.class)
public class ShiroSecurity implements AccessControl, UserService, AuditLog, RequestAuthenticator, WebSessions,
        HealthIndicator {
    private static final Logger LOG = LoggerFactory.getLogger(ShiroSecurity.class);

    static final String LOGIN_FAILED = "wrong user name or password, or the account is locked for a while "
            + "after repeated failed logins";
    /** What a caller is told when the user database fails; the real reason (URL, host, pool) goes to the log only. */
    static final String DATABASE_UNAVAILABLE = "the user database is unavailable";
    /** While the user database stays unreachable, its failure is logged again at most this often. */
    private static final long OUTAGE_LOG_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Database db;
    private final SecurityConfig config;
    private final JdbcUsers users;
    private final JdbcAuditLog audit;
    private final DefaultSecurityManager securityManager;
    private final Clock clock;
    private final ScheduledExecutorService preparer;
    /** Why the user store cannot be used yet, or {@code null} once the schema is in place. */
    private volatile String notReady = "starting";
    /** Whether the last authentication failed because the user database did; guarded by {@code this} for writes. */
    private volatile boolean databaseDown;
    private long outageLoggedAt;
    /** The authority hierarchy, while the tenancy area runs. */
    private volatile TenantHierarchy hierarchy;

    /**
     * Activation never waits for the database: the schema is applied (and demo users seeded) on a
     * background thread, retried with back-off while the database is unreachable. Until then
     * authentication answers 503.
     */
    @Activate
    public ShiroSecurity(@Reference Database db, SecurityConfig config) {
        this(db, config, Clock.systemUTC(), true);
    }

    /** For tests: prepares the schema synchronously. */
    ShiroSecurity(Database db, SecurityConfig config, Clock clock) {
        this(db, config, clock, Passwords::matches);
    }

    /** For tests: prepares the schema synchronously and compares passwords with {@code passwordCheck}. */
    ShiroSecurity(Database db, SecurityConfig config, Clock clock, JdbcUsers.PasswordCheck passwordCheck) {
        this(db, config, clock, passwordCheck, JdbcUsers.SLOT_WAIT, Thread::sleep);
    }

    /**
     * For tests: prepares the schema synchronously, compares passwords with {@code passwordCheck}
     * and lets an attempt wait {@code slotWait} for a slot, pausing with {@code pause}.
     */
    ShiroSecurity(Database db, SecurityConfig config, Clock clock, JdbcUsers.PasswordCheck passwordCheck,
            Duration slotWait, JdbcUsers.Pause pause) {
        this(db, config, clock, false, new JdbcUsers(db, new Passwords(config.bcrypt_cost()),
                config.lock_after_failures(), Duration.ofSeconds(config.lock_duration_s()), clock, passwordCheck,
                slotWait, pause));
        if (!prepare()) {
            throw new IllegalStateException("security schema: " + notReady);
        }
    }

    private ShiroSecurity(Database db, SecurityConfig config, Clock clock, boolean background) {
        this(db, config, clock, background, new JdbcUsers(db, new Passwords(config.bcrypt_cost()),
                config.lock_after_failures(), Duration.ofSeconds(config.lock_duration_s()), clock));
    }

    private ShiroSecurity(Database db, SecurityConfig config, Clock clock, boolean background, JdbcUsers users) {
        this.db = db;
        this.config = config;
        this.users = users;
        audit = new JdbcAuditLog(db, clock);
        this.clock = clock;
        securityManager = new DefaultSecurityManager(new VerbundRealm(users, clock, () -> hierarchy, sessionIdle(config)));
        DefaultSessionStorageEvaluator noSessions = new DefaultSessionStorageEvaluator();
        noSessions.setSessionStorageEnabled(false);
        ((DefaultSubjectDAO) securityManager.getSubjectDAO()).setSessionStorageEvaluator(noSessions);
        preparer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-security-schema");
            t.setDaemon(true);
            return t;
        });
        if (background) {
            preparer.execute(() -> prepareWithRetry(1));
        }
        preparer.scheduleWithFixedDelay(this::deleteDeadSessions, 10, 60, TimeUnit.MINUTES);
        if (config.audit_retention_days() > 0) {
            preparer.scheduleWithFixedDelay(this::applyRetention, 1, 60, TimeUnit.MINUTES);
        }
    }

    /** Binds the authority hierarchy (the tenancy area): oversight permissions, authority checks of new users. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void setHierarchy(TenantHierarchy h) {
        hierarchy = h;
    }

    /** Unbinds the hierarchy: from now on every authority stands alone. */
    public void unsetHierarchy(TenantHierarchy h) {
        if (hierarchy == h) {
            hierarchy = null;
        }
    }

    /** Deletes audit entries older than {@code audit.retention.days}; logged and audited when it deletes any. */
    void applyRetention() {
        if (notReady != null) {
            return;
        }
        try {
            int n = audit.deleteOlderThan(Duration.ofDays(config.audit_retention_days()));
            if (n > 0) {
                LOG.info("audit retention: deleted {} entries older than {} days", n, config.audit_retention_days());
                audit.record("system", "audit retention", "audit", "SUCCESS", "deleted " + n + " entries older than "
                        + config.audit_retention_days() + " days");
            }
        } catch (RuntimeException e) {
            LOG.warn("audit retention failed, retrying within the hour: {}", e.getMessage());
        }
    }

    private static Duration sessionIdle(SecurityConfig config) {
        return Duration.ofMinutes(Math.max(1, config.session_idle_minutes()));
    }

    /** Housekeeping: deletes web sessions that have ended (they are refused anyway). */
    void deleteDeadSessions() {
        if (notReady != null) {
            return;
        }
        try {
            int n = users.deleteDeadSessions(clock.instant(), sessionIdle(config));
            if (n > 0) {
                LOG.debug("deleted {} ended web sessions", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("deleting ended web sessions failed, retrying within the hour: {}", e.getMessage());
        }
    }

    private void prepareWithRetry(long delaySeconds) {
        if (!prepare()) {
            long next = Math.min(delaySeconds * 2, 30);
            preparer.schedule(() -> prepareWithRetry(next), delaySeconds, TimeUnit.SECONDS);
        }
    }

    /** Applies the schema and seeds demo users; @return whether the store is ready. */
    private boolean prepare() {
        try {
            db.migrate("security", ShiroSecurity.class.getClassLoader());
            int chained = audit.chainUnchained();
            if (chained > 0) {
                LOG.info("audit log: chained {} entries written before the hash chain existed", chained);
            }
            if (config.demo_users() && users.seedDemoUsers()) {
                LOG.warn("created demo users admin, operator, monitor, clerk (password = user name): "
                        + "change their passwords or set demo.users=false in etc/{}.cfg", SecurityConfig.PID);
                audit.record("system", "seed demo users", "users", "SUCCESS", "admin, operator, monitor, clerk");
            }
            if (notReady != null && !"starting".equals(notReady)) {
                LOG.info("user store ready after the database came back");
            }
            notReady = null;
            return true;
        } catch (RuntimeException e) {
            String reason = e.getMessage();
            if (!reason.equals(notReady)) {
                LOG.error("user store not ready, retrying: {}", reason);
            }
            notReady = reason;
            return false;
        }
    }

    /** For tests: the hash compared against when a password is refused without a real check. */
    String dummyHash() {
        return users.dummyHash();
    }

    @Deactivate
    void deactivate() {
        preparer.shutdownNow();
    }

    private static ProblemException unavailable(String why) {
        return new ProblemException(ProblemType.UNAVAILABLE, "credentials cannot be checked now: " + why);
    }

    /**
     * A 503 for a failed user database. The caller gets a generic detail: the exception's message
     * names the JDBC URL, host, port and pool state. The real reason is logged when the outage
     * starts and then at most once a minute while it lasts, not once per request.
     */
    private ProblemException databaseUnavailable(PersistenceException e) {
        long now = System.nanoTime();
        synchronized (this) {
            if (!databaseDown) {
                databaseDown = true;
                outageLoggedAt = now;
                LOG.error("user database unavailable, logins answer 503 until it is back: {}", e.getMessage());
            } else if (now - outageLoggedAt >= OUTAGE_LOG_INTERVAL_NANOS) {
                outageLoggedAt = now;
                LOG.warn("user database still unavailable, logins answer 503: {}", e.getMessage());
            } else {
                LOG.debug("user database unavailable: {}", e.getMessage());
            }
        }
        return unavailable(DATABASE_UNAVAILABLE);
    }

    private void databaseReachable() {
        if (databaseDown) {
            synchronized (this) {
                if (databaseDown) {
                    databaseDown = false;
                    LOG.info("user database reachable again");
                }
            }
        }
    }

    // --- HealthIndicator ---------------------------------------------------------------------

    @Override
    public String name() {
        return "security";
    }

    /** UP once the user store (schema, demo users) is ready; until then logins answer 503. */
    @Override
    public Health check() {
        String why = notReady;
        return why == null ? Health.up(java.util.Map.of("userStore", "ready"))
                : new Health(HealthStatus.DOWN, java.util.Map.of("userStore", "starting".equals(why) ? "starting"
                        : "not ready: the user database is unavailable"));
    }

    // --- RequestAuthenticator ----------------------------------------------------------------

    @Override
    public Subject authenticate(String authorization) {
        return login(parse(authorization));
    }

    /** Authenticates a token through the realm; failures are audited and answered 401 (503 when the database fails). */
    private Subject login(AuthenticationToken token) {
        String why = notReady;
        if (why != null) {
            // the reason (logged by prepare()) may name the database: not for callers
            throw unavailable("the user store is not ready yet");
        }
        Subject subject = new Subject.Builder(securityManager).sessionCreationEnabled(false).buildSubject();
        try {
            subject.login(token);
            databaseReachable();
            return subject;
        } catch (AuthenticationException e) {
            for (Throwable c = e; c != null; c = c.getCause()) {
                if (c instanceof PersistenceException pe) {
                    throw databaseUnavailable(pe);
                }
            }
            String who = token instanceof UsernamePasswordToken up ? up.getUsername()
                    : token instanceof SessionToken ? "web session" : "token";
            try {
                audit.record(who, "login", token instanceof SessionToken ? "web" : "api", "FAILED 401", e.getMessage());
            } catch (PersistenceException pe) {
                throw databaseUnavailable(pe);
            }
            databaseReachable();
            throw new ProblemException(ProblemType.UNAUTHORIZED, token instanceof BearerToken
                    ? "unknown, expired or revoked API token"
                    : token instanceof SessionToken ? "the web session has ended: please log in again" : LOGIN_FAILED);
        }
    }

    @Override
    public Subject authenticateSession(String sessionSecret) {
        if (sessionSecret == null || sessionSecret.isBlank()) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "authentication required");
        }
        return login(new SessionToken(sessionSecret));
    }

    // --- WebSessions -------------------------------------------------------------------------

    /** Checks the password through the realm (lockout and audit as for Basic) and stores a new session. */
    @Override
    public WebSession open(String username, String password) {
        if (username == null || username.isBlank() || password == null) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, LOGIN_FAILED);
        }
        Subject subject = login(new UsernamePasswordToken(username, password));
        Caller caller = subject.getPrincipals().oneByType(Caller.class);
        Duration maxAge = Duration.ofHours(Math.max(1, config.session_max_hours()));
        try {
            var session = users.createSession(caller.userId(), maxAge);
            User user = users.find(caller.userId()).orElseThrow(() -> new ProblemException(ProblemType.UNAUTHORIZED, LOGIN_FAILED));
            audit.record(caller.username(), "login", "web session", "SUCCESS", "");
            return new WebSession(session.getKey(), user, session.getValue(), sessionIdle(config).toSeconds());
        } catch (PersistenceException e) {
            throw databaseUnavailable(e);
        }
    }

    @Override
    public void close(String secret) {
        if (secret == null || secret.isBlank()) {
            return;
        }
        try {
            users.deleteSession(secret);
        } catch (PersistenceException e) {
            throw databaseUnavailable(e);
        }
    }

    private static AuthenticationToken parse(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new ProblemException(ProblemType.UNAUTHORIZED,
                    "authentication required: HTTP Basic (user name and password) or 'Authorization: Bearer <API token>'");
        }
        int sp = authorization.indexOf(' ');
        String scheme = sp < 0 ? authorization : authorization.substring(0, sp);
        String value = sp < 0 ? "" : authorization.substring(sp + 1).trim();
        if (scheme.equalsIgnoreCase("Bearer")) {
            if (value.isEmpty()) {
                throw new ProblemException(ProblemType.UNAUTHORIZED, "missing API token after 'Bearer'");
            }
            return new BearerToken(value);
        }
        if (scheme.equalsIgnoreCase("Basic")) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new ProblemException(ProblemType.UNAUTHORIZED, "malformed Basic credentials (not Base64)");
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                throw new ProblemException(ProblemType.UNAUTHORIZED, "malformed Basic credentials (user:password expected)");
            }
            return new UsernamePasswordToken(decoded.substring(0, colon), decoded.substring(colon + 1));
        }
        throw new ProblemException(ProblemType.UNAUTHORIZED, "unsupported authentication scheme '" + scheme
                + "' (Basic or Bearer expected)");
    }

    // --- AccessControl -----------------------------------------------------------------------

    private static Optional<Subject> subject() {
        Subject s = ThreadContext.getSubject();
        return s != null && s.isAuthenticated() ? Optional.of(s) : Optional.empty();
    }

    @Override
    public Optional<Caller> caller() {
        return subject().map(s -> s.getPrincipals().oneByType(Caller.class));
    }

    @Override
    public Caller requireCaller() {
        return caller().orElseThrow(() -> new ProblemException(ProblemType.UNAUTHORIZED, "authentication required"));
    }

    @Override
    public boolean isPermitted(String permission) {
        return subject().map(s -> s.isPermitted(permission)).orElse(false);
    }

    @Override
    public void check(String permission, String target) {
        Caller c = requireCaller();
        if (!isPermitted(permission)) {
            audit.record(c.username(), "access " + permission, target, "DENIED 403", "");
            throw ProblemException.forbidden("user " + c.username() + " lacks permission " + permission);
        }
    }

    @Override
    public void checkVisible(String permission, String target) {
        Caller c = requireCaller();
        if (!isPermitted(permission)) {
            audit.record(c.username(), "access " + permission, target, "DENIED 404", "answered as not found");
            throw ProblemException.notFound("no " + target);
        }
    }

    // --- UserService -------------------------------------------------------------------------

    @Override
    public Page<User> list(String authorityId, int limit, String cursor) {
        return users.list(authorityId, limit, cursor);
    }

    @Override
    public Optional<User> find(String id) {
        return users.find(id);
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return users.findByUsername(username);
    }

    /**
     * Creates a user; with the tenancy area running, an authority id must name an existing
     * authority (BAD_REQUEST otherwise).
     */
    @Override
    public User create(NewUser user) {
        TenantHierarchy h = hierarchy;
        if (h != null && user != null && user.authorityId() != null && !user.authorityId().isBlank()) {
            String id = Ids.parse(user.authorityId()).toString();
            if (!h.exists(id)) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "invalid user: authorityId: no authority " + id,
                        java.util.List.of("authorityId: no authority " + id), null);
            }
        }
        return users.create(user);
    }

    @Override
    public User setRoles(String userId, java.util.Set<String> roles) {
        return users.setRoles(userId, roles);
    }

    @Override
    public void delete(String userId) {
        users.delete(userId);
    }

    @Override
    public void setPassword(String userId, String newPassword) {
        users.setPassword(userId, newPassword);
    }

    @Override
    public ApiToken createToken(String userId, String name, Duration validFor) {
        return users.createToken(userId, name, validFor);
    }

    /**
     * Re-authentication with the current password: counts towards the same lockout as a login and
     * is refused while the account is locked; a refusal is audited with its real reason.
     */
    @Override
    public boolean verifyPassword(String userId, String password) {
        String id = Ids.parse(userId).toString();
        JdbcUsers.Check check = users.checkPassword(true, id, password);
        if (!check.ok()) {
            String who = caller().map(Caller::username)
                    .orElse(check.user() == null ? "anonymous" : check.user().username());
            audit.record(who, "re-authenticate", "user " + id, "FAILED", check.detail());
        }
        return check.ok();
    }

    @Override
    public void unlock(String userId) {
        users.unlock(userId);
    }

    @Override
    public java.util.List<ApiToken> tokens(String userId) {
        return users.tokens(userId);
    }

    @Override
    public void revokeToken(String userId, String tokenId) {
        users.revokeToken(userId, tokenId);
    }

    // --- AuditLog ----------------------------------------------------------------------------

    @Override
    public void record(String subject, String action, String target, String outcome, String detail) {
        audit.record(subject, action, target, outcome, detail);
    }

    @Override
    public Page<AuditEntry> list(int limit, String cursor) {
        return audit.list(limit, cursor);
    }

    @Override
    public Page<AuditEntry> query(AuditQuery query, int limit, String cursor) {
        return audit.query(query, limit, cursor);
    }

    @Override
    public AuditVerification verify() {
        return audit.verify();
    }

    /** For tests and the retention job: the audit log itself. */
    JdbcAuditLog auditLog() {
        return audit;
    }
}

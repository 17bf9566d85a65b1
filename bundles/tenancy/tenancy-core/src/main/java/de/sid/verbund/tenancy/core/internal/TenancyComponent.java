package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.security.UserService;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.QuotaLedger;
import de.sid.verbund.tenancy.QuotaUsage;
import de.sid.verbund.tenancy.Resources;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tenancy area in OSGi: publishes {@link AuthorityService} and {@link QuotaLedger}.
 * Activation never waits for the database: the {@code tenancy} schema is applied on a background
 * thread, retried after 1 s doubling to 30 s; until then every call answers 503.
 */
@Component(service = {AuthorityService.class, QuotaLedger.class})
public class TenancyComponent implements AuthorityService, QuotaLedger {
    private static final Logger LOG = LoggerFactory.getLogger(TenancyComponent.class);

    private final Database db;
    private final ScheduledExecutorService preparer;
    private final AuthorityServiceImpl authorities;
    private final JdbcQuotaLedger ledger;
    private volatile String notReady = "starting";
    private volatile boolean stopped;
    /** The user accounts, while the security area runs: an authority with users is not deleted. */
    private volatile UserService users;
    private volatile boolean demoUsers;
    private boolean demoChecked;
    private int demoAttempts;

    @Activate
    public TenancyComponent(@Reference Database db) {
        this.db = db;
        authorities = new AuthorityServiceImpl(db, Clock.systemUTC(), this::hasUsers);
        ledger = new JdbcQuotaLedger(db, Clock.systemUTC());
        preparer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-tenancy-schema");
            t.setDaemon(true);
            return t;
        });
        preparer.execute(() -> prepare(1));
    }

    private void prepare(long retrySeconds) {
        if (stopped) {
            return;
        }
        try {
            db.migrate("tenancy", TenancyComponent.class.getClassLoader());
            if (!"starting".equals(notReady)) {
                LOG.info("tenancy ready after the database came back");
            }
            notReady = null;
            seedDemo();
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            if (!reason.equals(notReady)) {
                LOG.error("tenancy not ready, retrying in {} s: {}", retrySeconds, reason);
            }
            notReady = reason;
            preparer.schedule(() -> prepare(Math.min(retrySeconds * 2, 30)), retrySeconds, TimeUnit.SECONDS);
        }
    }

    /**
     * @param props the security component's service properties: its configuration, with
     *        {@code demo.users} (demo tenants are seeded only when security seeds its demo users)
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setUsers(UserService u, Map<String, Object> props) {
        users = u;
        demoUsers = !"false".equalsIgnoreCase(String.valueOf(props.get("demo.users")));
        preparer.execute(this::seedDemo);
    }

    void unsetUsers(UserService u) {
        if (users == u) {
            users = null;
        }
    }

    private boolean hasUsers(String authorityId) {
        UserService u = users;
        if (u == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "cannot tell whether the authority still has users: "
                    + "the security area is not running");
        }
        return !u.list(authorityId, 1, null).items().isEmpty();
    }

    /**
     * Seeds the demo tenants and their users once both stores are ready, on the first start of an
     * empty database, when security's demo users are on.
     */
    private synchronized void seedDemo() {
        UserService u = users;
        if (demoChecked || notReady != null || u == null || !demoUsers || stopped) {
            return;
        }
        try {
            // security seeds its own demo users (admin, …) first, on its own thread: until its user
            // store answers with them, wait (creating users now would keep it from seeding)
            if (u.list(null, 1, null).items().isEmpty()) {
                throw new IllegalStateException("the security area has not seeded its demo users yet");
            }
        } catch (RuntimeException e) {
            if (++demoAttempts < 60) {
                preparer.schedule(this::seedDemo, 2, TimeUnit.SECONDS);
            } else {
                LOG.warn("demo tenants not created: {}", e.getMessage());
            }
            return;
        }
        demoChecked = true;
        try {
            if (DemoTenants.seed(authorities, u)) {
                LOG.warn("created the demo tenants ({} with {} and {}) and their users {} (password = user name): "
                        + "delete them or set demo.users=false in etc/de.sid.verbund.security.cfg for production",
                        DemoTenants.MINISTRY, DemoTenants.TAX, DemoTenants.STATISTICS,
                        DemoTenants.USERS.stream().map(x -> x[0]).toList());
            }
        } catch (RuntimeException e) {
            LOG.warn("demo tenants not created: {}", e.getMessage());
        }
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        preparer.shutdownNow();
    }

    private void ready() {
        if (notReady != null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "tenancy is not ready yet (its database schema is not "
                    + "applied: " + notReady + "); retrying in the background");
        }
    }

    @Override
    public Authority create(NewAuthority authority) {
        ready();
        return authorities.create(authority);
    }

    @Override
    public Authority update(String id, NewAuthority authority) {
        ready();
        return authorities.update(id, authority);
    }

    @Override
    public void delete(String id) {
        ready();
        authorities.delete(id);
    }

    @Override
    public Optional<Authority> find(String id) {
        ready();
        return authorities.find(id);
    }

    @Override
    public List<Authority> list() {
        ready();
        return authorities.list();
    }

    @Override
    public List<String> ancestors(String id) {
        ready();
        return authorities.ancestors(id);
    }

    @Override
    public List<String> descendants(String id) {
        ready();
        return authorities.descendants(id);
    }

    @Override
    public void reserve(String authorityId, Resources amount, String reference) {
        ready();
        ledger.reserve(authorityId, amount, reference);
    }

    @Override
    public void recheck(String reference) {
        ready();
        ledger.recheck(reference);
    }

    @Override
    public void release(String reference) {
        ready();
        ledger.release(reference);
    }

    @Override
    public QuotaUsage usage(String authorityId) {
        ready();
        return ledger.usage(authorityId);
    }
}

package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.NewAuthority;
import de.sid.verbund.tenancy.QuotaLedger;
import de.sid.verbund.tenancy.QuotaUsage;
import de.sid.verbund.tenancy.Resources;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
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

    @Activate
    public TenancyComponent(@Reference Database db) {
        this.db = db;
        authorities = new AuthorityServiceImpl(db, Clock.systemUTC(), id -> false);
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
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            if (!reason.equals(notReady)) {
                LOG.error("tenancy not ready, retrying in {} s: {}", retrySeconds, reason);
            }
            notReady = reason;
            preparer.schedule(() -> prepare(Math.min(retrySeconds * 2, 30)), retrySeconds, TimeUnit.SECONDS);
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

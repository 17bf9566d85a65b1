package de.sid.verbund.messaging.outbox.internal;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.health.Health;
import de.sid.verbund.core.health.HealthIndicator;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.persistence.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link OutboxRelay} in OSGi and reports health {@code outbox}: DEGRADED when the
 * oldest waiting event is older than {@value #STALE_SECONDS} s (the broker refuses or the relay
 * cannot keep up), with the backlog and the last error.
 *
 * <p>The relay (and the outbox schema) is made on a background thread, retried after 1 s
 * doubling to 30 s, so that a database that is down at start delays the outbox instead of
 * failing it for good. Until then {@link #add} fails (the caller's change rolls back) and health
 * is DOWN.
 */
@Component(service = {Outbox.class, HealthIndicator.class})
public class OutboxComponent implements Outbox, HealthIndicator {
    static final long STALE_SECONDS = 60;
    private static final Logger LOG = LoggerFactory.getLogger(OutboxComponent.class);
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "verbund-outbox-start");
        t.setDaemon(true);
        return t;
    });
    private volatile OutboxRelay relay;
    private volatile String notReady = "starting";
    private volatile boolean stopped;

    @Activate
    public OutboxComponent(@Reference Database db, @Reference EventBus bus) {
        starter.execute(() -> start(db, bus, 1));
    }

    private synchronized void start(Database db, EventBus bus, long retrySeconds) {
        if (stopped) {
            return;
        }
        try {
            relay = new OutboxRelay(db, bus, 250);
            if (!"starting".equals(notReady)) {
                LOG.info("outbox ready after the database came back");
            }
            notReady = null;
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage());
            if (!reason.equals(notReady)) {
                LOG.error("outbox not ready, retrying in {} s: {}", retrySeconds, reason);
            }
            notReady = reason;
            starter.schedule(() -> start(db, bus, Math.min(retrySeconds * 2, 30)), retrySeconds, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stopped = true;
        starter.shutdownNow();
        if (relay != null) {
            relay.close();
        }
    }

    /** @throws SQLException also when the outbox is not ready yet (its schema could not be applied) */
    @Override
    public void add(Connection connection, String topic, DomainEvent event) throws SQLException {
        OutboxRelay r = relay;
        if (r == null) {
            throw new SQLTransientConnectionException("the event outbox is not ready yet: " + notReady);
        }
        r.add(connection, topic, event);
    }

    /** @throws SQLException also when the outbox is not ready yet (its schema could not be applied) */
    @Override
    public void send(Connection connection, String queue, DomainEvent event) throws SQLException {
        OutboxRelay r = relay;
        if (r == null) {
            throw new SQLTransientConnectionException("the event outbox is not ready yet: " + notReady);
        }
        r.send(connection, queue, event);
    }

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public Health check() {
        OutboxRelay relay = this.relay;
        if (relay == null) {
            return Health.down(notReady);
        }
        long[] backlog = relay.backlog();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("pending", backlog[0]);
        d.put("oldestAgeSeconds", backlog[1]);
        d.put("published", relay.published());
        if (relay.lastError() != null) {
            d.put("lastError", relay.lastError());
        }
        return new Health(backlog[1] > STALE_SECONDS ? HealthStatus.DEGRADED : HealthStatus.UP, d);
    }
}

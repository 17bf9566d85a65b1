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
import java.util.LinkedHashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * Runs the {@link OutboxRelay} in OSGi and reports health {@code outbox}: DEGRADED when the
 * oldest waiting event is older than {@value #STALE_SECONDS} s (the broker refuses or the relay
 * cannot keep up), with the backlog and the last error.
 */
@Component(service = {Outbox.class, HealthIndicator.class})
public class OutboxComponent implements Outbox, HealthIndicator {
    static final long STALE_SECONDS = 60;
    private final OutboxRelay relay;

    @Activate
    public OutboxComponent(@Reference Database db, @Reference EventBus bus) {
        relay = new OutboxRelay(db, bus, 250);
    }

    @Deactivate
    void deactivate() {
        relay.close();
    }

    @Override
    public void add(Connection connection, String topic, DomainEvent event) throws SQLException {
        relay.add(connection, topic, event);
    }

    @Override
    public String name() {
        return "outbox";
    }

    @Override
    public Health check() {
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

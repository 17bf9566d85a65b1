package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.persistence.Database;
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
 * Consumes queue {@value ComputeCommands#QUEUE} with {@link ComputeCommands}. The consumer starts
 * on a background thread once the schema is applied (retried after 1 s doubling to 30 s while the
 * database is unreachable); commands sent meanwhile wait in the durable queue.
 */
@Component(service = {})
public class ComputeCommandsComponent {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeCommandsComponent.class);
    private final ScheduledExecutorService starter = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "verbund-compute-commands-start");
        t.setDaemon(true);
        return t;
    });
    private volatile Subscription subscription;
    private volatile boolean stopped;

    @Activate
    public ComputeCommandsComponent(@Reference Database db, @Reference Outbox outbox, @Reference ComputeService compute,
            @Reference EventBus bus) {
        starter.execute(() -> start(db, outbox, compute, bus, 1));
    }

    private synchronized void start(Database db, Outbox outbox, ComputeService compute, EventBus bus, long retrySeconds) {
        if (stopped) {
            return;
        }
        try {
            ComputeCommands commands = new ComputeCommands(db, outbox, compute);
            subscription = bus.consume(ComputeCommands.QUEUE, e -> commands.handle(e));
            LOG.info("consuming {}", ComputeCommands.QUEUE);
        } catch (RuntimeException e) {
            LOG.warn("not consuming {} yet, retrying in {} s: {}", ComputeCommands.QUEUE, retrySeconds, e.getMessage());
            starter.schedule(() -> start(db, outbox, compute, bus, Math.min(retrySeconds * 2, 30)), retrySeconds,
                    TimeUnit.SECONDS);
        }
    }

    @Deactivate
    synchronized void deactivate() {
        stopped = true;
        starter.shutdownNow();
        if (subscription != null) {
            subscription.close();
        }
    }
}

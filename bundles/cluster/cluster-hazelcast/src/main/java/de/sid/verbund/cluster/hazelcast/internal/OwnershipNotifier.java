package de.sid.verbund.cluster.hazelcast.internal;

import de.sid.verbund.cluster.ListenerRegistration;
import de.sid.verbund.cluster.OwnershipListener;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@link OwnershipListener}s on one dedicated thread, never on the caller's (Hazelcast's
 * event threads must not block on our listeners). Changes that arrive while a round is pending
 * are coalesced into it; a change during a round causes one more round, so every change is
 * followed by at least one call. A listener that throws is logged and does not stop the others.
 */
final class OwnershipNotifier implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OwnershipNotifier.class);

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final AtomicBoolean pending = new AtomicBoolean();
    private final AtomicLong rounds = new AtomicLong();
    private final ExecutorService executor;

    OwnershipNotifier(String threadName) {
        executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    ListenerRegistration add(OwnershipListener listener) {
        Registration r = new Registration(Objects.requireNonNull(listener, "listener"));
        registrations.add(r);
        return r;
    }

    /** Schedules a round of calls; returns at once. */
    void changed(String reason) {
        LOG.debug("ownership may have changed: {}", reason);
        if (pending.compareAndSet(false, true)) {
            try {
                executor.execute(this::round);
            } catch (RejectedExecutionException e) {
                pending.set(false); // closed: nobody to tell any more
            }
        }
    }

    /** @return how many rounds of calls have run (for tests and diagnostics) */
    long rounds() {
        return rounds.get();
    }

    private void round() {
        pending.set(false);
        rounds.incrementAndGet();
        for (Registration r : registrations) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            try {
                r.listener.ownershipChanged();
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable e) {
                LOG.warn("ownership listener {} failed; the other listeners are called regardless", r.listener, e);
            }
        }
    }

    /** Stops the thread; a round in progress is interrupted after the current listener returns. */
    @Override
    public void close() {
        registrations.clear();
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("an ownership listener did not return within 5 s of shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Registration implements ListenerRegistration {
        final OwnershipListener listener;

        Registration(OwnershipListener listener) {
            this.listener = listener;
        }

        @Override
        public void close() {
            registrations.remove(this);
        }
    }
}

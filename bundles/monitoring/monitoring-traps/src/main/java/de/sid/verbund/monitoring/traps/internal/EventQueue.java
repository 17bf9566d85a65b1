package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.monitoring.trap.TrapEvents;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trap events on their way to the event bus: a bounded in-memory queue and one thread that
 * publishes them to {@link TrapEvents#TOPIC} in batches (one broker transaction each, in the order
 * received). While the bus does not accept them (broker down, no bus installed) the batch in hand is
 * retried with back-off (0.5 s doubling up to 30 s) and new events wait in the queue; when the
 * queue is full, {@link #offer} refuses the event and the caller counts it ({@link DropReason#QUEUE_FULL}).
 * At most {@code capacity} events wait, plus one batch in hand.
 *
 * <p>The queue is memory only: events still waiting when the receiver stops are lost, and logged
 * with their number. Informs are answered only once their event is queued.
 */
final class EventQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventQueue.class);
    static final int BATCH = 100;
    private static final long FIRST_BACKOFF_MS = 500;
    private static final long MAX_BACKOFF_MS = 30_000;
    private static final long CLOSE_FLUSH_MS = 2_000;

    private final BlockingQueue<DomainEvent> queue;
    private final Supplier<EventBus> bus;
    private final TrapMetrics metrics;
    private final RateLimitedLog busLog = new RateLimitedLog(LOG, 60_000);
    private final Thread thread;
    private final List<DomainEvent> inHand = new ArrayList<>(BATCH);
    private volatile boolean closed;

    /**
     * @param capacity events held at most (1 or more)
     * @param bus the current event bus, or null while there is none
     */
    EventQueue(int capacity, Supplier<EventBus> bus, TrapMetrics metrics) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.bus = bus;
        this.metrics = metrics;
        metrics.queueSize(this::size);
        thread = new Thread(this::run, "verbund-trap-publisher");
        thread.setDaemon(true);
        thread.start();
    }

    /** @return false when the queue is full (the event is not kept) */
    boolean offer(DomainEvent event) {
        return !closed && queue.offer(event);
    }

    /** @return events waiting, the batch in hand included */
    int size() {
        synchronized (inHand) {
            return queue.size() + inHand.size();
        }
    }

    private void run() {
        long backoff = FIRST_BACKOFF_MS;
        while (!closed) {
            try {
                boolean empty;
                synchronized (inHand) {
                    empty = inHand.isEmpty();
                }
                if (empty) {
                    // only this thread fills the batch in hand; the lock is never held while waiting
                    DomainEvent first = queue.poll(500, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    synchronized (inHand) {
                        inHand.add(first);
                        queue.drainTo(inHand, BATCH - 1);
                    }
                }
                if (publish()) {
                    backoff = FIRST_BACKOFF_MS;
                } else {
                    Thread.sleep(backoff);
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                }
            } catch (InterruptedException e) {
                if (closed) {
                    return;
                }
            } catch (RuntimeException e) {
                LOG.error("Trap publisher: unexpected failure, going on", e);
            }
        }
    }

    /** Publishes the batch in hand; @return true if the bus took it */
    private boolean publish() {
        EventBus b = bus.get();
        List<DomainEvent> batch;
        synchronized (inHand) {
            batch = List.copyOf(inHand);
        }
        if (b == null) {
            busLog.warn("Trap receiver: no event bus; " + size() + " trap events wait in memory");
            return false;
        }
        try {
            b.publish(TrapEvents.TOPIC, batch);
        } catch (RuntimeException e) {
            busLog.warn("Trap receiver: the event bus refused " + batch.size() + " trap events, retrying; " + size()
                    + " wait in memory: " + e.getMessage());
            return false;
        }
        synchronized (inHand) {
            inHand.clear();
        }
        metrics.published(batch.size());
        return true;
    }

    /** Stops taking events, tries for up to 2 s to publish what waits, and logs how many are lost. */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long deadline = System.nanoTime() + CLOSE_FLUSH_MS * 1_000_000;
        while (size() > 0 && System.nanoTime() < deadline) {
            synchronized (inHand) {
                if (inHand.isEmpty()) {
                    queue.drainTo(inHand, BATCH);
                }
            }
            if (!publish()) {
                break;
            }
        }
        int lost = size();
        if (lost > 0) {
            LOG.warn("Trap receiver stopped with {} trap events not published to the event bus (lost)", lost);
        }
    }
}

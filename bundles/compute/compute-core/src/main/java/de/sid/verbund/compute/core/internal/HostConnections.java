package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.spi.ComputeException;
import de.sid.verbund.compute.spi.ComputeProvider;
import de.sid.verbund.compute.spi.HostCapacity;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One hypervisor connection per host, opened and re-opened in the background with back-off
 * (1 s doubling to 30 s). A connection that stops answering its keepalive is closed: the host
 * becomes DOWN and its VMs UNKNOWN until it is back; then the domain-change callbacks are
 * registered again (they die with the connection) and the host is resynchronised. A connect
 * that fails half-way (reading the capacity, recording the host's state) is closed and retried
 * like a refused one; a failure to record a lost connection does not stop the retries.
 */
final class HostConnections implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostConnections.class);
    private static final long MAX_BACKOFF_S = 30;

    /** Told about a host's connection: (host id, connection or {@code null} when lost). */
    interface Listener {
        void connected(Host host, HypervisorConnection connection);

        void lost(Host host, String reason);
    }

    private final Function<String, Optional<ComputeProvider>> providers;
    private final Listener listener;
    private final BiConsumer<String, String> onDomainChange;
    private final Map<String, HypervisorConnection> open = new ConcurrentHashMap<>();
    private final Map<String, Host> tracked = new ConcurrentHashMap<>();
    private final java.util.Set<String> connecting = ConcurrentHashMap.newKeySet();
    /**
     * In a cluster, connections to hosts another member owns, opened on demand for an operation
     * asked of this node: no domain-change callbacks, no keepalive reporting, no resync (the
     * owner does those); closed when this node takes the host over or the connection fails.
     */
    private final Map<String, HypervisorConnection> borrowed = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler;
    /** Resyncs run one at a time, in the order their domain events came. */
    private final java.util.concurrent.ExecutorService resyncs = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "verbund-compute-resync");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean closed;

    /**
     * @param providers finds the provider for a URI
     * @param listener told when a host connects and when its connection is lost
     * @param onDomainChange (host id, domain uuid) for each lifecycle event
     */
    HostConnections(Function<String, Optional<ComputeProvider>> providers, Listener listener,
            BiConsumer<String, String> onDomainChange, long keepaliveCheckSeconds) {
        this.providers = providers;
        this.listener = listener;
        this.onDomainChange = onDomainChange;
        this.scheduler = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "verbund-compute-hosts");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::checkAlive, keepaliveCheckSeconds, keepaliveCheckSeconds, TimeUnit.SECONDS);
    }

    /** Starts connecting to a host (no-op when already tracked). */
    void track(Host host) {
        if (tracked.putIfAbsent(host.id(), host) == null) {
            scheduler.execute(() -> connect(host.id(), 1));
        }
    }

    /**
     * Stops working for a host another member now owns: closes its connection (its callbacks die
     * with it) without reporting the host lost, and stops reconnecting.
     */
    void untrack(String hostId) {
        Host host = tracked.remove(hostId);
        HypervisorConnection c = open.remove(hostId);
        if (c != null) {
            closeQuietly(c);
        }
        if (host != null) {
            LOG.info("host {}: handed over to the member that owns it now; connection closed", host.name());
        }
    }

    /** @return whether this node keeps the host's connection (it owns the host) */
    boolean isTracked(String hostId) {
        return tracked.containsKey(hostId);
    }

    /** @return the ids of the hosts this node keeps connections to */
    java.util.Set<String> trackedIds() {
        return java.util.Set.copyOf(tracked.keySet());
    }

    /** Runs a resync task after those submitted before it. */
    void submit(Runnable task) {
        if (!closed) {
            resyncs.execute(task);
        }
    }

    /** Runs a resync task after a delay, on the resync thread. */
    void submitLater(Runnable task, long seconds) {
        if (!closed) {
            scheduler.schedule(() -> submit(task), seconds, TimeUnit.SECONDS);
        }
    }

    /** Tries every unconnected host again now (e.g. a provider service has just appeared). */
    void reconnectAll() {
        for (String hostId : tracked.keySet()) {
            if (!open.containsKey(hostId)) {
                scheduler.execute(() -> connect(hostId, 1));
            }
        }
    }

    private void connect(String hostId, long backoff) {
        Host host = tracked.get(hostId);
        if (closed || host == null || open.containsKey(hostId) || !connecting.add(hostId)) {
            return;
        }
        HypervisorConnection lent = borrowed.remove(hostId);
        if (lent != null) {
            closeQuietly(lent);
        }
        try {
            attempt(host, hostId, backoff);
        } finally {
            connecting.remove(hostId);
        }
    }

    private void attempt(Host host, String hostId, long backoff) {
        HypervisorConnection c = null;
        try {
            ComputeProvider provider = providers.apply(host.uri()).orElseThrow(() -> new ComputeException(
                    ComputeException.Kind.CONNECTION, "no compute provider for " + host.uri(), null));
            c = provider.connect(host.uri());
            c.onDomainChange(uuid -> onDomainChange.accept(hostId, uuid));
            open.put(hostId, c);
            HostCapacity cap = c.capacity();
            LOG.info("host {} connected: {} cores, {} MiB, {}", host.name(), cap.cpuCores(), cap.ramMib(), cap.hypervisor());
            listener.connected(host, c);
        } catch (RuntimeException e) {
            if (c != null) {
                // failed half-way: left open, the host would stay DOWN with a connection no retry replaces
                open.remove(hostId, c);
                closeQuietly(c);
            }
            if (backoff == 1) {
                LOG.warn("host {} ({}) not reachable, retrying with back-off: {}", host.name(), host.uri(), e.getMessage());
            }
            reportLost(host, e.getMessage());
            if (!closed) {
                scheduler.schedule(() -> connect(hostId, Math.min(backoff * 2, MAX_BACKOFF_S)), backoff, TimeUnit.SECONDS);
            }
        }
    }

    private void checkAlive() {
        for (Map.Entry<String, HypervisorConnection> e : open.entrySet()) {
            boolean alive;
            try {
                alive = e.getValue().isAlive();
            } catch (RuntimeException ex) {
                alive = false;
            }
            if (!alive) {
                drop(e.getKey(), "connection lost (keepalive)");
            }
        }
    }

    /** Closes a host's connection after a failure and reconnects in the background. */
    void drop(String hostId, String reason) {
        HypervisorConnection lent = borrowed.remove(hostId);
        if (lent != null) {
            closeQuietly(lent);
        }
        HypervisorConnection c = open.remove(hostId);
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.debug("closing connection of {}", hostId, e);
        }
        Host host = tracked.get(hostId);
        if (host != null) {
            LOG.warn("host {}: {}", host.name(), reason);
            reportLost(host, reason);
            scheduler.schedule(() -> connect(hostId, 1), 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Tells the listener; if that fails (e.g. the database), the reconnecting goes on regardless
     * (an exception here would end the keepalive check's periodic task and every retry).
     */
    private void reportLost(Host host, String reason) {
        try {
            listener.lost(host, reason);
        } catch (RuntimeException e) {
            LOG.error("host {}: could not record that it is unreachable ({}): {}", host.name(), reason, e.getMessage());
        }
    }

    private static void closeQuietly(HypervisorConnection c) {
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.debug("closing a host connection failed", e);
        }
    }

    /**
     * @return the host's open connection
     * @throws ProblemException UNAVAILABLE when the host is not connected
     */
    HypervisorConnection require(String hostId, String hostName) {
        HypervisorConnection c = open.get(hostId);
        if (c == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "host " + hostName + " is not connected");
        }
        return c;
    }

    /**
     * The connection for an operation on a host: this node's own when it owns the host, else one
     * opened on demand ({@link #borrowed}) and kept for later operations.
     *
     * @param host the host
     * @param owned whether this node owns the host (then only its own connection is used)
     * @throws ProblemException UNAVAILABLE when the host is not connected or cannot be reached
     */
    HypervisorConnection forOperation(Host host, boolean owned) {
        if (owned || tracked.containsKey(host.id())) {
            return require(host.id(), host.name());
        }
        HypervisorConnection c = borrowed.get(host.id());
        if (c != null) {
            return c;
        }
        synchronized (borrowed) {
            c = borrowed.get(host.id());
            if (c == null && !closed) {
                try {
                    ComputeProvider provider = providers.apply(host.uri()).orElseThrow(() -> new ComputeException(
                            ComputeException.Kind.CONNECTION, "no compute provider for " + host.uri(), null));
                    c = provider.connect(host.uri());
                } catch (RuntimeException e) {
                    throw new ProblemException(ProblemType.UNAVAILABLE, "host " + host.name() + " is not reachable from "
                            + "this node: " + e.getMessage());
                }
                borrowed.put(host.id(), c);
            }
        }
        if (c == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "host " + host.name() + " is not connected");
        }
        return c;
    }

    boolean isConnected(String hostId) {
        return open.containsKey(hostId);
    }

    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        resyncs.shutdownNow();
        open.values().forEach(HostConnections::closeQuietly);
        open.clear();
        borrowed.values().forEach(HostConnections::closeQuietly);
        borrowed.clear();
    }
}

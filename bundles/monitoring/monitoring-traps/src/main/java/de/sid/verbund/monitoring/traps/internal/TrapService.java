package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Page;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.DeviceInventory;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trap receiver with everything around it, without OSGi: the {@link TrapReceiver} (bound on a
 * thread of its own, and bound again every 30 s while the port cannot be had), the event queue to the
 * bus, the recent-traps history, the counters, and the refresh of what is accepted and attributed.
 *
 * <p>Every {@code refreshInterval} the stored credentials and the device list are read again. An
 * unknown community or USM user reads the credentials at once, on the receiving thread, at most
 * every {@code refreshMinInterval}: a new credential works for the next trap, and a flood of
 * unknown traps reads the database at most that often. While the inventory cannot be read (database
 * down) the last credentials and devices stay in force.
 */
final class TrapService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrapService.class);
    private static final long BIND_RETRY_S = 30;

    /**
     * @param bindAddress local address to listen on
     * @param port UDP port (0: any free port)
     * @param trustedRelays relays whose {@code snmpTrapAddress.0} is believed
     * @param extraCommunities communities accepted besides the stored credentials'
     * @param engineId the SNMPv3 engine ID, or null for the one derived from host name and port
     * @param refreshIntervalMs how often credentials and devices are read again
     * @param refreshMinIntervalMs the least time between two reads of the credentials on demand
     * @param queueCapacity events held while the bus does not take them
     * @param historySize recent traps kept for {@code GET /api/traps}
     */
    record Options(InetAddress bindAddress, int port, Set<InetAddress> trustedRelays, Set<String> extraCommunities,
                   byte[] engineId, long refreshIntervalMs, long refreshMinIntervalMs, int queueCapacity, int historySize) {
        Options {
            trustedRelays = Set.copyOf(trustedRelays);
            extraCommunities = Set.copyOf(extraCommunities);
        }
    }

    private final Options options;
    private final DeviceInventory inventory;
    private final TrapMetrics metrics = new TrapMetrics();
    private final TrapHistory history;
    private final EventQueue queue;
    private final DeviceDirectory directory = new DeviceDirectory();
    private final ScheduledExecutorService scheduler;
    private final AtomicLong lastCredentialRead = new AtomicLong(System.nanoTime() - Long.MAX_VALUE / 2);
    private final RateLimitedLog inventoryLog = new RateLimitedLog(LOG, 60_000);
    private final Object credentialLock = new Object();
    private volatile TrapReceiver receiver;
    private volatile List<SnmpCredentials> secrets;
    private volatile List<Credential> credentialList = List.of();
    private volatile boolean closed;
    private boolean bindFailureLogged;

    /**
     * @param bus the current event bus, or null while there is none
     */
    TrapService(Options options, DeviceInventory inventory, Supplier<EventBus> bus) {
        this.options = options;
        this.inventory = inventory;
        this.history = new TrapHistory(options.historySize());
        this.queue = new EventQueue(options.queueCapacity(), bus, metrics);
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "verbund-trap-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts binding and refreshing on the service's own thread; returns at once. */
    void start() {
        scheduler.execute(this::bind);
        scheduler.scheduleWithFixedDelay(this::refresh, 0, Math.max(1, options.refreshIntervalMs()), TimeUnit.MILLISECONDS);
    }

    /**
     * Binds now, on the calling thread (tests).
     *
     * @return the receiver's local address
     * @throws IOException if the port cannot be bound
     */
    InetSocketAddress startNow() throws IOException {
        refreshCredentials();
        refreshDevices();
        TrapReceiver r = open();
        scheduler.scheduleWithFixedDelay(this::refresh, options.refreshIntervalMs(), Math.max(1, options.refreshIntervalMs()),
                TimeUnit.MILLISECONDS);
        return r.localAddress();
    }

    private void bind() {
        if (closed || receiver != null) {
            return;
        }
        try {
            open();
        } catch (IOException | RuntimeException e) {
            if (!bindFailureLogged) {
                LOG.error("Trap receiver: cannot listen on udp:{}:{} ({}); no traps are received until it can, trying "
                        + "again every {} s (port and bind.address in {}.cfg)", options.bindAddress().getHostAddress(),
                        options.port(), e.getMessage(), BIND_RETRY_S, TrapReceiverConfig.PID);
                bindFailureLogged = true;
            }
            if (!closed) {
                scheduler.schedule(this::bind, BIND_RETRY_S, TimeUnit.SECONDS);
            }
        }
    }

    private TrapReceiver open() throws IOException {
        byte[] engineId = options.engineId() != null ? options.engineId() : defaultEngineId(options.port());
        TrapReceiver r = new TrapReceiver(new TrapReceiver.Settings(options.bindAddress(), options.port(),
                options.trustedRelays(), engineId), options.extraCommunities(), directory, queue, history, metrics,
                this::refreshCredentialsOnDemand);
        synchronized (credentialLock) {
            List<SnmpCredentials> s = secrets;
            if (s != null) {
                r.credentials().apply(s);
            }
            receiver = r;
        }
        if (closed) {
            r.close();
            receiver = null;
            throw new IOException("the trap receiver was stopped");
        }
        metrics.up(true);
        if (bindFailureLogged) {
            LOG.info("Trap receiver: listening on udp:{}:{} now", options.bindAddress().getHostAddress(), options.port());
        }
        return r;
    }

    private void refresh() {
        try {
            refreshCredentials();
            refreshDevices();
        } catch (RuntimeException e) {
            inventoryLog.warn("Trap receiver: the stored credentials and devices could not be read, the last ones read "
                    + "stay in force: " + e.getMessage());
        }
    }

    /** Reads the stored credentials into what the receiver accepts. */
    void refreshCredentials() {
        synchronized (credentialLock) {
            lastCredentialRead.set(System.nanoTime());
            List<SnmpCredentials> s = List.copyOf(inventory.trapCredentials());
            credentialList = List.copyOf(inventory.credentials());
            secrets = s;
            TrapReceiver r = receiver;
            if (r != null && r.credentials().apply(s)) {
                LOG.debug("Trap receiver: {} stored credentials accepted", s.size());
            }
        }
    }

    private void refreshDevices() {
        List<SnmpCredentials> s = secrets;
        directory.update(inventory.allDevices(), credentialList, s == null ? List.of() : s);
    }

    /** @return true if the credentials were read again (not within the last refreshMinInterval) */
    private boolean refreshCredentialsOnDemand() {
        long last = lastCredentialRead.get();
        long now = System.nanoTime();
        if (now - last < options.refreshMinIntervalMs() * 1_000_000L || !lastCredentialRead.compareAndSet(last, now)) {
            return false;
        }
        try {
            refreshCredentials();
            return true;
        } catch (RuntimeException e) {
            inventoryLog.warn("Trap receiver: the stored credentials could not be read for an unknown community or user: "
                    + e.getMessage());
            return false;
        }
    }

    /**
     * The default SNMPv3 engine ID (RFC 3411 SnmpEngineID): SNMP4J's enterprise number 4976, format 5
     * (octets), then the first 12 bytes of the SHA-256 of host name and port: the same across restarts,
     * different for two receivers on one host.
     */
    static byte[] defaultEngineId(int port) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "localhost";
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(("verbund-traps/" + host + "/" + port)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] id = new byte[17];
        id[0] = (byte) 0x80;
        id[1] = 0x00;
        id[2] = 0x13;
        id[3] = 0x70;
        id[4] = 0x05;
        System.arraycopy(hash, 0, id, 5, 12);
        return id;
    }

    /**
     * @param hex an engine ID as hex digits ({@code 80001370…}, colons and spaces allowed)
     * @return its bytes
     * @throws IllegalArgumentException unless 5 to 32 bytes (RFC 3411)
     */
    static byte[] parseEngineId(String hex) {
        String digits = hex.replaceAll("[\\s:]", "");
        if (digits.startsWith("0x") || digits.startsWith("0X")) {
            digits = digits.substring(2);
        }
        byte[] id;
        try {
            id = java.util.HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("engine.id '" + hex + "' is not hex");
        }
        if (id.length < 5 || id.length > 32) {
            throw new IllegalArgumentException("engine.id has 5 to 32 bytes (RFC 3411), not " + id.length);
        }
        return id;
    }

    /** @return the receiver's local address, or null while it is not listening */
    InetSocketAddress localAddress() {
        TrapReceiver r = receiver;
        return r == null ? null : r.localAddress();
    }

    TrapMetrics metrics() {
        return metrics;
    }

    MetricSnapshots collect() {
        return metrics.collect();
    }

    Page<DomainEvent> recent(int limit, String cursor) {
        return history.recent(limit, cursor);
    }

    /** Closes the socket, then publishes what waits for up to 2 s. */
    @Override
    public void close() {
        closed = true;
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TrapReceiver r = receiver;
        receiver = null;
        if (r != null) {
            r.close();
        }
        metrics.up(false);
        queue.close();
    }
}

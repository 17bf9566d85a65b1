package de.sid.verbund.messaging.artemis.internal;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.health.Health;
import de.sid.verbund.core.health.HealthIndicator;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.EventHandler;
import de.sid.verbund.messaging.MessagingException;
import de.sid.verbund.messaging.Subscription;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.TransportConstants;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the Artemis broker (embedded) or the connection to an external one, and publishes the
 * {@link EventBus} and the {@code broker} {@link HealthIndicator} over it; no Artemis object
 * leaves this bundle. Activation returns at once: the broker is started (or the connection
 * made) on a single background thread, and {@code publish}/{@code send}/{@code subscribe} wait
 * for it at most {@code ready.timeout.ms}.
 */
@Component(service = {EventBus.class, HealthIndicator.class}, configurationPid = MessagingConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
@Designate(ocd = MessagingConfig.class)
public class ArtemisMessagingComponent implements EventBus, HealthIndicator {
    private static final Logger LOG = LoggerFactory.getLogger(ArtemisMessagingComponent.class);
    /** In-VM acceptor ids are JVM-wide; start well away from the 0 that tools and tests use. */
    private static final AtomicInteger IN_VM_IDS = new AtomicInteger(7_100);

    private final boolean embedded;
    private final Path journalDirectory;
    private final int inVmServerId;
    private final String displayTarget;
    private final long readyTimeoutMs;
    private final ServerLocator locator;
    private final ExecutorService starter;
    private final CompletableFuture<ArtemisEventBus> ready = new CompletableFuture<>();
    private volatile EmbeddedBroker broker;
    private volatile boolean stopping;

    @Activate
    public ArtemisMessagingComponent(MessagingConfig config) {
        validate(config);
        this.embedded = config.embedded();
        this.readyTimeoutMs = config.ready_timeout_ms();
        String user = config.user().trim();
        String password = de.sid.verbund.core.Secrets.resolve(config.password(), config.password_env());
        this.inVmServerId = IN_VM_IDS.incrementAndGet();
        if (embedded) {
            journalDirectory = config.journal_directory().isBlank()
                    ? Path.of(System.getProperty("karaf.data", "./data")).resolve("artemis")
                    : Path.of(config.journal_directory().trim());
            displayTarget = "embedded broker (journal " + journalDirectory.toAbsolutePath().normalize()
                    + (config.tcp_port() > 0 ? ", tcp://" + config.tcp_host() + ":" + config.tcp_port() : ", in-VM only")
                    + ")";
        } else {
            journalDirectory = null;
            displayTarget = sanitize(config.broker_url().trim());
        }
        this.locator = createLocator(config);
        this.starter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "verbund-broker-start");
            t.setDaemon(true);
            return t;
        });
        starter.execute(() -> start(config, user, password));
    }

    private static void validate(MessagingConfig c) {
        if (c.max_deliveries() < 1) {
            throw new IllegalArgumentException("max.deliveries must be at least 1: " + c.max_deliveries());
        }
        if (c.redelivery_delay_ms() < 0 || c.redelivery_multiplier() < 1.0) {
            throw new IllegalArgumentException("redelivery.delay.ms must be >= 0 and redelivery.multiplier >= 1: "
                    + c.redelivery_delay_ms() + ", " + c.redelivery_multiplier());
        }
        if (c.tcp_port() < 0 || c.tcp_port() > 65_535) {
            throw new IllegalArgumentException("tcp.port must be 0 (in-VM only) or a TCP port: " + c.tcp_port());
        }
        if (c.ready_timeout_ms() <= 0) {
            throw new IllegalArgumentException("ready.timeout.ms must be positive: " + c.ready_timeout_ms());
        }
        if (!c.embedded() && c.broker_url().isBlank()) {
            throw new IllegalArgumentException("broker.url is required when embedded=false");
        }
    }

    private ServerLocator createLocator(MessagingConfig config) {
        try {
            return EmbeddedBroker.withArtemisClassLoader(() -> {
                ServerLocator l;
                if (embedded) {
                    l = ActiveMQClient.createServerLocatorWithoutHA(new TransportConfiguration(
                            InVMConnectorFactory.class.getName(),
                            Map.of(TransportConstants.SERVER_ID_PROP_NAME, inVmServerId)));
                } else {
                    String url = config.broker_url().trim();
                    l = ActiveMQClient.createServerLocator(url);
                    // keep trying while the broker is away (initially and after a connection loss)
                    if (!url.contains("reconnectAttempts")) {
                        l.setReconnectAttempts(-1);
                    }
                    if (!url.contains("initialConnectAttempts")) {
                        l.setInitialConnectAttempts(-1);
                    }
                    if (!url.contains("retryInterval")) {
                        l.setRetryInterval(1_000).setRetryIntervalMultiplier(2.0).setMaxRetryInterval(30_000);
                    }
                }
                // own thread pools, shut down with the locator; no client-side buffering, so
                // consumers of one queue share its messages fairly
                l.setUseGlobalPools(false);
                l.setConsumerWindowSize(0);
                l.setBlockOnDurableSend(true);
                l.setBlockOnNonDurableSend(true);
                return l;
            });
        } catch (Exception e) {
            throw new IllegalArgumentException("broker.url " + displayTarget + " is not a valid Artemis URL: "
                    + e.getMessage(), e);
        }
    }

    private void start(MessagingConfig config, String user, String password) {
        ArtemisEventBus bus = null;
        try {
            if (embedded) {
                broker = EmbeddedBroker.start(journalDirectory, inVmServerId, config.tcp_host().trim(),
                        config.tcp_port(), user, password, config.max_deliveries(), config.redelivery_delay_ms(),
                        config.redelivery_multiplier());
                LOG.info("Artemis {} started: {}", broker.server().getVersion().getFullVersion(), displayTarget);
            }
            if (stopping) {
                return;
            }
            bus = new ArtemisEventBus(locator, user, password, config.max_deliveries());
            bus.connect();
            if (!embedded) {
                LOG.info("event bus connected to {}", displayTarget);
            }
            ready.complete(bus);
        } catch (Throwable e) {
            if (bus != null) {
                bus.close();
            }
            if (stopping) {
                LOG.debug("start aborted by deactivation", e);
            } else {
                LOG.error("event bus could not start ({}): {}", displayTarget, e.toString(), e);
            }
            ready.completeExceptionally(e);
        }
    }

    @Deactivate
    void deactivate() {
        stopping = true;
        if (!ready.isDone()) {
            // abort a connection attempt in progress; the start thread then ends
            try {
                locator.close();
            } catch (RuntimeException e) {
                LOG.debug("closing the locator", e);
            }
        }
        starter.execute(this::stop); // after the start task, on the same thread
        starter.shutdown();
        try {
            if (!starter.awaitTermination(60, TimeUnit.SECONDS)) {
                LOG.warn("the broker did not stop within 60 s");
                starter.shutdownNow();
            }
        } catch (InterruptedException e) {
            starter.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void stop() {
        ready.completeExceptionally(new MessagingException("the event bus is stopped", null));
        ArtemisEventBus bus = ready.isCompletedExceptionally() ? null : ready.join();
        if (bus != null) {
            bus.close();
        } else {
            locator.close();
        }
        EmbeddedBroker b = broker;
        if (b != null) {
            try {
                b.stop();
                LOG.info("Artemis broker stopped");
            } catch (Exception e) {
                LOG.warn("stopping the Artemis broker: {}", e.toString(), e);
            }
        }
    }

    private ArtemisEventBus bus(String what) {
        try {
            return ready.get(readyTimeoutMs, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new MessagingException("cannot " + what + ": " + displayTarget + " is not ready after "
                    + readyTimeoutMs + " ms (" + (embedded ? "broker still starting" : "still connecting") + ")", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MessagingException me && stopping) {
                throw me;
            }
            throw new MessagingException("cannot " + what + ": " + displayTarget + " failed to start: " + cause,
                    cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("cannot " + what + ": interrupted while waiting for the broker", e);
        }
    }

    @Override
    public void publish(String topic, DomainEvent event) {
        bus("publish to topic " + topic).publish(topic, event);
    }

    @Override
    public void publish(String topic, java.util.List<DomainEvent> events) {
        bus("publish to topic " + topic).publish(topic, events);
    }

    @Override
    public void send(String queue, DomainEvent event) {
        bus("send to queue " + queue).send(queue, event);
    }

    @Override
    public Subscription subscribe(String topic, String subscription, EventHandler handler) {
        return bus("subscribe " + subscription + " to topic " + topic).subscribe(topic, subscription, handler);
    }

    @Override
    public void publishLive(String topic, DomainEvent event) {
        bus("publish live to topic " + topic).publishLive(topic, event);
    }

    @Override
    public Subscription subscribeLive(String topic, EventHandler handler) {
        return bus("subscribe live to topic " + topic).subscribeLive(topic, handler);
    }

    @Override
    public Subscription consume(String queue, EventHandler handler) {
        return bus("consume queue " + queue).consume(queue, handler);
    }

    @Override
    public String name() {
        return "broker";
    }

    @Override
    public Health check() {
        try {
            if (!ready.isDone()) {
                return Health.down((embedded ? "starting " : "connecting to ") + displayTarget);
            }
            if (ready.isCompletedExceptionally()) {
                Throwable cause = ready.handle((b, t) -> t).join();
                if (cause instanceof CompletionException && cause.getCause() != null) {
                    cause = cause.getCause();
                }
                return Health.down(displayTarget + ": " + cause);
            }
            ArtemisEventBus bus = ready.join();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("mode", embedded ? "embedded" : "external");
            if (embedded) {
                EmbeddedBroker b = broker;
                ActiveMQServer server = b.server();
                d.put("journal", b.directory().toAbsolutePath().normalize().toString());
                d.put("tcp", b.tcpUrl() == null ? "in-VM only" : b.tcpUrl());
                d.put("version", server.getVersion().getFullVersion());
                d.put("started", server.isActive());
                d.put("uptimeMs", server.getUptimeMillis());
                d.put("messages", server.getTotalMessageCount());
                d.put("deadLetters", b.deadLetterCount());
                if (!server.isActive()) {
                    return new Health(HealthStatus.DOWN, withError(d, "broker not active"));
                }
            } else {
                d.put("url", displayTarget);
            }
            d.putAll(bus.details());
            if (!bus.isConnected()) {
                return new Health(HealthStatus.DOWN,
                        withError(d, "connection to " + displayTarget + " lost; reconnecting"));
            }
            return Health.up(d);
        } catch (RuntimeException e) {
            return Health.down(e.toString());
        }
    }

    private static Map<String, Object> withError(Map<String, Object> d, String error) {
        d.put("error", error);
        return d;
    }

    /** Hides a password given in the URL's query. */
    static String sanitize(String url) {
        return url.replaceAll("(?i)(password=)[^&;)]*", "$1***");
    }

    // for tests in this package
    EmbeddedBroker broker() {
        return broker;
    }

    boolean awaitReady(long ms) {
        try {
            ready.get(ms, TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}

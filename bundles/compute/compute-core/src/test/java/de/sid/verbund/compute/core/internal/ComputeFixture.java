package de.sid.verbund.compute.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.messaging.artemis.internal.ArtemisMessagingComponent;
import de.sid.verbund.messaging.artemis.internal.MessagingConfig;
import de.sid.verbund.messaging.outbox.internal.OutboxRelay;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.libvirt.Connect;

/**
 * What the compute service tests run against, without mocks: once per test class a real
 * embedded Artemis broker as the event bus (journal in a temporary directory, random port) and
 * the real libvirt provider, for libvirt's in-process test driver; per test an embedded H2
 * database, the outbox relay onto the bus and subscriptions that record the service's events.
 *
 * <p>A test class registers it in a static field and gets its service in {@code @BeforeEach}
 * from {@link #service} (or builds one from {@link #database} and {@link #outbox}), with a
 * {@link TestDriverProvider} over {@link #libvirt()}. What the fixture opened for a test it closes
 * after the test, newest first, after the test's own {@code @AfterEach} (JUnit runs extensions'
 * clean-up last): a service built by the test must be closed by the test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ComputeFixture fixture = new ComputeFixture();
 * }</pre>
 *
 * <p>{@link #withDefaultHost()} also keeps a connection of its own to {@value #DEFAULT_URI}, the
 * test driver's one hypervisor per JVM, for the whole class (it lives as long as a connection to
 * it does), and after each test removes the domains the test left there.
 */
final class ComputeFixture implements BeforeAllCallback, AfterAllCallback, AfterEachCallback {
    /** libvirt's default test hypervisor: one per JVM, shared by every connection to it. */
    static final String DEFAULT_URI = "test:///default";
    /** The test driver's own domain on {@value #DEFAULT_URI}, left in place. */
    private static final String DRIVER_DOMAIN = "test";

    private final boolean withDefaultHost;
    private Path brokerDir;
    private ArtemisMessagingComponent bus;
    private LibvirtProvider libvirt;
    private HypervisorConnection defaultHost;
    /** What the running test opened through the fixture, newest first. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();

    /** Broker and libvirt provider only. */
    ComputeFixture() {
        this(false);
    }

    private ComputeFixture(boolean withDefaultHost) {
        this.withDefaultHost = withDefaultHost;
    }

    /** @return a fixture that also holds a connection to {@value #DEFAULT_URI} and cleans it after each test */
    static ComputeFixture withDefaultHost() {
        return new ComputeFixture(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        brokerDir = Files.createTempDirectory("verbund-compute-broker");
        bus = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory",
                brokerDir.toString(), "tcp_port", 0));
        libvirt = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
        if (withDefaultHost) {
            defaultHost = libvirt.connect(DEFAULT_URI);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception failure = null;
        synchronized (opened) {
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
        }
        if (defaultHost != null) {
            // test:///default outlives the test: remove what the test left there (not the driver's own domain)
            for (DomainInfo d : defaultHost.domains()) {
                if (!d.name().equals(DRIVER_DOMAIN)) {
                    defaultHost.destroy(d.uuid());
                    defaultHost.undefine(d.uuid(), true);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (defaultHost != null) {
            defaultHost.close();
        }
        if (libvirt != null) {
            invoke(libvirt, "deactivate");
        }
        if (bus != null) {
            invoke(bus, "deactivate");
        }
        if (brokerDir != null) {
            try (Stream<Path> files = Files.walk(brokerDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    /** @return the real event bus (embedded Artemis) */
    de.sid.verbund.messaging.EventBus bus() {
        return bus;
    }

    /** @return the real libvirt provider */
    LibvirtProvider libvirt() {
        return libvirt;
    }

    /**
     * @return this fixture's own connection to {@value #DEFAULT_URI}: another client of the
     *         hypervisor the service connects to, so changes made through it are "outside Verbund"
     * @throws IllegalStateException when the fixture was not made {@link #withDefaultHost()}
     */
    HypervisorConnection defaultHost() {
        if (defaultHost == null) {
            throw new IllegalStateException("ComputeFixture.withDefaultHost() keeps a connection to " + DEFAULT_URI);
        }
        return defaultHost;
    }

    /**
     * @param dir the test's directory for the database files
     * @return an embedded H2 database (pool of 8, 10 s connection timeout), closed after the test
     */
    JdbcDatabase database(Path dir) {
        return database(JdbcDatabase.embeddedH2Url(dir));
    }

    /**
     * @param h2Url an embedded H2 URL, e.g. {@link JdbcDatabase#embeddedH2Url} with other settings
     * @return the database (pool of 8, 10 s connection timeout), closed after the test
     */
    JdbcDatabase database(String h2Url) {
        return closedAfterTest(new JdbcDatabase(h2Url, "verbund", "", 8, 10_000));
    }

    /**
     * @param url a JDBC URL, e.g. a PostgreSQL schema of {@code TestPostgres#newSchema}
     * @return the database (pool of 8, 10 s connection timeout), closed after the test
     */
    JdbcDatabase database(String url, String user, String password) {
        return closedAfterTest(new JdbcDatabase(url, user, password, 8, 10_000));
    }

    /** @return the outbox relay from {@code db} onto the bus (polling every 20 ms), closed after the test */
    OutboxRelay outbox(Database db) {
        return closedAfterTest(new OutboxRelay(db, bus, 20));
    }

    /**
     * @param db the service's database, e.g. {@link #database}
     * @param provider how the service connects to hosts
     * @param config the service's configuration
     * @return the compute service, publishing through its own {@link #outbox}; closed after the
     *         test, before what it uses
     */
    ComputeServiceImpl service(Database db, TestDriverProvider provider, ComputeConfig config) {
        return closedAfterTest(new ComputeServiceImpl(db, outbox(db), provider::lookup, config));
    }

    /**
     * The same in a cluster: the service keeps connections only to the hosts {@code owns} says
     * this node owns.
     */
    ComputeServiceImpl service(Database db, TestDriverProvider provider, ComputeConfig config,
            java.util.function.Predicate<String> owns) {
        return closedAfterTest(new ComputeServiceImpl(db, outbox(db), provider::lookup, config, owns));
    }

    /**
     * Subscribes to {@link ComputeServiceImpl#TOPIC} under a new subscription name for the test.
     *
     * @param name the start of the subscription name (a random UUID follows)
     * @param accept which events to keep
     * @return the events kept so far, in the order they arrived (a live, read-only list); the
     *         subscription ends after the test
     */
    List<DomainEvent> events(String name, Predicate<DomainEvent> accept) {
        List<DomainEvent> kept = new CopyOnWriteArrayList<>();
        Subscription subscription = bus.subscribe(ComputeServiceImpl.TOPIC, name + "-" + UUID.randomUUID(), e -> {
            if (accept.test(e)) {
                kept.add(e);
            }
        });
        closedAfterTest(subscription);
        return Collections.unmodifiableList(kept);
    }

    private <T extends AutoCloseable> T closedAfterTest(T resource) {
        synchronized (opened) {
            opened.push(resource);
        }
        return resource;
    }

    // --- helpers ---------------------------------------------------------------------------------

    /**
     * @param nodeFile a node file in the test resources' {@code testdriver/}, e.g. {@code kvm8.xml}
     * @return the test driver URI of that file where it is (every connection a fresh hypervisor)
     */
    static String testDriverUri(String nodeFile) {
        URL resource = ComputeFixture.class.getResource("/testdriver/" + nodeFile);
        if (resource == null) {
            throw new IllegalArgumentException("no testdriver/" + nodeFile + " in the test resources");
        }
        try {
            return "test://" + Paths.get(resource.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Copies a node file, so that a host of its own has its own URI.
     *
     * @param dir where to put the copy
     * @param nodeFile a node file in the test resources' {@code testdriver/}
     * @param copyName the copy's file name
     * @return the test driver URI of the copy
     */
    static String testDriverCopy(Path dir, String nodeFile, String copyName) {
        Path copy = dir.resolve(copyName);
        try (InputStream in = ComputeFixture.class.getResourceAsStream("/testdriver/" + nodeFile)) {
            Files.copy(in, copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "test://" + copy.toAbsolutePath();
    }

    /**
     * Waits, polling every 20 ms, until the service shows the host in {@code state}.
     *
     * @return the host as it was then
     */
    static Host awaitHost(ComputeService compute, String hostId, HostState state, Duration atMost) {
        return await("host " + state).atMost(atMost).pollInterval(Duration.ofMillis(20))
                .until(() -> compute.host(hostId).orElseThrow(), h -> h.state() == state);
    }

    /** @return the events about one VM ({@code payload.vmId}), in order */
    static List<DomainEvent> eventsOfVm(List<DomainEvent> events, String vmId) {
        return events.stream().filter(e -> vmId.equals(e.payload().get("vmId"))).toList();
    }

    /** Waits until the events about one VM are exactly these (type, {@code payload.state}) pairs, in order. */
    static void awaitEventsOfVm(List<DomainEvent> events, String vmId, Duration atMost, Tuple... expected) {
        await().atMost(atMost).untilAsserted(() -> assertThat(eventsOfVm(events, vmId))
                .extracting(DomainEvent::type, e -> e.payload().get("state")).containsExactly(expected));
    }

    /**
     * @param real a real connection of the libvirt provider (not one behind a proxy)
     * @return the volumes of its storage pool {@code default-pool}, the test driver's pool
     */
    static List<String> volumes(HypervisorConnection real) throws Exception {
        Connect c = (Connect) invoke(real, "libvirt");
        return Arrays.asList(c.storagePoolLookupByName("default-pool").listVolumes());
    }

    /** Calls a package-private method of a component in another package (deactivate, libvirt()). */
    private static Object invoke(Object target, String method) throws Exception {
        Class<?> type = target.getClass();
        while (type != null) {
            try {
                Method m = type.getDeclaredMethod(method);
                m.setAccessible(true);
                return m.invoke(target);
            } catch (NoSuchMethodException e) {
                type = type.getSuperclass();
            }
        }
        throw new NoSuchMethodException(method);
    }
}

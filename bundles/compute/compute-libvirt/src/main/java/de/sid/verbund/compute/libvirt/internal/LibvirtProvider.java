package de.sid.verbund.compute.libvirt.internal;

import de.sid.verbund.compute.spi.ComputeException;
import de.sid.verbund.compute.spi.ComputeException.Kind;
import de.sid.verbund.compute.spi.ComputeProvider;
import de.sid.verbund.compute.spi.HostCapacity;
import de.sid.verbund.compute.spi.HypervisorConnection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libvirt hypervisor provider ({@code compute.provider=libvirt}) for {@code qemu:///…},
 * {@code qemu+ssh://…}, {@code qemu+tcp://…} and {@code test:///…} URIs, on libvirt-java over
 * JNA and the host's {@code libvirt.so.0}. Owns libvirt's event loop thread and closes every
 * connection it opened when it is deactivated.
 */
@Component(service = ComputeProvider.class, property = "compute.provider=libvirt",
        configurationPid = LibvirtProvider.PID)
@Designate(ocd = LibvirtProvider.Config.class)
public class LibvirtProvider implements ComputeProvider {
    static final String PID = "de.sid.verbund.compute.libvirt";
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtProvider.class);
    private static final List<String> SCHEMES = List.of("qemu://", "qemu+ssh://", "qemu+tcp://", "qemu+unix://",
            "test://");

    @ObjectClassDefinition(name = "Verbund libvirt provider", description = "Connections to libvirt hosts")
    public @interface Config {
        @AttributeDefinition(description = "Seconds between keepalive probes on remote connections; 0 turns keepalive off")
        int keepalive_interval() default 5;

        @AttributeDefinition(description = "Unanswered keepalive probes after which libvirt closes the connection")
        int keepalive_count() default 3;

        @AttributeDefinition(description = "URI to connect to once at activation, on a worker thread, logging the host's "
                + "capacity (e.g. test:///default to check the native library); empty: none")
        String probe_uri() default "";
    }

    private final Config config;
    private final Set<LibvirtConnection> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService probe = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "libvirt-probe");
        t.setDaemon(true);
        return t;
    });

    @Activate
    public LibvirtProvider(Config config) {
        this.config = config;
        // before anything touches JNA: its native stub goes under the node's data directory
        JnaTmpDir.configure(System.getProperties());
        LibvirtEventLoop.start();
        String probeUri = config.probe_uri().strip();
        if (!probeUri.isEmpty()) {
            probe.execute(() -> probe(probeUri));
        }
    }

    @Deactivate
    void deactivate() {
        probe.shutdownNow();
        try {
            probe.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (LibvirtConnection c : List.copyOf(open)) {
            c.close();
        }
        LibvirtEventLoop.stop();
    }

    @Override
    public String type() {
        return "libvirt";
    }

    @Override
    public boolean supports(String uri) {
        if (uri == null) {
            return false;
        }
        String u = uri.strip().toLowerCase(Locale.ROOT);
        return SCHEMES.stream().anyMatch(u::startsWith);
    }

    @Override
    public HypervisorConnection connect(String uri) {
        if (!supports(uri)) {
            throw new ComputeException(Kind.UNSUPPORTED, "host " + uri + ": not a libvirt URI this provider handles "
                    + SCHEMES, null);
        }
        java.util.Optional<String> refused = de.sid.verbund.compute.spi.TestDriverUris.problem(uri.strip());
        if (refused.isPresent()) {
            // never handed to libvirt: its test driver would read any file with this process's rights
            throw new ComputeException(Kind.UNSUPPORTED, "host " + uri + ": " + refused.get(), null);
        }
        LibvirtEventLoop.start();
        StreamingConnect connect;
        try {
            connect = openConnect(uri.strip());
        } catch (LibvirtException e) {
            throw new ComputeException(Kind.CONNECTION, "host " + uri + ": cannot connect: " + LibvirtErrors.text(e), e);
        }
        LibvirtConnection[] holder = new LibvirtConnection[1];
        LibvirtConnection connection = new LibvirtConnection(uri.strip(), connect, this::openConnect,
                () -> open.remove(holder[0]));
        holder[0] = connection;
        open.add(connection);
        LOG.info("host {}: connected", uri);
        return connection;
    }

    /** Opens a connection with keepalive: a host's own, or one to read a volume during a migration. */
    private StreamingConnect openConnect(String uri) throws LibvirtException {
        StreamingConnect connect = new StreamingConnect(uri);
        keepalive(uri, connect);
        return connect;
    }

    /** Local drivers (test, qemu:/// without daemon proxy) have no keepalive: that is fine. */
    private void keepalive(String uri, Connect connect) {
        if (config.keepalive_interval() <= 0) {
            return;
        }
        try {
            connect.setKeepAlive(config.keepalive_interval(), config.keepalive_count());
        } catch (LibvirtException e) {
            LOG.debug("host {}: no keepalive: {}", uri, LibvirtErrors.text(e));
        }
    }

    private void probe(String uri) {
        try (HypervisorConnection c = connect(uri)) {
            HostCapacity capacity = c.capacity();
            LOG.info("libvirt probe {}: {}, {} cores, {} MiB, {} domains", uri, capacity.hypervisor(),
                    capacity.cpuCores(), capacity.ramMib(), c.domains().size());
        } catch (ComputeException e) {
            LOG.warn("libvirt probe {} failed: {}", uri, e.getMessage());
        } catch (LinkageError e) {
            LOG.error("libvirt probe {}: the native libvirt library cannot be used", uri, e);
        }
    }

    /** @return connections opened and not yet closed, for tests */
    int openConnections() {
        return open.size();
    }
}

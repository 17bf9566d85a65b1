package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.compute.spi.ComputeException;
import de.sid.verbund.compute.spi.ComputeProvider;
import de.sid.verbund.compute.spi.HypervisorConnection;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real libvirt provider as the service sees it in tests, with what the tests need on top.
 * One per test: it keeps what it handed out.
 *
 * <ul>
 * <li>It keeps every connection it hands the service, by URI: a connection to a test driver
 * node file is a hypervisor of its own, so a test acts "behind Verbund's back" through the
 * very connection the service holds.</li>
 * <li>It can be told to refuse connections for a while, as an unreachable host does. A refused
 * {@link #connect} is a real failed libvirt connect, to a TCP port nothing listens on (the test
 * driver has no network to take away), so the service gets exactly the {@link ComputeException}
 * the provider throws for an unreachable host.</li>
 * <li>It can hand out a connection whose first {@code capacity()} fails as if the network dropped
 * right after the connect: a fault the in-process test driver cannot produce, so it is injected.</li>
 * <li>It can run a {@link Hook} before every call the service makes on one of its connections, to
 * change things on a host at a chosen moment or to make a call fail.</li>
 * </ul>
 */
final class TestDriverProvider implements ComputeProvider {
    /** Nothing listens on port 1 of the loopback: libvirt's remote driver fails with "Connection refused". */
    static final String UNREACHABLE = "qemu+tcp://127.0.0.1:1/system";

    private final LibvirtProvider libvirt;
    private final Map<String, List<HypervisorConnection>> opened = new ConcurrentHashMap<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean refusing;
    private volatile long refuseUntilNanos;
    private final AtomicBoolean failNextCapacity = new AtomicBoolean();
    private volatile Hook hook;

    /** Runs before a call of the service on one of its connections; may throw to make the call fail. */
    @FunctionalInterface
    interface Hook {
        /**
         * @param uri the URI the connection was made to
         * @param real the real connection the call goes to next
         * @param method the name of the {@link HypervisorConnection} method called
         * @param args its arguments ({@code null} for none)
         */
        void before(String uri, HypervisorConnection real, String method, Object[] args);
    }

    private volatile boolean asRealHypervisor;

    TestDriverProvider(LibvirtProvider libvirt) {
        this.libvirt = libvirt;
    }

    @Override
    public String type() {
        return libvirt.type();
    }

    @Override
    public boolean supports(String uri) {
        return libvirt.supports(uri);
    }

    /** @return this provider if it supports {@code uri}: the service's provider look-up */
    Optional<ComputeProvider> lookup(String uri) {
        return supports(uri) ? Optional.of(this) : Optional.empty();
    }

    @Override
    public HypervisorConnection connect(String uri) {
        if (refusing && System.nanoTime() - refuseUntilNanos < 0) {
            refused.incrementAndGet();
            HypervisorConnection unexpected = libvirt.connect(UNREACHABLE);
            unexpected.close();
            throw new AssertionError(UNREACHABLE + " was expected to refuse connections");
        }
        HypervisorConnection real = libvirt.connect(uri);
        opened.computeIfAbsent(uri, u -> new CopyOnWriteArrayList<>()).add(real);
        return wrap(uri, real, failNextCapacity.getAndSet(false));
    }

    /** From now on, {@code hook} runs before every call on the connections handed out (null: nothing runs). */
    void hook(Hook hook) {
        this.hook = hook;
    }

    /** From now on, every {@link #connect} fails as for an unreachable host, for {@code outage}. */
    void refuseFor(Duration outage) {
        refuseUntilNanos = System.nanoTime() + outage.toNanos();
        refusing = true;
    }

    /** @return how many connects were refused */
    int refused() {
        return refused.get();
    }

    /**
     * From now on the connections handed out say that they keep their domains across connections
     * ({@link HypervisorConnection#forgetsDomainsOnReconnect()} false), as a real hypervisor does:
     * a test-driver node file then stands for a real host that lists none of Verbund's domains (a
     * wrong URI), which cannot be made otherwise here.
     */
    void actAsRealHypervisor() {
        asRealHypervisor = true;
    }

    /** The next connection handed out fails its first {@code capacity()} with a CONNECTION error. */
    void failNextCapacity() {
        failNextCapacity.set(true);
    }

    /** The connection the service gets: the real one, behind the injected capacity fault and the hook. */
    private HypervisorConnection wrap(String uri, HypervisorConnection real, boolean failFirstCapacity) {
        AtomicBoolean failed = new AtomicBoolean(!failFirstCapacity);
        return (HypervisorConnection) Proxy.newProxyInstance(TestDriverProvider.class.getClassLoader(),
                new Class<?>[] {HypervisorConnection.class}, (p, m, args) -> {
                    if (m.getName().equals("capacity") && failed.compareAndSet(false, true)) {
                        throw new ComputeException(ComputeException.Kind.CONNECTION, "host " + uri
                                + ": read capacity: Cannot recv data: Connection reset by peer", null);
                    }
                    if (asRealHypervisor && m.getName().equals("forgetsDomainsOnReconnect")) {
                        return false;
                    }
                    Hook h = hook;
                    if (h != null) {
                        h.before(uri, real, m.getName(), args);
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** @return the connections to {@code uri} handed out so far, oldest first (the real ones) */
    List<HypervisorConnection> handedOut(String uri) {
        return List.copyOf(opened.getOrDefault(uri, List.of()));
    }

    /** @return how many connections to {@code uri} were handed out */
    int connections(String uri) {
        return opened.getOrDefault(uri, List.of()).size();
    }

    /** @return the connection to {@code uri} handed out last (the real one behind an injected fault) */
    HypervisorConnection latest(String uri) {
        List<HypervisorConnection> list = opened.get(uri);
        if (list == null || list.isEmpty()) {
            throw new AssertionError("the service has no connection to " + uri);
        }
        return list.get(list.size() - 1);
    }
}

package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.compute.spi.ComputeProvider;
import de.sid.verbund.compute.spi.HypervisorConnection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real libvirt provider as the service sees it in tests, with what the tests need on top.
 *
 * <ul>
 * <li>It keeps every connection it hands the service, by URI: a connection to a test driver
 * node file is a hypervisor of its own, so a test acts "behind Verbund's back" through the
 * very connection the service holds.</li>
 * </ul>
 */
final class TestDriverProvider implements ComputeProvider {
    private final LibvirtProvider libvirt;
    private final Map<String, List<HypervisorConnection>> opened = new ConcurrentHashMap<>();

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

    @Override
    public HypervisorConnection connect(String uri) {
        HypervisorConnection real = libvirt.connect(uri);
        opened.computeIfAbsent(uri, u -> new CopyOnWriteArrayList<>()).add(real);
        return real;
    }

    /** @return the connections to {@code uri} handed out so far, oldest first */
    List<HypervisorConnection> handedOut(String uri) {
        return List.copyOf(opened.getOrDefault(uri, List.of()));
    }

    /** @return how many connections to {@code uri} were handed out */
    int connections(String uri) {
        return opened.getOrDefault(uri, List.of()).size();
    }

    /** @return the connection to {@code uri} handed out last (the one the service holds) */
    HypervisorConnection latest(String uri) {
        List<HypervisorConnection> list = opened.get(uri);
        if (list == null || list.isEmpty()) {
            throw new AssertionError("the service has no connection to " + uri);
        }
        return list.get(list.size() - 1);
    }
}

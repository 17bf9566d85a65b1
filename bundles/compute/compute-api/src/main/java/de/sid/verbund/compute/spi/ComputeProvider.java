package de.sid.verbund.compute.spi;

/**
 * A hypervisor back-end, published as an OSGi service with {@code compute.provider=<type()>}.
 */
public interface ComputeProvider {
    /** @return the provider type, e.g. {@code libvirt} */
    String type();

    /** @return whether this provider handles the URI (e.g. {@code qemu+ssh://…}, {@code test:///…}) */
    boolean supports(String uri);

    /**
     * Opens a connection; blocks on the network, so call it from a worker thread.
     *
     * @throws ComputeException {@link ComputeException.Kind#CONNECTION} when the host cannot be reached
     */
    HypervisorConnection connect(String uri);
}

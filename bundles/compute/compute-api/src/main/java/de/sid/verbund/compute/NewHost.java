package de.sid.verbund.compute;

import java.math.BigDecimal;

/**
 * A host to register. Its cores and RAM are read from the hypervisor.
 *
 * @param name unique name, e.g. {@code kvm-3}
 * @param uri libvirt URI
 * @param site data centre
 * @param cpuOvercommit vCPUs per core, {@code null} for 4.0
 * @param ramOvercommit RAM factor, {@code null} for 1.0
 * @param ramReserveMib RAM kept for the host, MiB, {@code null} for 2048
 */
public record NewHost(String name, String uri, String site, BigDecimal cpuOvercommit, BigDecimal ramOvercommit,
        Long ramReserveMib) {
}

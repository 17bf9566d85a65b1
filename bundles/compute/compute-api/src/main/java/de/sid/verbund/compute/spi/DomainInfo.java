package de.sid.verbund.compute.spi;

/**
 * A domain (VM) as the hypervisor reports it.
 *
 * @param uuid domain UUID (lower-case canonical form)
 * @param name domain name
 * @param state its state
 * @param vcpu virtual CPUs
 * @param ramMib maximum memory, MiB
 */
public record DomainInfo(String uuid, String name, DomainState state, int vcpu, long ramMib) {
}

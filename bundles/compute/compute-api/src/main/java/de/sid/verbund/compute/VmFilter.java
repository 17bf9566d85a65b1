package de.sid.verbund.compute;

/**
 * Which VMs to list; {@code null} fields do not filter. Deleted VMs are listed only when
 * {@code state} is DELETED.
 */
public record VmFilter(String tenantId, String hostId, VmState state) {
}

package de.sid.verbund.tenancy;

/**
 * Upper limits on what an authority (with everything below it in the hierarchy) may hold at
 * once. A {@code null} part means no limit of its own (the parents' limits still apply).
 *
 * @param vcpu virtual CPUs
 * @param ramMib RAM, MiB
 * @param diskGib disk, GiB
 * @param vms number of VMs
 */
public record Quota(Integer vcpu, Long ramMib, Integer diskGib, Integer vms) {
    /** No limits of its own. */
    public static final Quota UNLIMITED = new Quota(null, null, null, null);
}

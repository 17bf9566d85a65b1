package de.sid.verbund.tenancy;

/**
 * An amount of resources counted against quotas.
 *
 * @param vcpu virtual CPUs, ≥ 0
 * @param ramMib RAM, MiB, ≥ 0
 * @param diskGib disk, GiB, ≥ 0
 * @param vms VMs, ≥ 0
 */
public record Resources(int vcpu, long ramMib, int diskGib, int vms) {
    public static final Resources NONE = new Resources(0, 0, 0, 0);

    public Resources {
        if (vcpu < 0 || ramMib < 0 || diskGib < 0 || vms < 0) {
            throw new IllegalArgumentException("resources must not be negative");
        }
    }

    public Resources plus(Resources o) {
        return new Resources(vcpu + o.vcpu, ramMib + o.ramMib, diskGib + o.diskGib, vms + o.vms);
    }

    /** @return {@code count} VMs of this size each (this is one VM's size with {@code vms} = 1) */
    public Resources times(int count) {
        return new Resources(vcpu * count, ramMib * count, diskGib * count, vms * count);
    }
}

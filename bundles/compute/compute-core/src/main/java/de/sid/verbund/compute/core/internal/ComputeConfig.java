package de.sid.verbund.compute.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "Verbund compute", description = "Hosts, placement and VM lifecycle")
public @interface ComputeConfig {
    String PID = "de.sid.verbund.compute";

    @AttributeDefinition(name = "Storage pool", description = "Storage pool on each host for VM system volumes")
    String storage_pool() default "default-pool";

    @AttributeDefinition(name = "Network", description = "Network each VM's virtio NIC joins")
    String network() default "default";

    @AttributeDefinition(name = "Stop timeout (s)", description = "How long a graceful stop waits before powering off")
    int stop_timeout_s() default 60;

    @AttributeDefinition(name = "Keepalive check (s)", description = "How often host connections are checked")
    long keepalive_check_s() default 5;

    @AttributeDefinition(name = "Sync interval (s)", description = "Full resynchronisation of every host's domains")
    long sync_interval_s() default 300;

    @AttributeDefinition(name = "Owner call timeout (s)", description = "In a cluster, how long a hypervisor call "
            + "on a host another member owns may take there (a graceful stop gets its stop timeout on top); after it "
            + "the operation fails with 503")
    long owner_call_timeout_s() default 120;

    @AttributeDefinition(name = "Hosts", description = "Hosts registered at start when missing, each "
            + "name|uri|site[|cpuOvercommit|ramOvercommit|ramReserveMib], e.g. kvm-1|qemu+ssh://kvm-1/system|ber-1")
    String[] hosts() default {};
}

package de.sid.verbund.cluster.hazelcast.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the cluster member (PID {@value #PID}). Every Hazelcast setting Verbund uses
 * is one of these keys; {@link HazelcastConfigs} turns them into Hazelcast's {@code Config}.
 */
@ObjectClassDefinition(name = "Verbund cluster",
        description = "The embedded Hazelcast member: TCP-IP discovery on one interface, "
                + "work ownership by partition owner.")
public @interface ClusterConfig {
    String PID = "de.sid.verbund.cluster";

    @AttributeDefinition(name = "Cluster name",
            description = "Members join only members with the same cluster name")
    String cluster_name() default "verbund";

    @AttributeDefinition(name = "Member id",
            description = "This member's id, also the Hazelcast instance name; must be unique in the "
                    + "cluster. Empty = generated once per process (<host name>-<8 hex digits>)")
    String member_id() default "";

    @AttributeDefinition(name = "Bind address",
            description = "The only interface the member listens on and talks from (an IP address, "
                    + "not a host name); other members must reach it there")
    String bind_address() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port the member listens on")
    int port() default 5701;

    @AttributeDefinition(name = "Port auto increment",
            description = "If the port is taken, try the next ones (port.count ports in all)")
    boolean port_auto_increment() default true;

    @AttributeDefinition(name = "Port count",
            description = "How many ports from port on are tried with port.auto.increment; also how "
                    + "many ports are probed on members listed without a port")
    int port_count() default 3;

    @AttributeDefinition(name = "Members",
            description = "Comma-separated list of members to join by TCP-IP: host, host:port or "
                    + "host:port1-port2; at least one must be up for a cluster to form beyond one node")
    String members() default "127.0.0.1";

    @AttributeDefinition(name = "Heartbeat interval (s)",
            description = "How often members send heartbeats to each other")
    int heartbeat_interval_s() default 1;

    @AttributeDefinition(name = "Max no heartbeat (s)",
            description = "A member silent for this long is declared dead and its work moves to the "
                    + "others; small values notice a crash fast but may evict a member in a long GC pause")
    int max_no_heartbeat_s() default 5;

    @AttributeDefinition(name = "Join wait (s)",
            description = "How long the oldest member collects join requests before it admits the "
                    + "joiners in one batch (Hazelcast's hazelcast.wait.seconds.before.join); lower joins "
                    + "faster, higher moves partitions fewer times when several nodes start together")
    int join_wait_s() default 5;

    @AttributeDefinition(name = "Graceful shutdown wait (s)",
            description = "On stop, how long the member waits to hand its partitions to the others")
    int shutdown_max_wait_s() default 30;

    @AttributeDefinition(name = "Minimum cluster size",
            description = "Split-brain protection: below this many members (itself included) the node "
                    + "refuses every change (REST 503, shell error), runs no cluster-wide job, and health "
                    + "is DEGRADED; reads keep working. Set a majority of the planned members (2 of 3); "
                    + "1 turns the protection off")
    int min_cluster_size() default 1;

    @AttributeDefinition(name = "Merge check (s)",
            description = "After a network partition, how often the oldest member of each side looks for "
                    + "the other side to merge with (Hazelcast's split-brain merge: the smaller side joins "
                    + "the larger)")
    int merge_check_s() default 10;
}

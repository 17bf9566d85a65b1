package de.sid.verbund.cluster.hazelcast.internal;

import de.sid.verbund.testsupport.Configs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Real Hazelcast members on loopback for a test: one cluster name of their own, fixed ports,
 * failure detection in seconds (heartbeat 1 s, dead after 3 s). {@link #close()} stops them,
 * newest first.
 */
final class LoopbackMembers implements AutoCloseable {
    final String clusterName;
    final List<HazelcastClusterComponent> running = new ArrayList<>();
    private final Object[] defaults;

    /**
     * @param prefix the cluster name's start (a random suffix keeps parallel tests apart)
     * @param defaults {@link ClusterConfig} keys and values every member gets, e.g. {@code "min_cluster_size", 2}
     */
    LoopbackMembers(String prefix, Object... defaults) {
        this.clusterName = prefix + "-" + UUID.randomUUID();
        this.defaults = defaults;
    }

    /**
     * Starts a member listening on {@code port} and joining the members on {@code clusterPorts}.
     *
     * @param extra {@link ClusterConfig} keys and values for this member, over the defaults
     */
    HazelcastClusterComponent start(String id, int port, List<Integer> clusterPorts, Object... extra) {
        Map<String, Object> values = new HashMap<>();
        values.put("cluster_name", clusterName);
        values.put("member_id", id);
        values.put("port", port);
        values.put("port_auto_increment", false);
        values.put("members", clusterPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(",")));
        values.put("heartbeat_interval_s", 1);
        values.put("max_no_heartbeat_s", 3);
        values.put("join_wait_s", 1);
        values.put("shutdown_max_wait_s", 5);
        put(values, defaults);
        put(values, extra);
        HazelcastClusterComponent c = new HazelcastClusterComponent(Configs.of(ClusterConfig.class, values));
        running.add(c);
        return c;
    }

    private static void put(Map<String, Object> values, Object[] pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            values.put((String) pairs[i], pairs[i + 1]);
        }
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).deactivate();
        }
    }
}

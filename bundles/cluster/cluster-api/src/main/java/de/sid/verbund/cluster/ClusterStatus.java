package de.sid.verbund.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What operators see of the cluster ({@code GET /api/cluster}, {@code verbund:cluster-status}): the
 * members, whether this node has quorum, and which member owns which hosts and devices (the owners
 * of the work keys {@code host:<id>} and {@code device:<id>}).
 *
 * @param clusterName the cluster name
 * @param localMemberId the member answering
 * @param minClusterSize the configured minimum ({@code min.cluster.size})
 * @param quorum whether the answering member has quorum ({@link ClusterService#hasQuorum()})
 * @param members the members as the answering member sees them, oldest first
 * @param unowned hosts and devices whose owner is unknown (the member is not running, or a partition
 *        is moving)
 */
public record ClusterStatus(String clusterName, String localMemberId, int minClusterSize, boolean quorum,
        List<Member> members, Work unowned) {

    /**
     * One member and its work.
     *
     * @param id member id
     * @param address host:port of its cluster endpoint
     * @param local whether it is the member answering
     * @param startedAt when it started, {@code null} when unknown
     * @param uptimeS whole seconds since {@code startedAt}, {@code null} when unknown
     * @param hosts the hosts it owns, by name
     * @param devices the devices it owns, by name
     */
    public record Member(String id, String address, boolean local, Instant startedAt, Long uptimeS,
            List<Owned> hosts, List<Owned> devices) {
    }

    /** Hosts and devices, by name. */
    public record Work(List<Owned> hosts, List<Owned> devices) {
    }

    /**
     * @param id the host's or device's id
     * @param name its name
     */
    public record Owned(String id, String name) {
    }

    /** Work key of a host: {@code host:<id>}. */
    public static String hostKey(String hostId) {
        return "host:" + hostId;
    }

    /** Work key of a device: {@code device:<id>}. */
    public static String deviceKey(String deviceId) {
        return "device:" + deviceId;
    }

    /**
     * Builds the status from the local member's view.
     *
     * @param cluster the cluster service
     * @param hosts host id to name, empty when the compute area is not installed
     * @param devices device id to name, empty when the monitoring area is not installed
     * @param now the current instant, for uptimes
     */
    public static ClusterStatus of(ClusterService cluster, Map<String, String> hosts, Map<String, String> devices,
            Instant now) {
        Objects.requireNonNull(cluster, "cluster");
        List<ClusterMember> view = cluster.members();
        Map<String, List<Owned>> hostsOf = new LinkedHashMap<>();
        Map<String, List<Owned>> devicesOf = new LinkedHashMap<>();
        for (ClusterMember m : view) {
            hostsOf.put(m.id(), new ArrayList<>());
            devicesOf.put(m.id(), new ArrayList<>());
        }
        List<Owned> unownedHosts = new ArrayList<>();
        List<Owned> unownedDevices = new ArrayList<>();
        assign(cluster, hosts, ClusterStatus::hostKey, hostsOf, unownedHosts);
        assign(cluster, devices, ClusterStatus::deviceKey, devicesOf, unownedDevices);
        List<Member> members = new ArrayList<>();
        for (ClusterMember m : view) {
            Long uptime = m.startedAt() == null ? null : Math.max(0, Duration.between(m.startedAt(), now).toSeconds());
            members.add(new Member(m.id(), m.address(), m.local(), m.startedAt(), uptime,
                    sorted(hostsOf.get(m.id())), sorted(devicesOf.get(m.id()))));
        }
        return new ClusterStatus(cluster.clusterName(), cluster.localMemberId(), cluster.minClusterSize(),
                cluster.hasQuorum(), List.copyOf(members), new Work(sorted(unownedHosts), sorted(unownedDevices)));
    }

    private static void assign(ClusterService cluster, Map<String, String> names,
            java.util.function.UnaryOperator<String> key, Map<String, List<Owned>> byMember, List<Owned> unowned) {
        for (Map.Entry<String, String> e : names.entrySet()) {
            String owner = cluster.ownerOf(key.apply(e.getKey()));
            List<Owned> list = owner == null ? null : byMember.get(owner);
            (list == null ? unowned : list).add(new Owned(e.getKey(), e.getValue()));
        }
    }

    private static List<Owned> sorted(List<Owned> list) {
        list.sort(Comparator.comparing(Owned::name, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Owned::id));
        return List.copyOf(list);
    }
}

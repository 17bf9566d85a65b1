package de.sid.verbund.cluster.hazelcast.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.ListenerConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionOn;
import com.hazelcast.spi.merge.PutIfAbsentMergePolicy;
import com.hazelcast.config.NetworkConfig;
import java.util.Arrays;
import java.util.EventListener;
import java.util.List;

/** Turns our {@link ClusterConfig} keys into a Hazelcast member {@link Config}; nothing else is read. */
final class HazelcastConfigs {
    /** Member attribute carrying our member id, so every member knows the others' ids. */
    static final String MEMBER_ID_ATTRIBUTE = "verbund.member.id";
    /** Member attribute carrying when the member was configured (epoch milliseconds), for uptime. */
    static final String STARTED_AT_ATTRIBUTE = "verbund.started.at";
    /** The split-brain protection rule of our maps: at least {@code min.cluster.size} members. */
    static final String SPLIT_BRAIN_PROTECTION = "verbund-min-cluster-size";
    /** Name pattern of the maps Verbund bundles create; they get the protection and the merge policy. */
    static final String MAP_PATTERN = "verbund.*";

    /** The executor that runs calls sent to the owner of a key ({@link OwnerCallTask}). */
    static final String OWNER_CALLS_EXECUTOR = "verbund.owner-calls";
    /** Threads of {@link #OWNER_CALLS_EXECUTOR}: calls running at once on one member (a graceful VM stop may take a minute). */
    static final int OWNER_CALLS_THREADS = 16;

    private HazelcastConfigs() {
    }

    /**
     * Lets the member take calls sent to the owner of a key: the factory that creates our task and
     * answer classes on deserialisation (no class is looked up by name), the member's handlers
     * in the user context, and the executor the calls run on.
     */
    static void ownerCalls(Config c, OwnerCalls calls) {
        c.getSerializationConfig().addDataSerializableFactory(OwnerCallSerializers.FACTORY_ID, new OwnerCallSerializers());
        c.getUserContext().put(OwnerCalls.CONTEXT_KEY, calls);
        c.getExecutorConfig(OWNER_CALLS_EXECUTOR).setPoolSize(OWNER_CALLS_THREADS).setStatisticsEnabled(false);
    }

    /**
     * @param cfg our configuration
     * @param memberId the resolved member id (also the instance name)
     * @param listeners registered before the member starts, so no event is missed
     */
    static Config build(ClusterConfig cfg, String memberId, EventListener... listeners) {
        String bind = cfg.bind_address().trim();
        if (bind.isEmpty()) {
            throw new IllegalArgumentException("bind.address must not be empty");
        }
        requirePositive("port", cfg.port());
        requirePositive("port.count", cfg.port_count());
        requirePositive("heartbeat.interval.s", cfg.heartbeat_interval_s());
        if (cfg.max_no_heartbeat_s() <= cfg.heartbeat_interval_s()) {
            throw new IllegalArgumentException("max.no.heartbeat.s (" + cfg.max_no_heartbeat_s()
                    + ") must be larger than heartbeat.interval.s (" + cfg.heartbeat_interval_s() + ")");
        }

        Config c = new Config();
        c.setClusterName(cfg.cluster_name().trim());
        c.setInstanceName(memberId);
        c.getMemberAttributeConfig().setAttribute(MEMBER_ID_ATTRIBUTE, memberId);
        c.getMemberAttributeConfig().setAttribute(STARTED_AT_ATTRIBUTE, Long.toString(System.currentTimeMillis()));

        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.heartbeat.interval.seconds", Integer.toString(cfg.heartbeat_interval_s()));
        c.setProperty("hazelcast.max.no.heartbeat.seconds", Integer.toString(cfg.max_no_heartbeat_s()));
        c.setProperty("hazelcast.wait.seconds.before.join", Integer.toString(Math.max(0, cfg.join_wait_s())));
        c.setProperty("hazelcast.graceful.shutdown.max.wait",
                Integer.toString(Math.max(1, cfg.shutdown_max_wait_s())));

        NetworkConfig net = c.getNetworkConfig();
        net.setPort(cfg.port());
        net.setPortAutoIncrement(cfg.port_auto_increment());
        net.setPortCount(cfg.port_count());
        net.getInterfaces().setEnabled(true).setInterfaces(List.of(bind));

        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(members(cfg.members()));

        c.getJetConfig().setEnabled(false);

        splitBrain(c, cfg);

        for (EventListener l : listeners) {
            c.addListenerConfig(new ListenerConfig(l));
        }
        return c;
    }

    /**
     * Split-brain protection and merging. The database is the truth: Hazelcast holds only work
     * ownership and short-lived coordination, so after a partition heals nothing in Hazelcast has to
     * win over the database. Hazelcast merges the smaller side into the larger (the smaller side's
     * members restart their Hazelcast services and rejoin); our {@code verbund.*} maps take
     * {@link PutIfAbsentMergePolicy}: the larger side's entries stay, keys only the smaller side
     * had are added. With {@code min.cluster.size} above 1 those maps also refuse reads and
     * writes on a side below it (Hazelcast's own split-brain protection), the same rule as
     * {@code ClusterService.hasQuorum()}.
     */
    private static void splitBrain(Config c, ClusterConfig cfg) {
        requirePositive("merge.check.s", cfg.merge_check_s());
        c.setProperty("hazelcast.merge.first.run.delay.seconds", Integer.toString(cfg.merge_check_s()));
        c.setProperty("hazelcast.merge.next.run.delay.seconds", Integer.toString(cfg.merge_check_s()));
        MapConfig maps = new MapConfig(MAP_PATTERN);
        maps.setMergePolicyConfig(new MergePolicyConfig(PutIfAbsentMergePolicy.class.getName(),
                MergePolicyConfig.DEFAULT_BATCH_SIZE));
        if (cfg.min_cluster_size() > 1) {
            c.addSplitBrainProtectionConfig(new SplitBrainProtectionConfig(SPLIT_BRAIN_PROTECTION, true,
                    cfg.min_cluster_size()).setProtectOn(SplitBrainProtectionOn.READ_WRITE));
            maps.setSplitBrainProtectionName(SPLIT_BRAIN_PROTECTION);
        }
        c.addMapConfig(maps);
    }

    /**
     * @param list comma-separated {@code host}, {@code host:port} or {@code host:port1-port2}; a port
     *        range is expanded here (Hazelcast's TCP-IP join takes ranges of addresses, not of ports)
     * @return the members as Hazelcast takes them
     * @throws IllegalArgumentException for an empty list or a reversed or oversized port range
     */
    static List<String> members(String list) {
        List<String> members = new java.util.ArrayList<>();
        for (String entry : list == null ? new String[0] : list.split(",")) {
            String m = entry.trim();
            java.util.regex.Matcher range = PORT_RANGE.matcher(m);
            if (range.matches()) {
                int from = Integer.parseInt(range.group(2));
                int to = Integer.parseInt(range.group(3));
                if (to < from || to - from > 100) {
                    throw new IllegalArgumentException("members: port range " + m + " must go up, by at most 100 ports");
                }
                for (int port = from; port <= to; port++) {
                    members.add(range.group(1) + ":" + port);
                }
            } else if (!m.isEmpty()) {
                members.add(m);
            }
        }
        if (members.isEmpty()) {
            throw new IllegalArgumentException("members must list at least one host (e.g. 127.0.0.1)");
        }
        return List.copyOf(members);
    }

    private static final java.util.regex.Pattern PORT_RANGE = java.util.regex.Pattern.compile("(.+):(\\d{1,5})-(\\d{1,5})");

    private static void requirePositive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, is " + value);
        }
    }
}

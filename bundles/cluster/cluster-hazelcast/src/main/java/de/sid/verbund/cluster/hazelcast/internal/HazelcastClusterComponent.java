package de.sid.verbund.cluster.hazelcast.internal;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleListener;
import com.hazelcast.partition.MigrationListener;
import com.hazelcast.partition.MigrationState;
import com.hazelcast.partition.Partition;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.partition.ReplicaMigrationEvent;
import de.sid.verbund.cluster.ClusterMember;
import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.cluster.ListenerRegistration;
import de.sid.verbund.cluster.OwnerOperation;
import de.sid.verbund.cluster.OwnershipListener;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import de.sid.verbund.core.health.Health;
import de.sid.verbund.core.health.HealthIndicator;
import de.sid.verbund.core.health.HealthStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns this node's embedded Hazelcast member and publishes it only as our {@link ClusterService}
 * and the {@code cluster} {@link HealthIndicator}; the {@code HazelcastInstance} never leaves this
 * class. The member starts on its own thread (joining can take seconds), so activation returns at
 * once; until the member runs, it owns no key and health is DOWN ("starting").
 */
@Component(service = {ClusterService.class, HealthIndicator.class}, configurationPid = ClusterConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = ClusterConfig.class)
public class HazelcastClusterComponent implements ClusterService, HealthIndicator {
    private static final Logger LOG = LoggerFactory.getLogger(HazelcastClusterComponent.class);

    /** The generated member id: one per process, so a re-configured component keeps it. */
    private static final String GENERATED_ID = generateMemberId();
    private static final int PARTITION_ASSIGNMENT_WAIT_S = 30;

    private final String clusterName;
    private final String memberId;
    private final int minClusterSize;
    private final String endpoint;
    private final OwnershipNotifier notifier;
    private final OwnerCalls ownerCalls;
    private final ExecutorService starter;
    private final Object lock = new Object();

    /** Set once the member runs; cleared on deactivation. Guarded by {@link #lock} for writes. */
    private volatile HazelcastInstance instance;
    /** The member while it is still joining (handed to us by Hazelcast), so deactivation can abort the join. */
    private volatile HazelcastInstance joining;
    private volatile String failure;
    private volatile boolean closed;

    @Activate
    public HazelcastClusterComponent(ClusterConfig config) {
        clusterName = config.cluster_name().trim();
        memberId = config.member_id().isBlank() ? GENERATED_ID : config.member_id().trim();
        minClusterSize = Math.max(1, config.min_cluster_size());
        endpoint = config.bind_address().trim() + ":" + config.port();
        notifier = new OwnershipNotifier("verbund-cluster-ownership-" + memberId);
        ownerCalls = new OwnerCalls(memberId, this::isLocalOwner);
        starter = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "verbund-cluster-start-" + memberId);
            t.setDaemon(true);
            return t;
        });
        Config hz;
        try {
            hz = HazelcastConfigs.build(config, memberId, new Events());
            HazelcastConfigs.ownerCalls(hz, ownerCalls);
        } catch (IllegalArgumentException e) {
            failure = "configuration " + ClusterConfig.PID + ": " + e.getMessage();
            LOG.error("cluster {}: member {} not started: {}", clusterName, memberId, failure);
            return;
        }
        LOG.info("cluster {}: starting member {} on {}, joining {}", clusterName, memberId, endpoint,
                hz.getNetworkConfig().getJoin().getTcpIpConfig().getMembers());
        starter.execute(() -> start(hz));
    }

    private void start(Config config) {
        HazelcastInstance hz;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        try {
            // Hazelcast loads its services and serializers through the context class loader:
            // in OSGi that must be Hazelcast's bundle class loader, not whatever the thread had
            thread.setContextClassLoader(Hazelcast.class.getClassLoader());
            hz = Hazelcast.newHazelcastInstance(config);
        } catch (RuntimeException e) {
            if (closed) {
                LOG.debug("cluster {}: start of member {} aborted by shutdown", clusterName, memberId, e);
            } else {
                failure = e.getClass().getSimpleName() + ": " + e.getMessage();
                LOG.error("cluster {}: member {} failed to start on {}", clusterName, memberId, endpoint, e);
            }
            return;
        } finally {
            thread.setContextClassLoader(previous);
            joining = null;
        }
        boolean keep;
        synchronized (lock) {
            keep = !closed;
            if (keep) {
                instance = hz;
            }
        }
        if (!keep) {
            hz.getLifecycleService().terminate();
            return;
        }
        LOG.info("cluster {}: member {} running at {}, {} member(s)", clusterName, memberId,
                address(hz.getCluster().getLocalMember()), hz.getCluster().getMembers().size());
        awaitPartitionOwners(hz);
        notifier.changed("member started");
    }

    /**
     * Hazelcast assigns partitions lazily, on the first ownership question, and without a
     * migration event; on a member that is not the master the assignment is asynchronous. Ask
     * here, and wait (bounded) until every partition has an owner, so that the "member started"
     * round tells listeners about real ownership.
     */
    private void awaitPartitionOwners(HazelcastInstance hz) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PARTITION_ASSIGNMENT_WAIT_S);
        PartitionService partitions = hz.getPartitionService();
        try {
            while (!closed && hz.getLifecycleService().isRunning()) {
                if (partitions.getPartitions().stream().allMatch(p -> p.getOwner() != null)) {
                    return;
                }
                if (System.nanoTime() - deadline > 0) {
                    LOG.warn("cluster {}: partitions still without owner {} s after member {} started; "
                            + "listeners are told when they get one", clusterName, PARTITION_ASSIGNMENT_WAIT_S, memberId);
                    return;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("cluster {}: waiting for partition owners failed", clusterName, e);
        }
    }

    /** Leaves the cluster gracefully (public for other modules' tests that stop a member). */
    @Deactivate
    public void deactivate() {
        HazelcastInstance hz;
        synchronized (lock) {
            closed = true;
            hz = instance;
            instance = null;
        }
        HazelcastInstance early = joining;
        if (hz == null && early != null) {
            LOG.info("cluster {}: aborting the join of member {}", clusterName, memberId);
            try {
                early.getLifecycleService().terminate();
            } catch (RuntimeException e) {
                LOG.debug("cluster {}: aborting the join failed", clusterName, e);
            }
        }
        starter.shutdownNow();
        try {
            if (!starter.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("cluster {}: member {} still starting 10 s after shutdown; it stops when started",
                        clusterName, memberId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (hz != null) {
            LOG.info("cluster {}: member {} leaving", clusterName, memberId);
            try {
                hz.shutdown(); // graceful: hands its partitions over, bounded by shutdown.max.wait.s
            } catch (RuntimeException e) {
                LOG.warn("cluster {}: graceful shutdown of member {} failed, terminating", clusterName, memberId, e);
                hz.getLifecycleService().terminate();
            }
        }
        notifier.close();
    }

    /** @return the member if it runs, else {@code null} */
    private HazelcastInstance running() {
        HazelcastInstance hz = instance;
        return hz != null && hz.getLifecycleService().isRunning() ? hz : null;
    }

    private Member owner(String key) {
        Objects.requireNonNull(key, "key");
        HazelcastInstance hz = running();
        if (hz == null) {
            return null;
        }
        try {
            Partition p = hz.getPartitionService().getPartition(key);
            return p == null ? null : p.getOwner();
        } catch (RuntimeException e) { // the member stopped under us: nobody known owns it
            LOG.debug("cluster {}: owner of {} unknown", clusterName, key, e);
            return null;
        }
    }

    @Override
    public String clusterName() {
        return clusterName;
    }

    @Override
    public String localMemberId() {
        return memberId;
    }

    /** @return the members, oldest first; empty while the local member does not run */
    @Override
    public List<ClusterMember> members() {
        HazelcastInstance hz = running();
        if (hz == null) {
            return List.of();
        }
        try {
            List<ClusterMember> members = new ArrayList<>();
            for (Member m : hz.getCluster().getMembers()) {
                members.add(new ClusterMember(idOf(m), address(m), m.localMember(), startedAt(m)));
            }
            return List.copyOf(members);
        } catch (RuntimeException e) {
            LOG.debug("cluster {}: members unknown", clusterName, e);
            return List.of();
        }
    }

    @Override
    public int minClusterSize() {
        return minClusterSize;
    }

    @Override
    public boolean isLocalOwner(String key) {
        Member owner = owner(key);
        return owner != null && owner.localMember();
    }

    @Override
    public String ownerOf(String key) {
        Member owner = owner(key);
        return owner == null ? null : idOf(owner);
    }

    /** Listeners are called on a dedicated thread; add one, then check your keys once yourself. */
    @Override
    public ListenerRegistration addOwnershipListener(OwnershipListener listener) {
        return notifier.add(listener);
    }

    @Override
    public ListenerRegistration registerHandler(String operation, OwnerOperation handler) {
        return ownerCalls.register(operation, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Calls the handler directly when this member owns the key; else sends the call to the member
     * owning it now with {@code IExecutorService.submitToMember} on the executor
     * {@value HazelcastConfigs#OWNER_CALLS_EXECUTOR}. Sent to that member, not to "the key's owner"
     * ({@code submitToKeyOwner}): Hazelcast re-sends a key-owner call to the next owner when the
     * owner leaves mid-way, so an operation could run twice, half on the old owner and again on the
     * new one. Here a call runs at most once; the receiver refuses it when it no longer owns the key,
     * and the caller gets a 503 when the owner leaves.
     */
    @Override
    public String callOnOwner(String key, String operation, String payloadJson, Duration timeout) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operation, "operation");
        HazelcastInstance hz = running();
        Member owner = owner(key);
        if (hz == null || owner == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "the owner of " + key + " is not known: the cluster member "
                    + memberId + " is not running (starting, stopped or cut off); try again");
        }
        if (owner.localMember()) {
            return ownerCalls.callLocally(key, operation, payloadJson);
        }
        String ownerId = idOf(owner);
        Future<OwnerAnswer> answer;
        try {
            answer = hz.getExecutorService(HazelcastConfigs.OWNER_CALLS_EXECUTOR)
                    .submitToMember(new OwnerCallTask(key, operation, payloadJson), owner);
        } catch (RejectedExecutionException | HazelcastInstanceNotActiveException e) {
            throw unavailable(key, operation, ownerId, "could not be sent (" + e.getMessage() + ")", e);
        }
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS).json();
        } catch (TimeoutException e) {
            answer.cancel(false); // a running handler is not interrupted half-way
            throw unavailable(key, operation, ownerId, "got no answer within " + timeout.toMillis() + " ms; it may still "
                    + "complete there", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(false);
            throw unavailable(key, operation, ownerId, "was interrupted on this member", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (e instanceof MemberLeftException || cause instanceof MemberLeftException || cause instanceof TargetNotMemberException
                    || cause instanceof HazelcastInstanceNotActiveException) {
                throw unavailable(key, operation, ownerId, "failed: the owner left the cluster during the call (it may "
                        + "or may not have been done there); the key's new owner takes the next call", e);
            }
            LOG.warn("cluster {}: operation {} for {} on member {} failed", clusterName, operation, key, ownerId, e);
            throw new ProblemException(ProblemType.UNAVAILABLE, "operation " + operation + " for " + key + " on member "
                    + ownerId + " failed: " + cause, List.of("owner=" + ownerId), e);
        } catch (HazelcastInstanceNotActiveException e) {
            throw unavailable(key, operation, ownerId, "failed: this member stopped during the call", e);
        }
    }

    private static ProblemException unavailable(String key, String operation, String ownerId, String what, Exception e) {
        return new ProblemException(ProblemType.UNAVAILABLE, "operation " + operation + " for " + key + " sent to its owner, "
                + "member " + ownerId + ", " + what, List.of("owner=" + ownerId), e);
    }

    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public Health check() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("clusterName", clusterName);
        d.put("memberId", memberId);
        d.put("minClusterSize", minClusterSize);
        try {
            HazelcastInstance hz = running();
            if (hz == null) {
                if (closed || instance != null) {
                    d.put("state", "stopped");
                } else if (failure != null) {
                    d.put("state", "failed");
                    d.put("error", failure);
                } else {
                    d.put("state", "starting");
                    d.put("endpoint", endpoint);
                }
                return new Health(HealthStatus.DOWN, d);
            }
            int size = hz.getCluster().getMembers().size();
            d.put("state", "running");
            d.put("memberCount", size);
            d.put("localAddress", address(hz.getCluster().getLocalMember()));
            d.put("quorum", size >= minClusterSize);
            return new Health(size >= minClusterSize ? HealthStatus.UP : HealthStatus.DEGRADED, d);
        } catch (RuntimeException e) {
            d.put("state", "failed");
            d.put("error", e.getClass().getSimpleName() + ": " + e.getMessage());
            return new Health(HealthStatus.DOWN, d);
        }
    }

    private static String idOf(Member m) {
        String id = m.getAttribute(HazelcastConfigs.MEMBER_ID_ATTRIBUTE);
        return id != null ? id : m.getUuid().toString();
    }

    private static Instant startedAt(Member m) {
        String millis = m.getAttribute(HazelcastConfigs.STARTED_AT_ATTRIBUTE);
        try {
            return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String address(Member m) {
        Address a = m.getAddress();
        String host = a.getHost();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static String generateMemberId() {
        String host = System.getenv("HOSTNAME"); // no DNS lookup at activation
        String prefix = host == null || host.isBlank() ? "verbund" : host.trim();
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Hazelcast's callbacks, registered in the config so none is missed during the join; never blocks. */
    private final class Events implements MembershipListener, MigrationListener, LifecycleListener,
            HazelcastInstanceAware {
        @Override
        public void setHazelcastInstance(HazelcastInstance hz) {
            joining = hz;
        }

        @Override
        public void memberAdded(MembershipEvent e) {
            LOG.info("cluster {}: member {} joined at {}, {} member(s)", clusterName, idOf(e.getMember()),
                    address(e.getMember()), e.getMembers().size());
            notifier.changed("member added");
        }

        @Override
        public void memberRemoved(MembershipEvent e) {
            LOG.warn("cluster {}: member {} at {} left, {} member(s)", clusterName, idOf(e.getMember()),
                    address(e.getMember()), e.getMembers().size());
            notifier.changed("member removed");
        }

        @Override
        public void migrationStarted(MigrationState state) {
            LOG.debug("cluster {}: partition migration started: {}", clusterName, state);
        }

        @Override
        public void migrationFinished(MigrationState state) {
            LOG.debug("cluster {}: partition migration finished: {}", clusterName, state);
            notifier.changed("migration finished");
        }

        @Override
        public void replicaMigrationCompleted(ReplicaMigrationEvent event) {
            // per-replica events are too many to act on; migrationFinished covers them
        }

        @Override
        public void replicaMigrationFailed(ReplicaMigrationEvent event) {
            LOG.debug("cluster {}: replica migration failed: {}", clusterName, event);
        }

        @Override
        public void stateChanged(LifecycleEvent event) {
            switch (event.getState()) {
                case SHUTDOWN -> {
                    if (!closed) {
                        LOG.error("cluster {}: member {} stopped by Hazelcast; this node owns no work now",
                                clusterName, memberId);
                    }
                    notifier.changed("member stopped");
                }
                case MERGED -> notifier.changed("member merged after split brain");
                default -> LOG.debug("cluster {}: member {} {}", clusterName, memberId, event.getState());
            }
        }
    }
}

package de.sid.verbund.testsupport;

import de.sid.verbund.cluster.ClusterMember;
import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.cluster.ListenerRegistration;
import de.sid.verbund.cluster.OwnerOperation;
import de.sid.verbund.cluster.OwnershipListener;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A cluster view set by the test: members, the minimum size and key owners (a key without an
 * explicit owner belongs to the first member). For REST, shell and job tests that need a cluster
 * without starting Hazelcast; the quorum rules are {@link ClusterService}'s own defaults.
 */
public final class FakeCluster implements ClusterService {
    private final String localId;
    private volatile List<ClusterMember> members;
    private volatile int minClusterSize = 1;
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final List<OwnershipListener> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, OwnerOperation> handlers = new ConcurrentHashMap<>();

    /** @param members the members, oldest first; the local one is the one marked local */
    public FakeCluster(List<ClusterMember> members) {
        this.members = List.copyOf(members);
        this.localId = members.stream().filter(ClusterMember::local).map(ClusterMember::id).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no local member"));
    }

    /** A single local member {@code node-1}. */
    public static FakeCluster single() {
        return new FakeCluster(List.of(new ClusterMember("node-1", "127.0.0.1:5701", true)));
    }

    public FakeCluster minClusterSize(int min) {
        this.minClusterSize = min;
        return this;
    }

    /** Replaces the members (e.g. one left); listeners are told. */
    public FakeCluster members(List<ClusterMember> now) {
        this.members = List.copyOf(now);
        listeners.forEach(OwnershipListener::ownershipChanged);
        return this;
    }

    /** Sets the owner of a key ({@code null}: unknown). */
    public FakeCluster own(String key, String memberId) {
        if (memberId == null) {
            owners.put(key, "");
        } else {
            owners.put(key, memberId);
        }
        return this;
    }

    @Override
    public String clusterName() {
        return "verbund";
    }

    @Override
    public String localMemberId() {
        return localId;
    }

    @Override
    public List<ClusterMember> members() {
        return members;
    }

    @Override
    public int minClusterSize() {
        return minClusterSize;
    }

    @Override
    public boolean isLocalOwner(String key) {
        return localId.equals(ownerOf(key));
    }

    @Override
    public String ownerOf(String key) {
        String o = owners.get(key);
        if (o != null) {
            return o.isEmpty() ? null : o;
        }
        List<ClusterMember> m = members;
        return m.isEmpty() ? null : m.get(0).id();
    }

    @Override
    public ListenerRegistration addOwnershipListener(OwnershipListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public ListenerRegistration registerHandler(String operation, OwnerOperation handler) {
        if (handlers.putIfAbsent(operation, handler) != null) {
            throw new IllegalStateException("a handler for " + operation + " is registered already");
        }
        return () -> handlers.remove(operation, handler);
    }

    /** Runs the local handler when the local member owns the key; a fake cannot reach other members (503). */
    @Override
    public String callOnOwner(String key, String operation, String payloadJson, Duration timeout) {
        OwnerOperation h = handlers.get(operation);
        if (!isLocalOwner(key) || h == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "member " + ownerOf(key) + " owning " + key
                    + " cannot be reached from a fake cluster (or has no handler " + operation + ")");
        }
        return h.handle(key, payloadJson);
    }
}

package de.sid.verbund.cluster.hazelcast.internal;

import de.sid.verbund.cluster.ListenerRegistration;
import de.sid.verbund.cluster.OwnerOperation;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handlers of one member ({@code ClusterService.registerHandler}) and how a call is answered:
 * the handler's JSON, or its {@link ProblemException} turned into an {@link OwnerAnswer}. Reached
 * from {@link OwnerCallTask} on the receiving member through Hazelcast's user context under
 * {@link #CONTEXT_KEY}, so the task needs no static state.
 */
final class OwnerCalls {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerCalls.class);
    /** The key of this object in the member's {@code Config.getUserContext()}. */
    static final String CONTEXT_KEY = "verbund.owner-calls";

    private final String memberId;
    private final Predicate<String> owns;
    private final Map<String, OwnerOperation> handlers = new ConcurrentHashMap<>();

    /**
     * @param memberId this member's id, for messages
     * @param owns whether this member owns a key now
     */
    OwnerCalls(String memberId, Predicate<String> owns) {
        this.memberId = memberId;
        this.owns = owns;
    }

    ListenerRegistration register(String operation, OwnerOperation handler) {
        if (operation == null || operation.isBlank()) {
            throw new IllegalArgumentException("operation name must not be blank");
        }
        if (handlers.putIfAbsent(operation, handler) != null) {
            throw new IllegalStateException("member " + memberId + " has a handler for operation " + operation + " already");
        }
        return () -> handlers.remove(operation, handler);
    }

    /**
     * Runs the handler on this member's thread and lets its {@link ProblemException} through.
     *
     * @throws ProblemException the handler's; UNAVAILABLE without a handler; INTERNAL when the handler
     *         failed otherwise
     */
    String callLocally(String key, String operation, String payloadJson) {
        OwnerOperation h = handlers.get(operation);
        if (h == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "member " + memberId + " owns " + key
                    + " but has no handler for operation " + operation + " (starting or stopping); try again");
        }
        try {
            return h.handle(key, payloadJson);
        } catch (ProblemException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("operation {} for {} failed on member {}", operation, key, memberId, e);
            throw new ProblemException(ProblemType.INTERNAL, "operation " + operation + " for " + key + " failed on member "
                    + memberId + ": " + e, List.of(), e);
        }
    }

    /**
     * The receiving side of a call sent by another member: refuses when this member does not own
     * the key (any more: ownership moved while the call travelled), else
     * {@link #callLocally}; never throws.
     */
    OwnerAnswer answer(String key, String operation, String payloadJson) {
        try {
            if (!owns.test(key)) {
                throw new ProblemException(ProblemType.UNAVAILABLE, "member " + memberId + " does not own " + key
                        + " any more (ownership is moving between members); try again");
            }
            return OwnerAnswer.of(callLocally(key, operation, payloadJson));
        } catch (ProblemException e) {
            return OwnerAnswer.of(e);
        } catch (RuntimeException e) { // cannot happen after callLocally; answered rather than lost
            return OwnerAnswer.of(new ProblemException(ProblemType.INTERNAL, String.valueOf(e), List.of(), e));
        }
    }
}

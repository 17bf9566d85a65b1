package de.sid.verbund.cluster;

/**
 * The local side of an operation that other members send to the owner of a key
 * ({@link ClusterService#callOnOwner}): registered under a name with
 * {@link ClusterService#registerHandler}. Called on a cluster thread of the owning member, or
 * directly on the caller's thread when the caller owns the key itself.
 */
@FunctionalInterface
public interface OwnerOperation {
    /**
     * @param key the work key the call was sent for, e.g. {@code host:<uuid>}
     * @param payloadJson the caller's request, a JSON document (the operation defines its shape)
     * @return the answer, a JSON document (the operation defines its shape)
     * @throws de.sid.verbund.core.ProblemException to refuse; the caller gets the same problem
     *         (type, detail, errors)
     */
    String handle(String key, String payloadJson);
}

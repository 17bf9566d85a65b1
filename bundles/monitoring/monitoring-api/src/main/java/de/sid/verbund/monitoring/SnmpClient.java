package de.sid.verbund.monitoring;

import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Asynchronous SNMP reads over one shared transport. No method blocks: each returns at once
 * and completes later on a thread of the client (never on the transport's receive thread), so
 * dependent stages may do short work but should not block.
 *
 * <p>SNMPv3 targets ({@link SnmpCredentials.Usm}) discover the agent's engine ID with their first
 * request and synchronise with its engine boots and time (RFC 3414 section 4, 3.2.7); an agent that
 * refuses the user answers with a report, which fails the request with
 * {@link SnmpException.Kind#SECURITY} saying why (unknown user, wrong digest, …).
 *
 * <p>Each target's own timeout and retries apply to every request. Requests of one walk or
 * poll are sent one after the other; different targets are polled concurrently.
 */
public interface SnmpClient {

    /**
     * GET of object instances (RFC 3416 section 4.2.1).
     *
     * <p>SNMPv2c exception values come back as absent values ({@link SnmpValue#NO_SUCH_OBJECT},
     * {@link SnmpValue#NO_SUCH_INSTANCE}), never as 0 or "". An SNMPv1 {@code noSuchName} marks
     * the failing OID (by error-index) {@code noSuchObject} and the GET is repeated without it
     * (RFC 1157 section 4.1.2). A tooBig answer splits the request in halves.
     *
     * @param target the agent
     * @param oids 1 or more object instances, e.g. {@code sysDescr.0}
     * @return each OID and its value, in request order; fails with {@link SnmpException}
     *         (timeout, an error status other than the above, transport)
     */
    CompletionStage<Map<Oid, SnmpValue>> get(SnmpTarget target, List<Oid> oids);

    /**
     * Walks a subtree with GETBULK (SNMPv2c, SNMPv3) or GETNEXT (SNMPv1, and as fallback).
     *
     * <ul>
     *   <li>tooBig halves max-repetitions and repeats the request; the value that worked is
     *       remembered for the device's address, so later walks start with it; at 1 the request
     *       goes as GETNEXT.</li>
     *   <li>An error status other than tooBig to a GETBULK switches the rest of the walk to
     *       GETNEXT. A GETBULK without an answer is repeated once as GETNEXT; if that is
     *       answered, the remembered max-repetitions are halved (large answers are the ones lost
     *       to fragmentation), and at 1 the rest of the walk goes as GETNEXT.</li>
     *   <li>An OID not greater than the one before ends the walk, keeps the rows so far and
     *       marks it {@linkplain WalkEnd#OID_NOT_INCREASING partial}; so does reaching
     *       {@link SnmpTarget#maxRequestsPerWalk()}.</li>
     *   <li>endOfMibView, an OID outside the subtree, and v1 noSuchName end the walk normally.</li>
     * </ul>
     *
     * @param target the agent
     * @param root the subtree, e.g. {@code 1.3.6.1.2.1.2.2.1.2} (ifDescr)
     * @return the walk; it does not fail for agent faults or timeouts (see {@link WalkResult#end()})
     */
    CompletionStage<WalkResult> walk(SnmpTarget target, Oid root);

    /**
     * One poll: GET of {@code sysUpTime.0} with the scalars in the same request, then each
     * walk in turn. A partial or failed walk does not stop the others, except that a timeout
     * ends the poll: the walks not yet done are reported {@link WalkEnd#NOT_POLLED}.
     *
     * @param target the agent
     * @param request what to read besides sysUpTime.0
     * @return the poll; it does not fail for agent faults or timeouts ({@link PollResult#reachable()})
     */
    CompletionStage<PollResult> poll(SnmpTarget target, PollRequest request);
}

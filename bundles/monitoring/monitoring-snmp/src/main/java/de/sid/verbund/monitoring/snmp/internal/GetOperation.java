package de.sid.verbund.monitoring.snmp.internal;

import de.sid.verbund.monitoring.SnmpException;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.snmp4j.PDU;
import org.snmp4j.smi.VariableBinding;

/**
 * One GET of a list of OIDs, split as the agent needs: halves after tooBig, and without the
 * failing OID after an SNMPv1 noSuchName (RFC 1157 4.1.2: the error-index names the first
 * variable binding the agent could not serve; the others were not processed).
 */
final class GetOperation {
    private final Snmp4jClient client;
    private final SnmpTarget target;
    private final List<Oid> oids;
    private final Deque<List<Oid>> chunks = new ArrayDeque<>();
    private final Map<Oid, SnmpValue> values = new HashMap<>();
    private final CompletableFuture<Map<Oid, SnmpValue>> result = new CompletableFuture<>();
    private int requests;
    private long varbinds;
    private SnmpException failure;

    GetOperation(Snmp4jClient client, SnmpTarget target, List<Oid> oids) {
        this.client = client;
        this.target = target;
        this.oids = List.copyOf(new LinkedHashSet<>(oids));
    }

    CompletableFuture<Map<Oid, SnmpValue>> result() {
        return result;
    }

    synchronized int requests() {
        return requests;
    }

    synchronized long varbinds() {
        return varbinds;
    }

    void start() {
        PDU first;
        synchronized (this) {
            chunks.add(oids);
            first = nextRequest();
        }
        sendOrFinish(first);
    }

    /**
     * The state changes under this object's lock; sending and completing happen outside it, so
     * no lock of ours is held while SNMP4J takes its own.
     */
    private void sendOrFinish(PDU pdu) {
        if (pdu != null) {
            client.send(target, pdu, this::onAnswer);
        } else if (failure != null) {
            result.completeExceptionally(failure);
        } else {
            Map<Oid, SnmpValue> ordered = new LinkedHashMap<>();
            synchronized (this) {
                for (Oid oid : oids) {
                    ordered.put(oid, values.get(oid));
                }
            }
            result.complete(ordered);
        }
    }

    /** @return the request for the next chunk, or null when all are answered */
    private PDU nextRequest() {
        List<Oid> chunk = chunks.peek();
        if (chunk == null) {
            return null;
        }
        PDU pdu = new PDU();
        pdu.setType(PDU.GET);
        for (Oid oid : chunk) {
            pdu.add(new VariableBinding(Values.toOID(oid)));
        }
        requests++;
        return pdu;
    }

    private void onAnswer(Snmp4jClient.Answer answer) {
        PDU next;
        synchronized (this) {
            List<Oid> chunk = chunks.peek();
            try {
                handle(chunk, answer);
            } catch (RuntimeException e) {
                failure = new SnmpException(SnmpException.Kind.BAD_RESPONSE, 0,
                        target.describe() + ": cannot read the answer to " + describe(chunk) + ": " + e, e);
            }
            next = failure == null ? nextRequest() : null;
        }
        sendOrFinish(next);
    }

    private void handle(List<Oid> chunk, Snmp4jClient.Answer answer) {
        PDU response = answer.response();
        if (response == null) {
            failure = client.failure(target, describe(chunk), answer);
            return;
        }
        varbinds += response.size();
        int status = response.getErrorStatus();
        int index = response.getErrorIndex();
        if (status == PDU.noError) {
            if (response.size() != chunk.size()) {
                throw new IllegalStateException(response.size() + " variable bindings for " + chunk.size() + " OIDs");
            }
            for (int i = 0; i < chunk.size(); i++) {
                Oid got = Values.toOid(response.get(i).getOid());
                if (!got.equals(chunk.get(i))) {
                    throw new IllegalStateException("asked for " + chunk.get(i) + ", got " + got);
                }
                values.put(got, Values.toValue(response.get(i).getVariable()));
            }
            chunks.poll();
        } else if (status == PDU.tooBig && chunk.size() > 1) {
            chunks.poll();
            int half = chunk.size() / 2;
            chunks.addFirst(chunk.subList(half, chunk.size()));
            chunks.addFirst(chunk.subList(0, half));
        } else if (status == PDU.noSuchName && index >= 1 && index <= chunk.size()) {
            // SNMPv1 (and v2c agents that still use it): mark the failing OID absent, ask again for the rest
            values.put(chunk.get(index - 1), SnmpValue.NO_SUCH_OBJECT);
            chunks.poll();
            List<Oid> rest = new ArrayList<>(chunk);
            rest.remove(index - 1);
            if (!rest.isEmpty()) {
                chunks.addFirst(rest);
            }
        } else {
            String at = index >= 1 && index <= chunk.size() ? " at " + chunk.get(index - 1) : "";
            failure = new SnmpException(SnmpException.Kind.ERROR_STATUS, status,
                    target.describe() + ": " + describe(chunk) + " answered " + Snmp4jClient.errorStatusName(status) + at, null);
        }
    }

    private static String describe(List<Oid> chunk) {
        return "GET of " + (chunk.size() == 1 ? chunk.get(0).toString() : chunk.size() + " OIDs (" + chunk.get(0) + ", …)");
    }
}

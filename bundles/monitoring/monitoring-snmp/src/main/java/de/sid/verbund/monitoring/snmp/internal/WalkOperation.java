package de.sid.verbund.monitoring.snmp.internal;

import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.SnmpVersion;
import de.sid.verbund.monitoring.WalkEnd;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.monitoring.smi.VarBind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.snmp4j.PDU;
import org.snmp4j.smi.VariableBinding;

/**
 * One subtree walk (RFC 3416 4.2.2 GETNEXT, 4.2.3 GETBULK): a small state machine driven by
 * the answers, one request in flight at a time. See {@link de.sid.verbund.monitoring.SnmpClient#walk}
 * for the rules; in short:
 *
 * <ul>
 *   <li>v2c asks with GETBULK (one repeater, no non-repeaters), v1 with GETNEXT;</li>
 *   <li>tooBig halves max-repetitions (remembered for the agent) and asks again; at 1 the
 *       request goes as GETNEXT;</li>
 *   <li>another error status to a GETBULK switches the rest of this walk to GETNEXT;</li>
 *   <li>a GETBULK timeout is retried once as GETNEXT; if that is answered, the agent's
 *       max-repetitions are halved (big answers are the ones that get lost);</li>
 *   <li>every returned OID must be greater than the one before, else the walk ends partial;</li>
 *   <li>at most {@link SnmpTarget#maxRequestsPerWalk()} requests.</li>
 * </ul>
 */
final class WalkOperation {
    private final Snmp4jClient client;
    private final SnmpTarget target;
    private final Oid root;
    private final List<VarBind> rows = new ArrayList<>();
    private final CompletableFuture<WalkResult> result = new CompletableFuture<>();

    private Oid last;
    private int requests;
    private long varbinds;
    private int maxRepetitions;
    /** This walk asks with GETNEXT only (v1, or the agent failed a GETBULK). */
    private boolean nextOnly;
    /** The next request goes as GETNEXT once (after tooBig at max-repetitions 1, or a GETBULK timeout). */
    private boolean nextOnce;
    /** The request in flight is a GETNEXT that replaces a GETBULK without an answer. */
    private boolean afterBulkTimeout;
    /** The request in flight is a GETBULK. */
    private boolean inFlightBulk;
    private WalkResult finished;

    WalkOperation(Snmp4jClient client, SnmpTarget target, Oid root) {
        this.client = client;
        this.target = target;
        this.root = root;
        this.last = root;
        this.nextOnly = target.version() == SnmpVersion.V1;
        this.maxRepetitions = client.maxRepetitions(target);
    }

    CompletableFuture<WalkResult> result() {
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
            first = nextRequest();
        }
        sendOrFinish(first);
    }

    private void sendOrFinish(PDU pdu) {
        if (pdu != null) {
            client.send(target, pdu, this::onAnswer);
        } else {
            result.complete(finished);
        }
    }

    private void onAnswer(Snmp4jClient.Answer answer) {
        PDU next;
        synchronized (this) {
            try {
                handle(answer);
            } catch (RuntimeException e) {
                finish(WalkEnd.ERROR_STATUS, "cannot read the answer after " + last + ": " + e);
            }
            next = finished == null ? nextRequest() : null;
        }
        sendOrFinish(next);
    }

    /** @return the next request, or null (and {@link #finished} set) when the request cap is reached */
    private PDU nextRequest() {
        if (requests >= target.maxRequestsPerWalk()) {
            finish(WalkEnd.REQUEST_CAP, "stopped at " + last + " after " + requests + " requests (the cap), "
                    + rows.size() + " rows so far");
            return null;
        }
        PDU pdu = new PDU();
        pdu.add(new VariableBinding(Values.toOID(last)));
        inFlightBulk = !nextOnly && !nextOnce;
        if (inFlightBulk) {
            pdu.setType(PDU.GETBULK);
            pdu.setNonRepeaters(0);
            pdu.setMaxRepetitions(maxRepetitions);
        } else {
            pdu.setType(PDU.GETNEXT);
        }
        nextOnce = false;
        requests++;
        return pdu;
    }

    private void handle(Snmp4jClient.Answer answer) {
        String request = (inFlightBulk ? "GETBULK (max-repetitions " + maxRepetitions + ")" : "GETNEXT") + " after " + last;
        PDU response = answer.response();
        if (response == null) {
            if (inFlightBulk && answer.timedOut()) {
                afterBulkTimeout = true;
                nextOnce = true;
                return;
            }
            var e = client.failure(target, request, answer);
            finish(answer.timedOut() ? WalkEnd.TIMEOUT : WalkEnd.TRANSPORT, e.getMessage());
            return;
        }
        if (afterBulkTimeout) {
            afterBulkTimeout = false;
            if (maxRepetitions == 1) {
                nextOnly = true; // GETBULK goes unanswered even for one repetition: this agent only does GETNEXT
            } else {
                lowerMaxRepetitions();
            }
        }
        varbinds += response.size();
        int status = response.getErrorStatus();
        if (status == PDU.tooBig) {
            if (inFlightBulk && maxRepetitions > 1) {
                lowerMaxRepetitions();
            } else if (inFlightBulk) {
                nextOnce = true;
            } else {
                finish(WalkEnd.ERROR_STATUS, request + " answered tooBig (1) for a single variable binding");
            }
            return;
        }
        if (status == PDU.noSuchName) {
            // SNMPv1's way to say "nothing follows in my view" (RFC 1157 4.1.3)
            finish(WalkEnd.NO_SUCH_NAME, "");
            return;
        }
        if (status != PDU.noError) {
            if (inFlightBulk) {
                nextOnly = true;
            } else {
                finish(WalkEnd.ERROR_STATUS, request + " answered " + Snmp4jClient.errorStatusName(status));
            }
            return;
        }
        if (response.size() == 0) {
            finish(WalkEnd.EMPTY_RESPONSE, request + " answered without a variable binding");
            return;
        }
        for (VariableBinding vb : response.getVariableBindings()) {
            SnmpValue value = Values.toValue(vb.getVariable());
            if (value instanceof SnmpValue.EndOfMibView) {
                finish(WalkEnd.END_OF_MIB_VIEW, "");
                return;
            }
            if (vb.getOid().size() == 0) {
                finish(WalkEnd.OID_NOT_INCREASING, "agent returned an empty OID after " + last);
                return;
            }
            Oid oid = Values.toOid(vb.getOid());
            if (oid.compareTo(last) <= 0) {
                finish(WalkEnd.OID_NOT_INCREASING, "agent returned " + oid + " after " + last + "; "
                        + rows.size() + " rows kept");
                return;
            }
            if (!oid.startsWith(root)) {
                finish(WalkEnd.END_OF_SUBTREE, "");
                return;
            }
            rows.add(new VarBind(oid, value));
            last = oid;
        }
    }

    private void lowerMaxRepetitions() {
        maxRepetitions = Math.max(1, maxRepetitions / 2);
        client.learnMaxRepetitions(target, maxRepetitions);
    }

    private void finish(WalkEnd end, String detail) {
        if (finished == null) {
            finished = new WalkResult(root, rows, end, detail, requests);
        }
    }
}

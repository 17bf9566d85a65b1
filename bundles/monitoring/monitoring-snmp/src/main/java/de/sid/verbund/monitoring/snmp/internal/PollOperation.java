package de.sid.verbund.monitoring.snmp.internal;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.SnmpException;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.WalkEnd;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One poll of a device: GET of sysUpTime.0 and the scalars in one request, then the walks one
 * after the other. A walk that times out (or cannot be sent) ends the poll: the walks after it
 * are reported {@link WalkEnd#NOT_POLLED} rather than each waiting out its own timeouts.
 */
final class PollOperation {
    private final Snmp4jClient client;
    private final SnmpTarget target;
    private final PollRequest request;
    private final CompletableFuture<PollResult> result = new CompletableFuture<>();
    private final Map<Oid, WalkResult> walks = new LinkedHashMap<>();
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();

    private SnmpValue sysUpTime = SnmpValue.NO_SUCH_OBJECT;
    private Map<Oid, SnmpValue> scalars = Map.of();
    private Optional<String> problem = Optional.empty();
    private int requests;
    private long varbinds;

    PollOperation(Snmp4jClient client, SnmpTarget target, PollRequest request) {
        this.client = client;
        this.target = target;
        this.request = request;
    }

    CompletableFuture<PollResult> result() {
        return result;
    }

    void start() {
        List<Oid> oids = new ArrayList<>();
        oids.add(PollRequest.SYS_UP_TIME);
        oids.addAll(request.scalars());
        GetOperation get = new GetOperation(client, target, oids);
        get.result().whenComplete((values, error) -> afterGet(get, values, error));
        get.start();
    }

    private void afterGet(GetOperation get, Map<Oid, SnmpValue> values, Throwable error) {
        boolean reachable = true;
        synchronized (this) {
            requests += get.requests();
            varbinds += get.varbinds();
            if (error != null) {
                SnmpException e = unwrap(error);
                problem = Optional.of(e.getMessage());
                // an error status means it answered: the walks may still work; a refused SNMPv3
                // user or no answer means none of them will
                reachable = e.kind() == SnmpException.Kind.ERROR_STATUS || e.kind() == SnmpException.Kind.BAD_RESPONSE;
            } else {
                sysUpTime = values.get(PollRequest.SYS_UP_TIME);
                Map<Oid, SnmpValue> s = new LinkedHashMap<>();
                for (Oid oid : request.scalars()) {
                    s.put(oid, values.get(oid));
                }
                scalars = s;
            }
        }
        if (reachable) {
            nextWalk(0);
        } else {
            finish(false);
        }
    }

    /** Starts walk {@code index}, or finishes the poll after the last. Called without our lock held. */
    private void nextWalk(int index) {
        List<Oid> roots = request.walks();
        if (index >= roots.size()) {
            finish(true);
            return;
        }
        WalkOperation walk = new WalkOperation(client, target, roots.get(index));
        walk.result().whenComplete((w, error) -> afterWalk(index, walk, w, error));
        walk.start();
    }

    private void afterWalk(int index, WalkOperation op, WalkResult walk, Throwable error) {
        boolean stop;
        synchronized (this) {
            requests += op.requests();
            varbinds += op.varbinds();
            Oid root = request.walks().get(index);
            if (error != null) {
                // a walk reports agent faults in its result; an exception here is our own defect
                walk = new WalkResult(root, List.of(), WalkEnd.TRANSPORT, "walk failed: " + error, op.requests());
            }
            walks.put(root, walk);
            stop = walk.end() == WalkEnd.TIMEOUT || walk.end() == WalkEnd.TRANSPORT;
            if (stop) {
                for (Oid rest : request.walks().subList(index + 1, request.walks().size())) {
                    walks.put(rest, new WalkResult(rest, List.of(), WalkEnd.NOT_POLLED,
                            "not walked: the device stopped answering during the walk of " + root, 0));
                }
            }
        }
        if (stop) {
            finish(true);
        } else {
            nextWalk(index + 1);
        }
    }

    private void finish(boolean reachable) {
        PollResult r;
        synchronized (this) {
            r = new PollResult(target.device(), reachable, sysUpTime, scalars, walks, startedAt,
                    Duration.ofNanos(System.nanoTime() - startNanos), requests, varbinds, problem);
        }
        result.complete(r);
    }

    private SnmpException unwrap(Throwable error) {
        Throwable e = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof SnmpException s ? s
                : new SnmpException(SnmpException.Kind.TRANSPORT, 0, target.describe() + ": " + e, e);
    }
}

package de.sid.verbund.monitoring.snmp.internal;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.SnmpClient;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.SnmpException;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.SnmpVersion;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.snmp4j.CommunityTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.Snmp;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SnmpClient} on SNMP4J: one {@link Snmp} session over one UDP socket for every
 * device, with only the v1 and v2c message processing models (no JVM-wide USM is touched).
 *
 * <p>Threads: SNMP4J's receive thread decodes answers and runs the small state machines of
 * {@link GetOperation}, {@link WalkOperation} and {@link PollOperation}, which send the next
 * request at once; SNMP4J's timer thread handles re-sends and timeouts. Results are handed to
 * the caller on the client's own completion threads, so slow callers never hold up the
 * receive thread.
 *
 * <p>Learned per agent address: the GETBULK max-repetitions that did not provoke tooBig (or
 * lost answers). Kept as long as the client lives.
 */
public final class Snmp4jClient implements SnmpClient, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Snmp4jClient.class);
    /** Socket receive buffer asked for: bursts of answers from many devices must not be dropped. */
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    private final Snmp snmp;
    private final DefaultUdpTransportMapping transport;
    private final ExecutorService completions;
    private final Map<InetSocketAddress, Integer> learnedMaxRepetitions = new ConcurrentHashMap<>();
    private final Set<InFlight> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Opens the UDP socket on an ephemeral port of {@code localAddress} and starts listening.
     *
     * @param localAddress the local address to send from ({@code 0.0.0.0} for any)
     * @param completionThreads threads that complete the returned stages (1 or more)
     * @throws IOException if the socket cannot be opened
     */
    public Snmp4jClient(InetAddress localAddress, int completionThreads) throws IOException {
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        transport = new DefaultUdpTransportMapping(new UdpAddress(localAddress, 0), false);
        transport.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
        snmp = new Snmp(dispatcher, transport);
        snmp.listen();
        AtomicInteger n = new AtomicInteger();
        completions = Executors.newFixedThreadPool(completionThreads, r -> {
            Thread t = new Thread(r, "verbund-snmp-completion-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        LOG.info("SNMP client listening on {}", transport.getListenAddress());
    }

    /** A client on any local address with 2 completion threads. */
    public Snmp4jClient() throws IOException {
        this(InetAddress.getByName("0.0.0.0"), 2);
    }

    /** @return the local address and port requests are sent from */
    public InetSocketAddress localAddress() {
        UdpAddress a = transport.getListenAddress();
        return new InetSocketAddress(a.getInetAddress(), a.getPort());
    }

    @Override
    public CompletionStage<Map<Oid, SnmpValue>> get(SnmpTarget target, List<Oid> oids) {
        if (oids.isEmpty()) {
            throw new IllegalArgumentException("a GET needs at least one OID");
        }
        GetOperation op = new GetOperation(this, target, oids);
        CompletionStage<Map<Oid, SnmpValue>> out = handOff(op.result());
        op.start();
        return out;
    }

    @Override
    public CompletionStage<WalkResult> walk(SnmpTarget target, Oid root) {
        WalkOperation op = new WalkOperation(this, target, root);
        CompletionStage<WalkResult> out = handOff(op.result());
        op.start();
        return out;
    }

    @Override
    public CompletionStage<PollResult> poll(SnmpTarget target, PollRequest request) {
        PollOperation op = new PollOperation(this, target, request);
        CompletionStage<PollResult> out = handOff(op.result());
        op.start();
        return out;
    }

    /** Closes the socket; requests in flight fail with {@link SnmpException.Kind#TRANSPORT}. */
    @Override
    public void close() {
        closed = true;
        try {
            snmp.close();
        } catch (IOException e) {
            LOG.warn("closing the SNMP session: {}", e.toString());
        }
        for (InFlight request : inFlight) {
            request.complete(new Answer(null, new InterruptedException("the SNMP client was closed")));
        }
        completions.shutdown();
        try {
            if (!completions.awaitTermination(5, TimeUnit.SECONDS)) {
                completions.shutdownNow();
            }
        } catch (InterruptedException e) {
            completions.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    // --- for the operations ------------------------------------------------------------------

    /** An answer to one request: a response PDU, or neither (timeout), or a local failure. */
    record Answer(PDU response, Throwable failure) {
        boolean timedOut() {
            return response == null && failure == null;
        }
    }

    /**
     * Sends {@code pdu} and calls {@code handler} once with the answer, on SNMP4J's receive or
     * timer thread (or at once on this thread if sending failed). The handler must not block.
     */
    void send(SnmpTarget target, PDU pdu, Consumer<Answer> handler) {
        InFlight request = new InFlight(handler);
        inFlight.add(request);
        if (closed) {
            request.complete(new Answer(null, new InterruptedException("the SNMP client is closed")));
            return;
        }
        try {
            snmp.send(pdu, snmp4jTarget(target), null, request);
        } catch (IOException | RuntimeException e) {
            request.complete(new Answer(null, e));
        }
    }

    /**
     * One request in flight. Answered exactly once: by SNMP4J (response, timeout), by a failure
     * to send, or by {@link #close()}. The last is needed because SNMP4J 3.13.1's
     * {@code Snmp.close()} clears each pending request's listener before it would call it, so
     * asynchronous requests in flight are never told, contrary to its documentation.
     */
    private final class InFlight implements ResponseListener {
        private final Consumer<Answer> handler;
        private final AtomicBoolean answered = new AtomicBoolean();

        InFlight(Consumer<Answer> handler) {
            this.handler = handler;
        }

        @Override
        public <A extends Address> void onResponse(ResponseEvent<A> event) {
            // SNMP4J keeps an asynchronous request until it is cancelled, answered or not
            ((Snmp) event.getSource()).cancel(event.getRequest(), this);
            complete(new Answer(event.getResponse(), event.getError()));
        }

        void complete(Answer answer) {
            if (answered.compareAndSet(false, true)) {
                inFlight.remove(this);
                deliver(handler, answer);
            }
        }
    }

    private static void deliver(Consumer<Answer> handler, Answer answer) {
        try {
            handler.accept(answer);
        } catch (RuntimeException e) {
            // never into SNMP4J's threads: the operation's own guard should have caught it
            LOG.error("handling an SNMP answer failed", e);
        }
    }

    /** @return the GETBULK max-repetitions to use for the target: its own, or less if learned so */
    int maxRepetitions(SnmpTarget target) {
        Integer learned = learnedMaxRepetitions.get(target.address());
        return learned == null ? target.maxRepetitions() : Math.min(learned, target.maxRepetitions());
    }

    /** Remembers that the agent at the target's address needs at most {@code maxRepetitions}. */
    void learnMaxRepetitions(SnmpTarget target, int maxRepetitions) {
        Integer before = learnedMaxRepetitions.get(target.address());
        learnedMaxRepetitions.merge(target.address(), maxRepetitions, Math::min);
        if (before == null || maxRepetitions < before) {
            LOG.info("{}: GETBULK max-repetitions lowered to {}", target.describe(), maxRepetitions);
        }
    }

    static SnmpException failure(SnmpTarget target, String what, Answer answer) {
        if (answer.timedOut()) {
            return new SnmpException(SnmpException.Kind.TIMEOUT, 0, target.describe() + ": no answer to " + what + " after "
                    + (1 + target.retries()) + " attempts of " + target.timeout().toMillis() + " ms", null);
        }
        Throwable cause = answer.failure();
        String reason = cause instanceof InterruptedException ? "the SNMP client was closed" : cause.toString();
        return new SnmpException(SnmpException.Kind.TRANSPORT, 0, target.describe() + ": " + what + " failed: " + reason, cause);
    }

    /** RFC 3416 section 3 error-status names, by number. */
    private static final String[] ERROR_STATUS = {"noError", "tooBig", "noSuchName", "badValue", "readOnly", "genErr",
        "noAccess", "wrongType", "wrongLength", "wrongEncoding", "wrongValue", "noCreation", "inconsistentValue",
        "resourceUnavailable", "commitFailed", "undoFailed", "authorizationError", "notWritable", "inconsistentName"};

    /** @return the RFC 3416 name and number, e.g. {@code genErr (5)} */
    static String errorStatusName(int status) {
        String name = status >= 0 && status < ERROR_STATUS.length ? ERROR_STATUS[status] : "unknown error-status";
        return name + " (" + status + ")";
    }

    private static CommunityTarget<UdpAddress> snmp4jTarget(SnmpTarget target) {
        if (!(target.credentials() instanceof SnmpCredentials.Community community)) {
            throw new IllegalArgumentException(target.describe() + ": unsupported credentials " + target.credentials());
        }
        CommunityTarget<UdpAddress> t = new CommunityTarget<>(
                new UdpAddress(target.address().getAddress(), target.address().getPort()),
                new OctetString(community.community().getBytes(StandardCharsets.UTF_8)));
        t.setVersion(target.version() == SnmpVersion.V1 ? SnmpConstants.version1 : SnmpConstants.version2c);
        t.setTimeout(target.timeout().toMillis());
        t.setRetries(target.retries());
        return t;
    }

    private <T> CompletionStage<T> handOff(CompletableFuture<T> internal) {
        CompletableFuture<T> out = new CompletableFuture<>();
        internal.whenComplete((value, error) -> {
            Runnable complete = () -> {
                if (error != null) {
                    out.completeExceptionally(error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                            ? error.getCause() : error);
                } else {
                    out.complete(value);
                }
            };
            try {
                completions.execute(complete);
            } catch (RejectedExecutionException e) {
                complete.run();
            }
        });
        return out;
    }
}

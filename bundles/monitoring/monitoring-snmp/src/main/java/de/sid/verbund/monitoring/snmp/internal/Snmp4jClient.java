package de.sid.verbund.monitoring.snmp.internal;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.SnmpClient;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.SnmpException;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.SnmpVersion;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.inventory.Credential.AuthProtocol;
import de.sid.verbund.monitoring.inventory.Credential.PrivProtocol;
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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.CommunityTarget;
import org.snmp4j.DirectUserTarget;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.ScopedPDU;
import org.snmp4j.Snmp;
import org.snmp4j.Target;
import org.snmp4j.event.ResponseEvent;
import org.snmp4j.event.ResponseListener;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.PduHandle;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link SnmpClient} on SNMP4J: one {@link Snmp} session over one UDP socket for every
 * device, SNMPv1, SNMPv2c and SNMPv3 with a User-based Security Model of its own (SNMP4J's
 * JVM-wide {@code SecurityModels} and {@code SecurityProtocols} are never touched).
 *
 * <p>SNMPv3 (RFC 3412, RFC 3414): the agent's engine ID is discovered with the first request and
 * kept per address; the engine boots and time are kept per address and engine ID
 * ({@link PeerUsm}), so agents that share an engine ID are all polled; keys travel with each
 * request ({@link UsmTargets}), so agents may have users of the same name with other
 * passphrases. After an agent's reboot the first request gets a usmStatsNotInTimeWindows report
 * and is sent once more with the new boots and time (RFC 3414 3.2.7). A request without an
 * answer makes the next one to that address discover the engine ID again: a replaced device with
 * another engine ID answers the old one with a report SNMP4J has to drop (RFC 3412 7.2.11), so
 * its first poll fails and the next one works. Other reports (unknown user, wrong digest,
 * decryption error, unsupported security level) fail the request with
 * {@link SnmpException.Kind#SECURITY} and a message saying which, never with a passphrase.
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
    private final PeerUsm usm;
    private final UsmTargets usmTargets;
    private final Map<OID, LongAdder> reports = new ConcurrentHashMap<>();
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
        this(localAddress, completionThreads, true);
    }

    /**
     * @param engineTimePerAgent true: SNMPv3 engine boots and time are kept per agent address and
     *        engine ID; false: per engine ID only, as SNMP4J does (for the test that shows why not)
     */
    Snmp4jClient(InetAddress localAddress, int completionThreads, boolean engineTimePerAgent) throws IOException {
        MessageDispatcherImpl dispatcher = new PeerUsm.Dispatcher();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        SecurityProtocols protocols = UsmTargets.securityProtocols();
        CounterSupport counters = new CounterSupport();
        OctetString localEngineId = new OctetString(MPv3.createLocalEngineID());
        usm = PeerUsm.create(protocols, localEngineId, counters, engineTimePerAgent);
        MPv3 mpv3 = new MPv3(localEngineId.getValue(), null, protocols, SecurityModels.getCollection(new SecurityModel[] {usm}),
                counters);
        dispatcher.addMessageProcessingModel(mpv3);
        usmTargets = new UsmTargets(protocols, mpv3);
        transport = new DefaultUdpTransportMapping(new UdpAddress(localAddress, 0), false);
        transport.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
        snmp = new Snmp(dispatcher, transport);
        Snmp.ReportHandler reportHandler = snmp.getReportHandler();
        snmp.setReportHandler(new Snmp.ReportHandler() {
            @Override
            public <A extends Address> void processReport(PduHandle handle, CommandResponderEvent<A> event) {
                OID counter = UsmReports.counter(event.getPDU());
                if (UsmReports.isKnown(counter)) {
                    reports.computeIfAbsent(counter, c -> new LongAdder()).increment();
                }
                if (event.getSecurityLevel() == SecurityLevel.NOAUTH_NOPRIV && UsmReports.UNAUTHENTICATED.contains(counter)) {
                    // An agent cannot authenticate a report about a digest it could not check or a
                    // level it does not accept (RFC 3412 7.1.3.b), and SNMP4J drops such reports
                    // unless a JVM-wide setting says otherwise: the request would only time out.
                    // Taken as net-snmp's own tools take them; they end the request, nothing else.
                    event.setSecurityLevel(SecurityLevel.AUTH_NOPRIV);
                }
                reportHandler.processReport(handle, event);
            }
        });
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

    /**
     * @param counter a report's counter, e.g. {@link SnmpConstants#usmStatsNotInTimeWindows}
     * @return how many Report PDUs with it this client accepted (those SNMP4J answers itself by
     *         sending again included; those it drops as not matching a request not)
     */
    long reports(OID counter) {
        var n = reports.get(counter);
        return n == null ? 0 : n.sum();
    }

    /** @return how many agent addresses have SNMPv3 engine time state of their own */
    int usmAgents() {
        return usm.agents();
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
        InFlight request = new InFlight(target, scoped(target, pdu), handler);
        inFlight.add(request);
        if (closed) {
            request.complete(new Answer(null, new InterruptedException("the SNMP client is closed")));
            return;
        }
        request.send();
    }

    /** @return the PDU as its version needs it: SNMPv3 carries a scoped PDU (RFC 3412 section 6) */
    private static PDU scoped(SnmpTarget target, PDU pdu) {
        if (target.version() != SnmpVersion.V3 || pdu instanceof ScopedPDU) {
            return pdu;
        }
        ScopedPDU s = new ScopedPDU();
        s.setType(pdu.getType());
        s.setVariableBindings(pdu.getVariableBindings());
        s.setNonRepeaters(pdu.getNonRepeaters());
        s.setMaxRepetitions(pdu.getMaxRepetitions());
        return s;
    }

    /**
     * One request in flight. Answered exactly once: by SNMP4J (response, timeout), by a failure
     * to send, or by {@link #close()}. The last is needed because SNMP4J 3.13.1's
     * {@code Snmp.close()} clears each pending request's listener before it would call it, so
     * asynchronous requests in flight are never told, contrary to its documentation.
     */
    private final class InFlight implements ResponseListener {
        private final SnmpTarget target;
        private final PDU pdu;
        private final Consumer<Answer> handler;
        private final AtomicBoolean answered = new AtomicBoolean();

        InFlight(SnmpTarget target, PDU pdu, Consumer<Answer> handler) {
            this.target = target;
            this.pdu = pdu;
            this.handler = handler;
        }

        void send() {
            try {
                snmp.send(pdu, snmp4jTarget(target), null, this);
            } catch (IOException | RuntimeException e) {
                complete(new Answer(null, e));
            }
        }

        @Override
        public <A extends Address> void onResponse(ResponseEvent<A> event) {
            // SNMP4J keeps an asynchronous request until it is cancelled, answered or not
            ((Snmp) event.getSource()).cancel(event.getRequest(), this);
            PDU response = event.getResponse();
            if (target.credentials() instanceof SnmpCredentials.Usm user) {
                if (response != null && response.getType() == PDU.REPORT) {
                    complete(new Answer(null, new SnmpException(SnmpException.Kind.SECURITY, 0,
                            UsmReports.explain(response, user), null)));
                    return;
                }
                if (response == null && event.getError() == null) {
                    // a replaced agent with another engine ID answers the old one with a report
                    // SNMP4J must drop (RFC 3412 7.2.11): the next request discovers it again
                    usmTargets.rediscover(udpAddress(target));
                }
            }
            complete(new Answer(response, event.getError()));
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

    SnmpException failure(SnmpTarget target, String what, Answer answer) {
        if (answer.timedOut()) {
            String hint = "";
            if (target.credentials() instanceof SnmpCredentials.Usm user && user.privProtocol() != PrivProtocol.NONE
                    && usmTargets.engineIdKnown(udpAddress(target))) {
                hint = " (this agent answered SNMPv3 engine discovery: if it is still up, a wrong privacy passphrase "
                        + "or protocol for USM user '" + user.user() + "' looks like this, as agents such as net-snmp "
                        + "drop what they cannot decrypt)";
            }
            return new SnmpException(SnmpException.Kind.TIMEOUT, 0, target.describe() + ": no answer to " + what + " after "
                    + (1 + target.retries()) + " attempts of " + target.timeout().toMillis() + " ms" + hint, null);
        }
        Throwable cause = answer.failure();
        if (cause instanceof SnmpException refused) {
            return new SnmpException(refused.kind(), refused.errorStatus(), target.describe() + ": " + what + " refused: "
                    + refused.getMessage(), null);
        }
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

    private Target<UdpAddress> snmp4jTarget(SnmpTarget target) {
        Target<UdpAddress> t;
        if (target.credentials() instanceof SnmpCredentials.Usm user) {
            DirectUserTarget<UdpAddress> u = usmTargets.target(udpAddress(target), user);
            u.setVersion(SnmpConstants.version3);
            u.setSecurityLevel(user.authProtocol() == AuthProtocol.NONE ? SecurityLevel.NOAUTH_NOPRIV
                    : user.privProtocol() == PrivProtocol.NONE ? SecurityLevel.AUTH_NOPRIV : SecurityLevel.AUTH_PRIV);
            t = u;
        } else {
            SnmpCredentials.Community community = (SnmpCredentials.Community) target.credentials();
            CommunityTarget<UdpAddress> c = new CommunityTarget<>(udpAddress(target),
                    new OctetString(community.community().getBytes(StandardCharsets.UTF_8)));
            c.setVersion(target.version() == SnmpVersion.V1 ? SnmpConstants.version1 : SnmpConstants.version2c);
            t = c;
        }
        t.setTimeout(target.timeout().toMillis());
        t.setRetries(target.retries());
        return t;
    }

    private static UdpAddress udpAddress(SnmpTarget target) {
        return new UdpAddress(target.address().getAddress(), target.address().getPort());
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

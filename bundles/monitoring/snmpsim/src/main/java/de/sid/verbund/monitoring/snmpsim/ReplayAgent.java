package de.sid.verbund.monitoring.snmpsim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcher;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.MessageException;
import org.snmp4j.PDU;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.snmp4j.util.MultiThreadedMessageDispatcher;
import org.snmp4j.util.ThreadPool;

/**
 * Serves {@link RecordTable}s over UDP with SNMPv1 and SNMPv2c on SNMP4J: the community selects
 * the table; a request with an unknown community, or in SNMPv3, is not answered (as snmpsimd,
 * which has no {@code index} community here and no SNMPv3 user). Answers follow
 * {@link ReplayResponder}.
 *
 * <p>One SNMP4J UDP transport receives; with {@code threads} 1 (the default of the command line)
 * its thread also decodes, answers and sends, which costs the least CPU per request (about
 * 10 µs for a GETNEXT here). More threads hand each message to SNMP4J's worker pool, which
 * costs about three times the CPU per request and pays only when the agent has cores to spare.
 * Nothing is logged per request.
 */
public final class ReplayAgent implements CommandResponder, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplayAgent.class);

    private final Map<OctetString, RecordTable> tables = new HashMap<>();
    private final DefaultUdpTransportMapping transport;
    private final MessageDispatcher dispatcher;
    private final ThreadPool workers;
    private final LongAdder requests = new LongAdder();
    private final LongAdder answeredVarbinds = new LongAdder();
    private final LongAdder unanswered = new LongAdder();
    private volatile java.util.function.Consumer<Request> observer;

    /**
     * A request the agent received with a known community, for tests that watch who polls what.
     *
     * @param epochMillis when it was received (wall clock)
     * @param community the community it named
     * @param source the manager's address and port
     * @param requestId the PDU's request-id (a manager's retry re-sends the same one)
     * @param pduType the PDU type ({@link PDU#GET}, {@link PDU#GETBULK}, …)
     * @param oids the OIDs of its variable bindings
     */
    public record Request(long epochMillis, String community, InetSocketAddress source, int requestId, int pduType,
                          java.util.List<String> oids) {
    }

    private ReplayAgent(Map<String, RecordTable> byCommunity, InetSocketAddress listen, int threads) throws IOException {
        byCommunity.forEach((community, table) ->
                tables.put(new OctetString(community.getBytes(StandardCharsets.UTF_8)), table));
        try {
            transport = new DefaultUdpTransportMapping(new UdpAddress(listen.getAddress(), listen.getPort()), false);
        } catch (IOException e) {
            throw cannotListen(listen, e);
        }
        transport.setReceiveBufferSize(4 << 20);
        MessageDispatcherImpl core = new MessageDispatcherImpl();
        core.addMessageProcessingModel(new MPv1());
        core.addMessageProcessingModel(new MPv2c());
        if (threads > 1) {
            workers = ThreadPool.create("snmpsim", threads);
            dispatcher = new MultiThreadedMessageDispatcher(workers, core);
        } else {
            workers = null;
            dispatcher = core;
        }
        dispatcher.addTransportMapping(transport);
        dispatcher.addCommandResponder(this);
        transport.addTransportListener(dispatcher);
    }

    /**
     * Starts an agent serving {@code tables} (by community) on {@code listen} (port 0 picks a
     * free port: see {@link #address()}).
     *
     * @param threads worker threads (1: the receiving thread answers)
     * @throws IOException if the UDP port cannot be bound
     */
    public static ReplayAgent start(Map<String, RecordTable> tables, InetSocketAddress listen, int threads)
            throws IOException {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, not " + threads);
        }
        ReplayAgent agent = new ReplayAgent(tables, listen, threads);
        try {
            agent.transport.listen();
        } catch (IOException e) {
            agent.close();
            throw cannotListen(listen, e);
        }
        LOG.debug("replay agent on {} serves {} communities", agent.address(), tables.size());
        return agent;
    }

    private static IOException cannotListen(InetSocketAddress listen, IOException e) {
        return new IOException("cannot listen on udp:" + listen.getAddress().getHostAddress() + ":" + listen.getPort()
                + ": " + e.getMessage(), e);
    }

    /** The address the agent listens on (with the actual port when started with port 0). */
    public InetSocketAddress address() {
        UdpAddress a = transport.getListenAddress();
        return new InetSocketAddress(a.getInetAddress(), a.getPort());
    }

    /**
     * Tells {@code observer} of every request with a known community, on the receiving thread,
     * before it is answered ({@code null} stops it). Meant for tests: it must return quickly.
     */
    public void observe(java.util.function.Consumer<Request> observer) {
        this.observer = observer;
    }

    /** Requests received with a known community. */
    public long requests() {
        return requests.sum();
    }

    /** Varbinds in the answers sent. */
    public long answeredVarbinds() {
        return answeredVarbinds.sum();
    }

    /** Requests with a known community that got no answer (GETBULK over v1, too long, send failed). */
    public long unanswered() {
        return unanswered.sum();
    }

    @Override
    public <A extends Address> void processPdu(CommandResponderEvent<A> event) {
        PDU request = event.getPDU();
        if (request == null) {
            return;
        }
        byte[] community = event.getSecurityName();
        RecordTable table = tables.get(new OctetString(community));
        if (table == null) {
            return; // snmpsimd does not answer an unknown community
        }
        event.setProcessed(true);
        requests.increment();
        java.util.function.Consumer<Request> o = observer;
        if (o != null && event.getPeerAddress() instanceof org.snmp4j.smi.UdpAddress peer) {
            java.util.List<String> oids = new java.util.ArrayList<>(request.size());
            for (org.snmp4j.smi.VariableBinding vb : request.getVariableBindings()) {
                oids.add(vb.getOid().toDottedString());
            }
            o.accept(new Request(System.currentTimeMillis(), new String(community, StandardCharsets.UTF_8),
                    new InetSocketAddress(peer.getInetAddress(), peer.getPort()), request.getRequestID().getValue(),
                    request.getType(), java.util.List.copyOf(oids)));
        }
        PDU response = ReplayResponder.answer(request, table);
        if (response == null || (ReplayResponder.mayExceed(response, table)
                && ReplayResponder.messageLength(community, response) > ReplayResponder.MAX_MESSAGE_SIZE)) {
            unanswered.increment();
            return;
        }
        int size = response.size();
        answeredVarbinds.add(size); // before sending: a manager may look at the counters once it has the answer
        try {
            event.getMessageDispatcher().returnResponsePdu(event.getMessageProcessingModel(),
                    event.getSecurityModel(), community, event.getSecurityLevel(), response,
                    event.getMaxSizeResponsePDU(), event.getStateReference(), new StatusInformation());
        } catch (MessageException e) {
            answeredVarbinds.add(-size);
            unanswered.increment();
            LOG.debug("answer to {} not sent: {}", event.getPeerAddress(), e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            LOG.warn("closing the replay agent's transport: {}", e.getMessage());
        }
        if (workers != null) {
            workers.cancel();
        }
    }
}

package de.sid.verbund.monitoring.snmp.internal;

import de.sid.verbund.monitoring.SnmpTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.PDU;
import org.snmp4j.PDUv1;
import org.snmp4j.Snmp;
import org.snmp4j.asn1.BER;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;

/**
 * A small SNMPv1/v2c agent built on SNMP4J for faults net-snmp cannot be made to show. It
 * serves a fixed MIB with correct GET, GETNEXT and GETBULK semantics (RFC 3416), unless a
 * fault is switched on:
 *
 * <ul>
 *   <li>{@link #successor}: replaces "the next OID after x" (an agent that echoes the OID it
 *       was asked for, or cycles);</li>
 *   <li>{@link #tooBigAbove}: answers tooBig (empty variable bindings) when the answer message
 *       would be larger than so many bytes;</li>
 *   <li>{@link #dropFirst}, {@link #ignoreBulk}, {@link #ignoreWalks}, {@link #ignoreAll}: does not answer.</li>
 * </ul>
 *
 * It counts what it receives and the tooBig answers it sends.
 */
final class ScriptedAgent implements AutoCloseable, CommandResponder {
    private final NavigableMap<OID, Variable> mib;
    private final Snmp snmp;
    private final DefaultUdpTransportMapping transport;
    private final String community;

    volatile UnaryOperator<OID> successor;
    volatile int tooBigAbove = Integer.MAX_VALUE;
    volatile int dropFirst;
    volatile boolean ignoreBulk;
    volatile boolean ignoreAll;
    volatile boolean ignoreWalks;

    final AtomicInteger received = new AtomicInteger();
    final AtomicInteger tooBigAnswers = new AtomicInteger();
    final Map<Integer, AtomicInteger> receivedByType = new ConcurrentHashMap<>();
    final Set<String> peers = ConcurrentHashMap.newKeySet();

    ScriptedAgent(Map<OID, Variable> mib) throws IOException {
        this(mib, "public");
    }

    ScriptedAgent(Map<OID, Variable> mib, String community) throws IOException {
        this.mib = new TreeMap<>(mib);
        this.community = community;
        this.successor = oid -> this.mib.higherKey(oid);
        MessageDispatcherImpl dispatcher = new MessageDispatcherImpl();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        transport = new DefaultUdpTransportMapping(new UdpAddress(InetAddress.getLoopbackAddress(), 0), false);
        snmp = new Snmp(dispatcher, transport);
        snmp.addCommandResponder(this);
        snmp.listen();
    }

    InetSocketAddress address() {
        UdpAddress a = transport.getListenAddress();
        return new InetSocketAddress(a.getInetAddress(), a.getPort());
    }

    SnmpTarget v2c(String device) {
        return SnmpTarget.v2c(device, address(), community);
    }

    SnmpTarget v1(String device) {
        return SnmpTarget.v1(device, address(), community);
    }

    int received(int pduType) {
        AtomicInteger n = receivedByType.get(pduType);
        return n == null ? 0 : n.get();
    }

    @Override
    public <A extends org.snmp4j.smi.Address> void processPdu(CommandResponderEvent<A> event) {
        PDU request = event.getPDU();
        if (request == null || !new OctetString(community).equalsValue(event.getSecurityName())) {
            return;
        }
        event.setProcessed(true);
        int n = received.incrementAndGet();
        receivedByType.computeIfAbsent(request.getType(), t -> new AtomicInteger()).incrementAndGet();
        peers.add(String.valueOf(event.getPeerAddress()));
        if (n <= dropFirst || ignoreAll || (ignoreBulk && request.getType() == PDU.GETBULK)
                || (ignoreWalks && request.getType() != PDU.GET)) {
            return;
        }
        boolean v1 = event.getMessageProcessingModel() == org.snmp4j.mp.MessageProcessingModel.MPv1;
        PDU response = answer(request, v1);
        if (messageSize(event, response) > tooBigAbove) {
            response = v1 ? new PDUv1() : new PDU();
            response.setType(PDU.RESPONSE);
            response.setRequestID(request.getRequestID());
            response.setErrorStatus(PDU.tooBig);
            tooBigAnswers.incrementAndGet();
        }
        try {
            event.getMessageDispatcher().returnResponsePdu(event.getMessageProcessingModel(), event.getSecurityModel(),
                    event.getSecurityName(), event.getSecurityLevel(), response, event.getMaxSizeResponsePDU(),
                    event.getStateReference(), new StatusInformation());
        } catch (org.snmp4j.MessageException e) {
            throw new IllegalStateException(e);
        }
    }

    private PDU answer(PDU request, boolean v1) {
        PDU response = v1 ? new PDUv1() : new PDU();
        response.setType(PDU.RESPONSE);
        response.setRequestID(request.getRequestID());
        List<? extends VariableBinding> vbs = request.getVariableBindings();
        switch (request.getType()) {
            case PDU.GET -> {
                for (int i = 0; i < vbs.size(); i++) {
                    OID oid = vbs.get(i).getOid();
                    Variable v = mib.get(oid);
                    if (v == null && v1) {
                        return error(request, response, PDU.noSuchName, i + 1);
                    }
                    response.add(new VariableBinding(oid, v != null ? v
                            : hasObject(oid) ? Null.noSuchInstance : Null.noSuchObject));
                }
            }
            case PDU.GETNEXT -> {
                for (int i = 0; i < vbs.size(); i++) {
                    OID next = successor.apply(vbs.get(i).getOid());
                    if (next == null && v1) {
                        return error(request, response, PDU.noSuchName, i + 1);
                    }
                    response.add(next == null ? new VariableBinding(vbs.get(i).getOid(), Null.endOfMibView)
                            : new VariableBinding(next, value(next)));
                }
            }
            case PDU.GETBULK -> {
                int nonRepeaters = Math.min(Math.max(request.getNonRepeaters(), 0), vbs.size());
                for (int i = 0; i < nonRepeaters; i++) {
                    OID next = successor.apply(vbs.get(i).getOid());
                    response.add(next == null ? new VariableBinding(vbs.get(i).getOid(), Null.endOfMibView)
                            : new VariableBinding(next, value(next)));
                }
                OID[] cursor = new OID[vbs.size() - nonRepeaters];
                for (int i = 0; i < cursor.length; i++) {
                    cursor[i] = vbs.get(nonRepeaters + i).getOid();
                }
                for (int r = 0; r < Math.max(request.getMaxRepetitions(), 0) && cursor.length > 0; r++) {
                    boolean allEnded = true;
                    for (int i = 0; i < cursor.length; i++) {
                        OID next = cursor[i] == null ? null : successor.apply(cursor[i]);
                        if (next == null) {
                            response.add(new VariableBinding(cursor[i] == null ? vbs.get(nonRepeaters + i).getOid() : cursor[i],
                                    Null.endOfMibView));
                            cursor[i] = null;
                        } else {
                            response.add(new VariableBinding(next, value(next)));
                            cursor[i] = next;
                            allEnded = false;
                        }
                    }
                    if (allEnded) {
                        break;
                    }
                }
            }
            default -> {
                return error(request, response, PDU.genErr, 0);
            }
        }
        return response;
    }

    private Variable value(OID oid) {
        Variable v = mib.get(oid);
        return v != null ? v : new OctetString("echo");
    }

    /** @return true if some instance of the object type {@code oid} would belong to is served (its parent OID has entries) */
    private boolean hasObject(OID oid) {
        OID parent = new OID(oid.getValue(), 0, oid.size() - 1);
        OID higher = mib.higherKey(parent);
        return higher != null && higher.startsWith(parent);
    }

    private static PDU error(PDU request, PDU answer, int status, int index) {
        // not PDU.clear(): it resets the request ID too
        PDU response = answer instanceof PDUv1 ? new PDUv1() : new PDU();
        response.setType(PDU.RESPONSE);
        response.setRequestID(request.getRequestID());
        for (VariableBinding vb : request.getVariableBindings()) {
            response.add(vb);
        }
        response.setErrorStatus(status);
        response.setErrorIndex(index);
        return response;
    }

    /** The size of the whole SNMP message carrying {@code response}: SEQUENCE { version, community, PDU }. */
    private static int messageSize(CommandResponderEvent<?> event, PDU response) {
        int content = new Integer32(event.getMessageProcessingModel()).getBERLength()
                + new OctetString(event.getSecurityName()).getBERLength()
                + response.getBERLength();
        return 1 + BER.getBERLengthOfLength(content) + content;
    }

    @Override
    public void close() throws IOException {
        snmp.close();
    }
}

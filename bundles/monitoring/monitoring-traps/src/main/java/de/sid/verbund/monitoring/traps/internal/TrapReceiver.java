package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.trap.TrapEvents;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.snmp4j.CommandResponder;
import org.snmp4j.CommandResponderEvent;
import org.snmp4j.MessageDispatcher;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.MessageException;
import org.snmp4j.MutablePDU;
import org.snmp4j.PDU;
import org.snmp4j.TransportMapping;
import org.snmp4j.TransportStateReference;
import org.snmp4j.asn1.BERInputStream;
import org.snmp4j.asn1.BEROutputStream;
import org.snmp4j.event.CounterEvent;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.mp.MPv1;
import org.snmp4j.mp.MPv2c;
import org.snmp4j.mp.MPv3;
import org.snmp4j.mp.MessageProcessingModel;
import org.snmp4j.mp.MutableStateReference;
import org.snmp4j.mp.PduHandle;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.mp.StatusInformation;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModels;
import org.snmp4j.security.SecurityParameters;
import org.snmp4j.security.SecurityStateReference;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.security.UsmSecurityParameters;
import org.snmp4j.security.UsmUserEntry;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.IpAddress;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.SMIConstants;
import org.snmp4j.smi.UdpAddress;
import org.snmp4j.smi.Variable;
import org.snmp4j.smi.VariableBinding;
import org.snmp4j.transport.DefaultUdpTransportMapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SNMP4J part of the trap receiver: one UDP socket, SNMP4J's message processing models for
 * v1, v2c and v3 (with this receiver's own USM and security protocols, never SNMP4J's JVM-wide
 * ones), and the handling of every notification on SNMP4J's receiving thread:
 * <ol>
 *   <li>SNMPv1/v2c: the community must be accepted ({@link AcceptedCredentials}); SNMPv3: SNMP4J's USM
 *       has authenticated and decrypted the message, and its security level must be at least what the
 *       user's credential has. An unknown community or user makes the owner read the credentials again
 *       once ({@code reloadCredentials}, rate-limited by the owner) before the message is refused;</li>
 *   <li>the PDU becomes a {@link Notification} in SNMPv2 form ({@link Notifications});</li>
 *   <li>it is attributed to an address: the sender, or for a sender in {@code trustedRelays} its
 *       {@code snmpTrapAddress.0} (SNMPv1: agent-addr); and to the inventory device of that address;</li>
 *   <li>named ({@link TrapClassifier}) and turned into a {@link TrapEvents} event, queued for the bus;</li>
 *   <li>an inform is answered (RFC 3416 4.2.7) once its event is queued; a retransmitted inform
 *       (same sender, security name and request-id within a minute) is answered again but published once.</li>
 * </ol>
 * Whatever is not accepted is dropped and counted by {@link DropReason}, and logged at most once
 * a minute per kind. Nothing a sender does ends the receiving thread.
 */
final class TrapReceiver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrapReceiver.class);
    private static final long LOG_INTERVAL_MS = 60_000;
    /** Socket receive buffer asked for: trap storms (a switch stack rebooting) come in bursts. */
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;

    /**
     * @param bindAddress local address to listen on
     * @param port UDP port, 0 for any free one
     * @param trustedRelays senders whose {@code snmpTrapAddress.0} / agent-addr is believed
     * @param engineId this receiver's SNMPv3 engine ID (5 to 32 bytes, RFC 3411)
     */
    record Settings(InetAddress bindAddress, int port, Set<InetAddress> trustedRelays, byte[] engineId) {
        Settings {
            trustedRelays = Set.copyOf(trustedRelays);
            engineId = engineId.clone();
        }
    }

    private final Settings settings;
    private final AcceptedCredentials credentials;
    private final DeviceDirectory devices;
    private final EventQueue queue;
    private final TrapHistory history;
    private final TrapMetrics metrics;
    private final BooleanSupplier reloadCredentials;
    private final InformDeduplication informs = new InformDeduplication(10_000, 60_000);
    private final RateLimitedLog badInputLog = new RateLimitedLog(LOG, LOG_INTERVAL_MS);
    private final RateLimitedLog refusedLog = new RateLimitedLog(LOG, LOG_INTERVAL_MS);
    private final RateLimitedLog queueLog = new RateLimitedLog(LOG, LOG_INTERVAL_MS);
    private final ThreadLocal<String> decodeFailure = new ThreadLocal<>();
    /** Set by the USM for the message in hand when it is an engine time synchronisation probe. */
    private final ThreadLocal<Boolean> timeSynchronisation = new ThreadLocal<>();
    /** Set by the USM for the message in hand when it was authentic and decrypted (authPriv). */
    private final ThreadLocal<Boolean> decrypted = new ThreadLocal<>();
    private final GuardedDispatcher dispatcher;
    private final DefaultUdpTransportMapping transport;

    /**
     * Opens the UDP socket and starts receiving.
     *
     * @param reloadCredentials reads the stored credentials again into {@link #credentials()}; returns
     *        true if it did (the owner limits how often)
     * @throws IOException if the socket cannot be bound (port in use, address not local, port below
     *         1024 without privileges)
     */
    TrapReceiver(Settings settings, Set<String> extraCommunities, DeviceDirectory devices, EventQueue queue,
                 TrapHistory history, TrapMetrics metrics, BooleanSupplier reloadCredentials) throws IOException {
        this.settings = settings;
        this.devices = devices;
        this.queue = queue;
        this.history = history;
        this.metrics = metrics;
        this.reloadCredentials = reloadCredentials;

        SecurityProtocols protocols = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.any);
        OctetString engineId = new OctetString(settings.engineId());
        USM usm = new ReloadingUsm(protocols, engineId);
        this.credentials = new AcceptedCredentials(usm, extraCommunities);
        dispatcher = new GuardedDispatcher();
        dispatcher.addMessageProcessingModel(new MPv1());
        dispatcher.addMessageProcessingModel(new MPv2c());
        dispatcher.addMessageProcessingModel(new CheckedMPv3(settings.engineId(), protocols,
                SecurityModels.getCollection(new SecurityModel[] {usm})));
        dispatcher.addCounterListener(this::dispatcherCounter);
        dispatcher.addCommandResponder(new Responder());
        transport = new DefaultUdpTransportMapping(new UdpAddress(settings.bindAddress(), settings.port()), false);
        transport.setReceiveBufferSize(RECEIVE_BUFFER_BYTES);
        dispatcher.addTransportMapping(transport);
        transport.addTransportListener(dispatcher);
        try {
            transport.listen();
        } catch (IOException e) {
            transport.close();
            throw e;
        }
        LOG.info("Trap receiver listening on udp:{}:{} (SNMPv1, v2c, v3; engine ID {})",
                settings.bindAddress().getHostAddress(), localAddress().getPort(), engineId.toHexString());
    }

    /** @return what the receiver accepts; the owner applies the stored credentials to it */
    AcceptedCredentials credentials() {
        return credentials;
    }

    /** @return the local address and port (the actual port when started with port 0) */
    InetSocketAddress localAddress() {
        UdpAddress a = transport.getListenAddress();
        return new InetSocketAddress(a.getInetAddress(), a.getPort());
    }

    @Override
    public void close() {
        try {
            transport.close();
        } catch (IOException e) {
            LOG.warn("Trap receiver: closing the UDP socket: {}", e.toString());
        }
    }

    // --- handling ---------------------------------------------------------------------------

    private final class Responder implements CommandResponder {
        @Override
        public <A extends Address> void processPdu(CommandResponderEvent<A> event) {
            event.setProcessed(true);
            try {
                handle(event);
            } catch (RuntimeException e) {
                drop(DropReason.MALFORMED, event.getPeerAddress(), "cannot be handled: " + e);
                LOG.debug("Trap receiver: failure handling a message from {}", event.getPeerAddress(), e);
            }
        }
    }

    private void handle(CommandResponderEvent<?> e) {
        Address peer = e.getPeerAddress();
        String version = switch (e.getMessageProcessingModel()) {
            case MessageProcessingModel.MPv1 -> "v1";
            case MessageProcessingModel.MPv2c -> "v2c";
            default -> "v3";
        };
        boolean v3 = "v3".equals(version);
        byte[] securityName = e.getSecurityName() == null ? new byte[0] : e.getSecurityName();
        if (!v3 && !credentials.acceptsCommunity(securityName)
                && !(reloadCredentials.getAsBoolean() && credentials.acceptsCommunity(securityName))) {
            drop(DropReason.UNKNOWN_COMMUNITY, peer, "community not accepted (not the community of a stored credential)");
            return;
        }
        String user = new String(securityName, StandardCharsets.UTF_8);
        if (v3) {
            int required = credentials.requiredSecurityLevel(user);
            if (required == 0) {
                drop(DropReason.UNKNOWN_USER, peer, "USM user " + printable(user) + " is not a stored credential");
                return;
            }
            if (e.getSecurityLevel() < required) {
                drop(DropReason.INSUFFICIENT_SECURITY_LEVEL, peer, "USM user " + printable(user) + " sent security level "
                        + e.getSecurityLevel() + ", its credential has " + required + " (1 noAuthNoPriv, 2 authNoPriv, 3 authPriv)");
                return;
            }
        }
        Notification n;
        try {
            n = Notifications.of(e.getPDU(), version);
        } catch (Notifications.NotANotification nan) {
            drop(nan.reason, peer, nan.getMessage());
            return;
        }
        InetSocketAddress source = socketAddress(peer);
        boolean inform = n.inform();
        if (inform && informs.seen(source, securityName, e.getPDU().getRequestID().getValue())) {
            metrics.dropped(DropReason.DUPLICATE_INFORM);
            respond(e);
            return;
        }
        String name = TrapClassifier.name(n);
        DomainEvent event = event(n, name, source, v3 ? user : null, v3 ? null : new String(securityName, StandardCharsets.UTF_8));
        if (!queue.offer(event)) {
            if (inform) {
                informs.forget(source, securityName, e.getPDU().getRequestID().getValue());
            }
            drop(DropReason.QUEUE_FULL, peer, "the event queue is full (the event bus has not taken events for a while)"
                    + (inform ? "; inform not answered, so the sender repeats it" : ""));
            return;
        }
        if (inform) {
            respond(e);
        }
        history.add(event);
        metrics.received(name);
    }

    private DomainEvent event(Notification n, String name, InetSocketAddress source, String usmUser, String community) {
        InetAddress attributed = attributedAddress(n, source.getAddress());
        Device device = devices.find(attributed, usmUser != null ? usmUser : community, usmUser != null);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put(TrapEvents.TRAP, name);
        payload.put(TrapEvents.TRAP_OID, VarbindText.dotted(n.trapOid()));
        payload.put(TrapEvents.DEVICE_ID, device == null ? null : device.id());
        payload.put(TrapEvents.DEVICE, device == null ? null : device.name());
        payload.put(TrapEvents.SITE, device == null ? null : device.site());
        payload.put(TrapEvents.SOURCE, hostPort(source));
        payload.put(TrapEvents.AGENT_ADDRESS, attributed.getHostAddress());
        payload.put(TrapEvents.VERSION, n.version());
        payload.put(TrapEvents.INFORM, n.inform());
        Integer ifIndex = TrapClassifier.ifIndex(n, name);
        if (ifIndex != null) {
            payload.put(TrapEvents.IF_INDEX, ifIndex);
        }
        List<Map<String, Object>> varbinds = new ArrayList<>(n.varbinds().size());
        for (VariableBinding vb : n.varbinds()) {
            varbinds.add(VarbindText.of(vb));
        }
        payload.put(TrapEvents.VARBINDS, varbinds);
        if (n.uptime() != null) {
            payload.put(TrapEvents.UPTIME, n.uptime());
        }
        return new DomainEvent(UUID.randomUUID(), TrapEvents.TYPE, Instant.now(), null, payload);
    }

    /**
     * RFC 3584 section 3: {@code snmpTrapAddress.0} is the address of the agent a proxy forwards for.
     * Believed only from a trusted relay, since any sender can put any address in it.
     */
    InetAddress attributedAddress(Notification n, InetAddress sender) {
        if (!settings.trustedRelays().contains(sender)) {
            return sender;
        }
        if (n.v1AgentAddress() != null) {
            return n.v1AgentAddress().isAnyLocalAddress() ? sender : n.v1AgentAddress();
        }
        Variable v = n.value(Notifications.SNMP_TRAP_ADDRESS_0);
        if (v != null && v.getSyntax() == SMIConstants.SYNTAX_IPADDRESS) {
            InetAddress a = ((IpAddress) v).getInetAddress();
            if (a != null && !a.isAnyLocalAddress()) {
                return a;
            }
        }
        return sender;
    }

    private void respond(CommandResponderEvent<?> e) {
        PDU response = (PDU) e.getPDU().clone();
        response.setType(PDU.RESPONSE);
        response.setErrorStatus(PDU.noError);
        response.setErrorIndex(0);
        try {
            dispatcher.returnResponsePdu(e.getMessageProcessingModel(), e.getSecurityModel(), e.getSecurityName(),
                    e.getSecurityLevel(), response, e.getMaxSizeResponsePDU(), e.getStateReference(), new StatusInformation());
        } catch (MessageException ex) {
            refusedLog.warn("Trap receiver: could not answer an inform from " + e.getPeerAddress() + ": " + ex.getMessage());
        }
    }

    private void drop(DropReason reason, Address peer, String detail) {
        metrics.dropped(reason);
        String line = "Trap receiver: dropped a message from " + peer + " (" + reason.label() + "): " + detail;
        LOG.debug(line);
        switch (reason) {
            case MALFORMED, BAD_VERSION, NOT_A_NOTIFICATION, SNMPV3_ERROR -> badInputLog.warn(line);
            case QUEUE_FULL -> queueLog.warn(line);
            default -> refusedLog.warn(line);
        }
    }

    /** Counters of the message dispatcher: messages that are not SNMP at all or of an unknown version. */
    private void dispatcherCounter(CounterEvent e) {
        if (SnmpConstants.snmpInASNParseErrs.equals(e.getOid()) || SnmpConstants.snmpInvalidMsgs.equals(e.getOid())) {
            String why = decodeFailure.get();
            decodeFailure.remove();
            drop(DropReason.MALFORMED, dispatcher.current.get(), why == null ? "not an SNMP message (BER)" : why);
        } else if (SnmpConstants.snmpInBadVersions.equals(e.getOid())) {
            drop(DropReason.BAD_VERSION, dispatcher.current.get(), "an SNMP version other than 1, 2c and 3");
        }
    }

    private static InetSocketAddress socketAddress(Address a) {
        if (a instanceof UdpAddress u) {
            return new InetSocketAddress(u.getInetAddress(), u.getPort());
        }
        throw new IllegalArgumentException("not a UDP address: " + a);
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** A user name for a log line: printable, at most 32 characters (RFC 3414 allows 32). */
    private static String printable(String s) {
        String t = VarbindText.octets(s.getBytes(StandardCharsets.UTF_8));
        return "'" + (t.length() > 40 ? t.substring(0, 40) + "…" : t) + "'";
    }

    // --- SNMP4J extensions --------------------------------------------------------------------

    /**
     * The message dispatcher, made robust: the sender of the message in hand is kept for the counter
     * events SNMP4J fires while decoding, the text of a decoding error is kept for the log line, a
     * runtime exception from decoding is a malformed message (SNMP4J would only log it), and nothing
     * escapes to the receiving thread, which would end it.
     */
    private final class GuardedDispatcher extends MessageDispatcherImpl {
        final ThreadLocal<Address> current = new ThreadLocal<>();

        @Override
        public <A extends Address> void processMessage(TransportMapping<? super A> sourceTransport, A incomingAddress,
                                                       BERInputStream wholeMessage, TransportStateReference tmStateReference) {
            current.set(incomingAddress);
            try {
                super.processMessage(sourceTransport, incomingAddress, wholeMessage, tmStateReference);
            } catch (RuntimeException | StackOverflowError e) {
                drop(DropReason.MALFORMED, incomingAddress, "cannot be decoded: " + e);
            } finally {
                current.remove();
                decodeFailure.remove();
            }
        }

        @Override
        protected <A extends Address> void dispatchMessage(TransportMapping<? super A> sourceTransport,
                                                           MessageProcessingModel mp, A incomingAddress,
                                                           BERInputStream wholeMessage,
                                                           TransportStateReference tmStateReference) throws IOException {
            try {
                super.dispatchMessage(sourceTransport, mp, incomingAddress, wholeMessage, tmStateReference);
            } catch (IOException e) {
                decodeFailure.set("cannot be decoded: " + e.getMessage());
                throw e;
            } catch (RuntimeException e) {
                decodeFailure.set("cannot be decoded: " + e);
                throw new IOException(e.toString(), e);
            }
        }
    }

    /**
     * MPv3 whose failures are counted by reason: SNMP4J reports them as status codes of
     * {@code prepareDataElements} (and sends the RFC 3414 reports itself for reportable messages).
     * The two steps of an inform sender's engine discovery (RFC 3414 section 4) are not failures and
     * not counted: the probe with an empty engine ID (unknown engine ID), and the authenticated
     * message with engine boots and time 0 (not in time window).
     */
    private final class CheckedMPv3 extends MPv3 {
        CheckedMPv3(byte[] engineId, SecurityProtocols protocols, SecurityModels models) {
            super(engineId, null, protocols, models, new CounterSupport());
        }

        @Override
        public <A extends Address> int prepareDataElements(MessageDispatcher messageDispatcher, A transportAddress,
                                                           BERInputStream wholeMsg, TransportStateReference tmStateReference,
                                                           Integer32 messageProcessingModel, Integer32 securityModel,
                                                           OctetString securityName, Integer32 securityLevel,
                                                           MutablePDU pdu, PduHandle sendPduHandle,
                                                           Integer32 maxSizeResponseScopedPDU,
                                                           StatusInformation statusInformation,
                                                           MutableStateReference<A> mutableStateReference) {
            int status = super.prepareDataElements(messageDispatcher, transportAddress, wholeMsg, tmStateReference,
                    messageProcessingModel, securityModel, securityName, securityLevel, pdu, sendPduHandle,
                    maxSizeResponseScopedPDU, statusInformation, mutableStateReference);
            boolean discovery = Boolean.TRUE.equals(timeSynchronisation.get());
            boolean authenticDecrypted = Boolean.TRUE.equals(decrypted.get());
            timeSynchronisation.remove();
            decrypted.remove();
            if (status != SnmpConstants.SNMP_MP_OK && !discovery) {
                // an authentic message whose decrypted scoped PDU is not BER: the privacy key or protocol is wrong
                DropReason reason = status == SnmpConstants.SNMP_MP_PARSE_ERROR && authenticDecrypted
                        ? DropReason.DECRYPTION_ERROR : v3Reason(status);
                if (reason != null) {
                    String user = securityName.length() == 0 ? "" : " (USM user " + printable(securityName.toString()) + ")";
                    drop(reason, transportAddress, "SNMPv3 status " + status + user);
                }
            }
            return status;
        }
    }

    /** @return the drop reason of an SNMP4J MPv3/USM status; null for engine discovery */
    static DropReason v3Reason(int status) {
        return switch (status) {
            case SnmpConstants.SNMPv3_USM_UNKNOWN_ENGINEID, SnmpConstants.SNMP_MP_REPORT_SENT -> null;
            case SnmpConstants.SNMPv3_USM_UNKNOWN_SECURITY_NAME, SnmpConstants.SNMP_MP_WRONG_USER_NAME -> DropReason.UNKNOWN_USER;
            case SnmpConstants.SNMPv3_USM_AUTHENTICATION_FAILURE, SnmpConstants.SNMPv3_USM_AUTHENTICATION_ERROR ->
                    DropReason.WRONG_DIGEST;
            case SnmpConstants.SNMPv3_USM_DECRYPTION_ERROR -> DropReason.DECRYPTION_ERROR;
            case SnmpConstants.SNMPv3_USM_NOT_IN_TIME_WINDOW, SnmpConstants.SNMP_MP_NOT_IN_TIME_WINDOW ->
                    DropReason.NOT_IN_TIME_WINDOW;
            case SnmpConstants.SNMPv3_USM_UNSUPPORTED_SECURITY_LEVEL, SnmpConstants.SNMPv3_USM_UNSUPPORTED_AUTHPROTOCOL,
                 SnmpConstants.SNMPv3_USM_UNSUPPORTED_PRIVPROTOCOL -> DropReason.UNSUPPORTED_SECURITY_LEVEL;
            case SnmpConstants.SNMP_MP_PARSE_ERROR, SnmpConstants.SNMPv3_USM_PARSE_ERROR, SnmpConstants.SNMP_MP_INVALID_MESSAGE ->
                    DropReason.MALFORMED;
            default -> DropReason.SNMPV3_ERROR;
        };
    }

    /**
     * The receiver's USM: a message from a user it does not know makes it read the stored credentials
     * again (once, rate-limited by the owner) and look again, so a credential added through the API
     * works for the very next trap.
     */
    private final class ReloadingUsm extends USM {
        ReloadingUsm(SecurityProtocols protocols, OctetString engineId) {
            super(protocols, engineId, 1, new CounterSupport());
        }

        /**
         * Notes a message with engine boots and time 0 that is not in the time window: the second step
         * of an inform sender's discovery (RFC 3414 section 4), answered with a report, not a failure.
         */
        @Override
        public int processIncomingMsg(int snmpVersion, int maxMessageSize, SecurityParameters securityParameters,
                                      SecurityModel securityModel, int securityLevel, BERInputStream wholeMsg,
                                      TransportStateReference tmStateReference, OctetString securityEngineID,
                                      OctetString securityName, BEROutputStream scopedPDU,
                                      Integer32 maxSizeResponseScopedPDU, SecurityStateReference securityStateReference,
                                      StatusInformation statusInfo) throws IOException {
            int status = super.processIncomingMsg(snmpVersion, maxMessageSize, securityParameters, securityModel,
                    securityLevel, wholeMsg, tmStateReference, securityEngineID, securityName, scopedPDU,
                    maxSizeResponseScopedPDU, securityStateReference, statusInfo);
            if (status == SnmpConstants.SNMPv3_USM_NOT_IN_TIME_WINDOW
                    && securityParameters instanceof UsmSecurityParameters p
                    && p.getAuthoritativeEngineBoots() == 0 && p.getAuthoritativeEngineTime() == 0) {
                timeSynchronisation.set(Boolean.TRUE);
            } else if (status == SnmpConstants.SNMPv3_USM_OK && securityLevel == SecurityLevel.AUTH_PRIV) {
                decrypted.set(Boolean.TRUE);
            }
            return status;
        }

        @Override
        public UsmUserEntry getUser(OctetString engineID, OctetString securityName,
                                    UsmUser.LocalizationGrant requiredLocalizationGrant, boolean readonly) {
            UsmUserEntry entry = super.getUser(engineID, securityName, requiredLocalizationGrant, readonly);
            if (entry == null && securityName.length() > 0 && reloadCredentials.getAsBoolean()) {
                entry = super.getUser(engineID, securityName, requiredLocalizationGrant, readonly);
            }
            return entry;
        }
    }
}

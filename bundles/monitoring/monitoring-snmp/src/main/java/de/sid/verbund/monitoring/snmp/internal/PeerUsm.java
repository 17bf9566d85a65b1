package de.sid.verbund.monitoring.snmp.internal;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.snmp4j.MessageDispatcherImpl;
import org.snmp4j.TransportMapping;
import org.snmp4j.TransportStateReference;
import org.snmp4j.asn1.BERInputStream;
import org.snmp4j.asn1.BEROutputStream;
import org.snmp4j.mp.CounterSupport;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.SecurityParameters;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.SecurityStateReference;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmTimeEntry;
import org.snmp4j.security.UsmTimeTable;
import org.snmp4j.security.UsmUserTable;
import org.snmp4j.smi.Address;
import org.snmp4j.smi.Integer32;
import org.snmp4j.smi.OctetString;
import org.snmp4j.mp.StatusInformation;

/**
 * SNMP4J's User-based Security Model with the engine time state kept per agent address.
 *
 * <p>RFC 3414 section 2.3 has a non-authoritative engine (the poller) keep snmpEngineBoots,
 * snmpEngineTime and latestReceivedEngineTime for each authoritative engine ID it talks to, and
 * SNMP4J 3.13.1 keys its {@link UsmTimeTable} by engine ID alone. Two agents that share an
 * engine ID (cloned virtual machines, devices with a configured engineID copied from a template)
 * then share one entry: answers of the one that booted less often or later fall outside the time
 * window and are dropped. Here each agent address gets its own {@link UsmTimeTable} (keyed by
 * engine ID inside, so one address that changes its engine ID is handled as SNMP4J does), and
 * such agents are polled side by side.
 *
 * <p>How: SNMP4J hands the peer's address to this security model with every outgoing request and
 * every incoming message ({@link TransportStateReference}; for incoming messages only once
 * {@link Dispatcher} has put the sender's address there); it is kept in a thread-local while
 * {@link USM} runs, and {@link PeerTimeTable} picks the table for it. Tables are made for
 * addresses a request is sent to; messages from other addresses use the shared table (so
 * spoofed packets cannot make the map grow).
 */
final class PeerUsm extends USM {
    private final PeerTimeTable times;

    private PeerUsm(SecurityProtocols protocols, OctetString localEngineId, CounterSupport counters, PeerTimeTable times) {
        super(protocols, localEngineId, 0, counters, new UsmUserTable(), times);
        this.times = times;
    }

    /**
     * @param perAgent true: engine time per agent address (what the client uses); false: SNMP4J's
     *        own table per engine ID (for the test that shows why)
     */
    static PeerUsm create(SecurityProtocols protocols, OctetString localEngineId, CounterSupport counters, boolean perAgent) {
        return new PeerUsm(protocols, localEngineId, counters, new PeerTimeTable(localEngineId, perAgent));
    }

    /** @return the number of agent addresses with their own engine time table */
    int agents() {
        return times.tables.size();
    }

    @Override
    public int generateRequestMessage(int snmpVersion, byte[] globalData, int maxMessageSize, int securityModel,
                                      byte[] securityEngineID, byte[] securityName, int securityLevel,
                                      BERInputStream scopedPDU, SecurityParameters securityParameters,
                                      BEROutputStream wholeMsg, TransportStateReference tmStateReference,
                                      SecurityStateReference securityStateReference) throws IOException {
        Address previous = times.enter(tmStateReference, true);
        try {
            return super.generateRequestMessage(snmpVersion, globalData, maxMessageSize, securityModel, securityEngineID,
                    securityName, securityLevel, scopedPDU, securityParameters, wholeMsg, tmStateReference,
                    securityStateReference);
        } finally {
            times.leave(previous);
        }
    }

    @Override
    public int processIncomingMsg(int snmpVersion, int maxMessageSize, SecurityParameters securityParameters,
                                  SecurityModel securityModel, int securityLevel, BERInputStream wholeMsg,
                                  TransportStateReference tmStateReference, OctetString securityEngineID,
                                  OctetString securityName, BEROutputStream scopedPDU, Integer32 maxSizeResponseScopedPDU,
                                  SecurityStateReference securityStateReference, StatusInformation statusInfo)
            throws IOException {
        Address previous = times.enter(tmStateReference, false);
        try {
            return super.processIncomingMsg(snmpVersion, maxMessageSize, securityParameters, securityModel, securityLevel,
                    wholeMsg, tmStateReference, securityEngineID, securityName, scopedPDU, maxSizeResponseScopedPDU,
                    securityStateReference, statusInfo);
        } finally {
            times.leave(previous);
        }
    }

    /**
     * SNMP4J's message dispatcher, but the transport state of an incoming message names its
     * sender: SNMP4J 3.13.1's UDP transport puts its own listening address there.
     */
    static final class Dispatcher extends MessageDispatcherImpl {
        @Override
        public <A extends Address> void processMessage(TransportMapping<? super A> sourceTransport, A incomingAddress,
                                                       BERInputStream wholeMessage, TransportStateReference tm) {
            TransportStateReference fromSender = tm == null || incomingAddress == null ? tm
                    : new TransportStateReference(tm.getTransport(), incomingAddress, tm.getSecurityName(),
                            tm.getRequestedSecurityLevel(), tm.getTransportSecurityLevel(), tm.isSameSecurity(),
                            tm.getSessionID(), tm.getTarget());
            super.processMessage(sourceTransport, incomingAddress, wholeMessage, fromSender);
        }
    }

    /**
     * A {@link UsmTimeTable} that hands every call about remote engines to the table of the
     * agent address USM is working for on this thread. The local engine's time (ours) stays in
     * this table; the poller is never authoritative.
     */
    static final class PeerTimeTable extends UsmTimeTable {
        private static final long serialVersionUID = 1L;
        private final transient ThreadLocal<Address> peer = new ThreadLocal<>();
        private final transient Map<Address, UsmTimeTable> tables = new ConcurrentHashMap<>();
        private final OctetString localEngineId;
        private final boolean perAgent;

        PeerTimeTable(OctetString localEngineId, boolean perAgent) {
            super(localEngineId, 0);
            this.localEngineId = localEngineId;
            this.perAgent = perAgent;
        }

        /** @return the address set before, to hand back to {@link #leave(Address)} */
        Address enter(TransportStateReference tm, boolean outgoing) {
            Address before = peer.get();
            Address address = tm == null ? null : tm.getAddress();
            if (perAgent && address != null) {
                if (outgoing) {
                    tables.computeIfAbsent(address, a -> new UsmTimeTable(localEngineId, 0));
                }
                peer.set(address);
            }
            return before;
        }

        void leave(Address before) {
            if (before == null) {
                peer.remove();
            } else {
                peer.set(before);
            }
        }

        /** @return the table of the current agent, or null for this (shared) one */
        private UsmTimeTable current() {
            Address a = peer.get();
            return a == null ? null : tables.get(a);
        }

        @Override
        public void addEntry(UsmTimeEntry entry) {
            UsmTimeTable t = current();
            if (t == null) {
                super.addEntry(entry);
            } else {
                t.addEntry(entry);
            }
        }

        @Override
        public UsmTimeEntry getEntry(OctetString engineID) {
            UsmTimeTable t = current();
            return t == null ? super.getEntry(engineID) : t.getEntry(engineID);
        }

        @Override
        public UsmTimeEntry getTime(OctetString engineID) {
            UsmTimeTable t = current();
            return t == null ? super.getTime(engineID) : t.getTime(engineID);
        }

        @Override
        public void removeEntry(OctetString engineID) {
            UsmTimeTable t = current();
            if (t == null) {
                super.removeEntry(engineID);
            } else {
                t.removeEntry(engineID);
            }
        }

        @Override
        public int checkEngineID(OctetString engineID, boolean discoveryAllowed, int engineBoots, int engineTime) {
            UsmTimeTable t = current();
            return t == null ? super.checkEngineID(engineID, discoveryAllowed, engineBoots, engineTime)
                    : t.checkEngineID(engineID, discoveryAllowed, engineBoots, engineTime);
        }

        @Override
        public int checkTime(UsmTimeEntry entry) {
            UsmTimeTable t = current();
            return t == null ? super.checkTime(entry) : t.checkTime(entry);
        }
    }
}

package de.sid.verbund.messaging.artemis.internal;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.EventHandler;
import de.sid.verbund.messaging.MessagingException;
import de.sid.verbund.messaging.Subscription;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.reader.TextMessageUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventBus} over one Artemis connection (core client API): topics are MULTICAST
 * addresses with one durable queue per subscription name, queues are ANYCAST addresses with a
 * queue of the same name. Producing goes through one non-transacted session (durable sends
 * block until the broker has persisted them); every consumer has its own transacted session and
 * thread.
 */
final class ArtemisEventBus implements EventBus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ArtemisEventBus.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");
    static final String PROP_EVENT_TYPE = "verbundEventType";
    static final String PROP_TENANT = "verbundTenantId";
    static final String PROP_DEAD_LETTER_REASON = "verbundDeadLetterReason";

    private final ServerLocator locator;
    private final String user;
    private final String password;
    private final int maxDeliveries;
    private final EventCodec codec = new EventCodec();
    private final Object producerLock = new Object();
    private final Set<String> ensured = ConcurrentHashMap.newKeySet();
    private final Set<QueueConsumer> consumers = ConcurrentHashMap.newKeySet();
    private final ExecutorService consumerThreads;
    private volatile boolean closed;

    private ClientSessionFactory factory;
    private ClientSession producerSession;
    private ClientProducer producer;
    /**
     * Extra sending sessions: a durable send blocks until the broker has stored the message, so
     * with one session all publishers queue behind each other's journal syncs; with several the
     * broker syncs their messages together. A thread always uses the same session, so one
     * thread's messages keep their order.
     */
    private static final int SENDERS = 4;
    private final ClientSession[] senderSessions = new ClientSession[SENDERS];
    private final ClientProducer[] senders = new ClientProducer[SENDERS];
    private final Object[] senderLocks = {new Object(), new Object(), new Object(), new Object()};
    /** A transacted session for {@link #publish(String, List)}: one commit (one journal sync) per batch. */
    private ClientSession batchSession;
    private ClientProducer batchProducer;
    private final Object batchLock = new Object();

    ArtemisEventBus(ServerLocator locator, String user, String password, int maxDeliveries) {
        this.locator = locator;
        this.user = user == null || user.isEmpty() ? null : user;
        this.password = this.user == null ? null : password;
        this.maxDeliveries = maxDeliveries;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "verbund-bus-consumer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.consumerThreads = Executors.newCachedThreadPool(tf);
    }

    /** Connects (blocks until the broker answers: call it from a background thread). */
    void connect() throws Exception {
        EmbeddedBroker.withArtemisClassLoader(() -> {
            factory = locator.createSessionFactory();
            producerSession = factory.createSession(user, password, false, true, true, false, 0);
            producer = producerSession.createProducer();
            for (int i = 0; i < SENDERS; i++) {
                senderSessions[i] = factory.createSession(user, password, false, true, true, false, 0);
                senders[i] = senderSessions[i].createProducer();
            }
            batchSession = factory.createSession(user, password, false, false, true, false, 0);
            batchProducer = batchSession.createProducer();
            ensureQueue(EventBus.DEAD_LETTER_QUEUE, EventBus.DEAD_LETTER_QUEUE, RoutingType.ANYCAST);
            return null;
        });
    }

    @Override
    public void publish(String topic, DomainEvent event) {
        produce(topic, RoutingType.MULTICAST, event);
    }

    @Override
    public void send(String queue, DomainEvent event) {
        produce(queue, RoutingType.ANYCAST, event);
    }

    @Override
    public void publishLive(String topic, DomainEvent event) {
        checkName(topic, "topic");
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        String json = codec.encode(event);
        ensure(topic, RoutingType.MULTICAST, event);
        int slot = (int) Math.floorMod(Thread.currentThread().getId(), (long) SENDERS);
        synchronized (senderLocks[slot]) {
            checkOpen();
            try {
                ClientMessage m = senderSessions[slot].createMessage(Message.TEXT_TYPE, false);
                TextMessageUtil.writeBodyText(m.getBodyBuffer(), SimpleString.of(json));
                m.putStringProperty(PROP_EVENT_TYPE, event.type());
                m.setRoutingType(RoutingType.MULTICAST);
                senders[slot].send(SimpleString.of(topic), m);
            } catch (ActiveMQException e) {
                throw new MessagingException("broker did not accept live event " + event.eventId() + " ("
                        + event.type() + ") for topic " + topic + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public void publish(String topic, List<DomainEvent> events) {
        checkName(topic, "topic");
        if (events == null || events.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("events must not be null");
        }
        if (events.isEmpty()) {
            return;
        }
        List<String> bodies = new ArrayList<>(events.size());
        for (DomainEvent e : events) {
            bodies.add(codec.encode(e));
        }
        ensure(topic, RoutingType.MULTICAST, events.get(0));
        synchronized (batchLock) {
            checkOpen();
            try {
                for (int i = 0; i < events.size(); i++) {
                    batchProducer.send(SimpleString.of(topic), message(batchSession, events.get(i), bodies.get(i),
                            RoutingType.MULTICAST));
                }
                batchSession.commit();
            } catch (ActiveMQException e) {
                try {
                    batchSession.rollback();
                } catch (ActiveMQException rollback) {
                    e.addSuppressed(rollback);
                }
                throw new MessagingException("broker did not accept " + events.size() + " events (first "
                        + events.get(0).eventId() + ") for topic " + topic + ": " + e.getMessage(), e);
            }
        }
    }

    private void produce(String address, RoutingType routing, DomainEvent event) {
        checkName(address, routing == RoutingType.MULTICAST ? "topic" : "queue");
        if (event == null) {
            throw new IllegalArgumentException("event must not be null");
        }
        String json = codec.encode(event);
        ensure(address, routing, event);
        int slot = (int) Math.floorMod(Thread.currentThread().getId(), (long) SENDERS);
        synchronized (senderLocks[slot]) {
            checkOpen();
            try {
                senders[slot].send(SimpleString.of(address), message(senderSessions[slot], event, json, routing));
            } catch (ActiveMQException e) {
                throw new MessagingException("broker did not accept event " + event.eventId() + " (" + event.type()
                        + ") for " + describe(address, routing) + ": " + e.getMessage(), e);
            }
        }
    }

    /** Creates the address (topic) or queue on first use. */
    private void ensure(String address, RoutingType routing, DomainEvent event) {
        synchronized (producerLock) {
            checkOpen();
            try {
                if (routing == RoutingType.MULTICAST) {
                    ensureAddress(address, RoutingType.MULTICAST);
                } else {
                    ensureQueue(address, address, RoutingType.ANYCAST);
                }
            } catch (ActiveMQException e) {
                throw new MessagingException("broker did not accept event " + event.eventId() + " (" + event.type()
                        + ") for " + describe(address, routing) + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * A durable text message of the event; its id is the broker's duplicate-detection id, its
     * tenant the message group (Artemis message grouping keeps a group's order across competing
     * consumers).
     */
    private static ClientMessage message(ClientSession session, DomainEvent event, String json, RoutingType routing) {
        ClientMessage m = session.createMessage(Message.TEXT_TYPE, true);
        TextMessageUtil.writeBodyText(m.getBodyBuffer(), SimpleString.of(json));
        m.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID, SimpleString.of(event.eventId().toString()));
        m.putStringProperty(PROP_EVENT_TYPE, event.type());
        if (event.tenantId() != null) {
            m.putStringProperty(PROP_TENANT, event.tenantId());
            // a message group per tenant: the consumers sharing a subscription or queue get one
            // tenant's events in publish order (one consumer at a time), so a VM's stop is never
            // applied before its start on another node
            m.putStringProperty(Message.HDR_GROUP_ID, SimpleString.of(event.tenantId()));
        }
        m.setRoutingType(routing);
        return m;
    }

    @Override
    public Subscription subscribe(String topic, String subscription, EventHandler handler) {
        checkName(topic, "topic");
        checkName(subscription, "subscription");
        return startConsumer(topic, subscription, RoutingType.MULTICAST, handler);
    }

    @Override
    public Subscription consume(String queue, EventHandler handler) {
        checkName(queue, "queue");
        return startConsumer(queue, queue, RoutingType.ANYCAST, handler);
    }

    /** Most unhandled events a live subscription keeps; beyond, the broker drops the oldest (a ring queue). */
    static final long LIVE_RING_SIZE = 10_000;

    /**
     * A temporary, non-durable ring queue on the topic, named {@code <topic>.live.<uuid>}, made by
     * the consumer's own session and made again when the consumer re-attaches; deleted when the
     * subscription is closed ({@link #removed}), and by the broker when this node's connection is
     * lost (a node that died: after the connection TTL).
     */
    @Override
    public Subscription subscribeLive(String topic, EventHandler handler) {
        checkName(topic, "topic");
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        String queue = topic + ".live." + java.util.UUID.randomUUID();
        synchronized (producerLock) {
            checkOpen();
            try {
                ensureAddress(topic, RoutingType.MULTICAST);
            } catch (ActiveMQException e) {
                throw new MessagingException("cannot create topic " + topic + ": " + e.getMessage(), e);
            }
        }
        QueueConfiguration live = QueueConfiguration.of(queue).setAddress(topic).setRoutingType(RoutingType.MULTICAST)
                .setDurable(false).setTemporary(true).setRingSize(LIVE_RING_SIZE);
        return start(new QueueConsumer(this, queue, live, handler, codec, maxDeliveries), queue, RoutingType.MULTICAST);
    }

    private Subscription startConsumer(String address, String queue, RoutingType routing, EventHandler handler) {
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        synchronized (producerLock) {
            checkOpen();
            try {
                if (routing == RoutingType.MULTICAST) {
                    ensureAddress(address, RoutingType.MULTICAST);
                }
                ensureQueue(queue, address, routing);
            } catch (ActiveMQException e) {
                throw new MessagingException("cannot create " + describe(queue, routing) + " on " + address + ": "
                        + e.getMessage(), e);
            }
        }
        return start(new QueueConsumer(this, queue, null, handler, codec, maxDeliveries), queue, routing);
    }

    private Subscription start(QueueConsumer c, String queue, RoutingType routing) {
        try {
            c.open();
        } catch (ActiveMQException e) {
            throw new MessagingException("cannot start a consumer on " + describe(queue, routing) + ": "
                    + e.getMessage(), e);
        }
        consumers.add(c);
        consumerThreads.execute(c);
        return c;
    }

    /** A new transacted session for one consumer (acks are committed one message at a time). */
    ClientSession createConsumerSession() throws ActiveMQException {
        checkOpen();
        return factory.createSession(user, password, false, false, false, false, 0);
    }

    /**
     * A consumer stopped. A live subscription's queue is deleted here: the broker ties a temporary
     * queue to the connection, which the node's other consumers share, so it would only go with the
     * node. Deleting it while its messages are unhandled is intended (nobody will read them).
     */
    void removed(QueueConsumer c) {
        consumers.remove(c);
        if (c.isLive() && !closed) {
            synchronized (producerLock) {
                try {
                    EmbeddedBroker.withArtemisClassLoader(() -> {
                        if (producerSession.queueQuery(SimpleString.of(c.queue())).isExists()) {
                            producerSession.deleteQueue(c.queue());
                        }
                        return null;
                    });
                } catch (Exception e) {
                    // the broker deletes it when this node's connection goes
                    LOG.debug("live subscription {} not deleted: {}", c.queue(), e.toString());
                }
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    private void ensureAddress(String address, RoutingType routing) throws ActiveMQException {
        if (ensured.contains("address:" + address)) {
            return;
        }
        ClientSession.AddressQuery q = producerSession.addressQuery(SimpleString.of(address));
        if (!q.isExists()) {
            try {
                producerSession.createAddress(SimpleString.of(address), EnumSet.of(routing), false);
            } catch (ActiveMQException e) {
                if (!producerSession.addressQuery(SimpleString.of(address)).isExists()) {
                    throw e;
                }
            }
        }
        ensured.add("address:" + address);
    }

    /** Creates a durable queue unless it exists; a queue of that name elsewhere is an error. */
    private void ensureQueue(String queue, String address, RoutingType routing) throws ActiveMQException {
        String key = "queue:" + queue + "@" + address + "/" + routing;
        if (ensured.contains(key)) {
            return;
        }
        ClientSession.QueueQuery q = producerSession.queueQuery(SimpleString.of(queue));
        if (!q.isExists()) {
            try {
                producerSession.createQueue(QueueConfiguration.of(queue)
                        .setAddress(address)
                        .setRoutingType(routing)
                        .setDurable(true)
                        .setAutoCreateAddress(true));
                ensured.add(key);
                return;
            } catch (ActiveMQQueueExistsException raced) {
                q = producerSession.queueQuery(SimpleString.of(queue));
            }
        }
        if (!address.equals(String.valueOf(q.getAddress())) || q.getRoutingType() != routing) {
            throw new MessagingException("queue '" + queue + "' already exists on address '" + q.getAddress()
                    + "' (" + q.getRoutingType() + "), wanted on '" + address + "' (" + routing
                    + "): subscription and queue names must be unique across topics and queues", null);
        }
        ensured.add(key);
    }

    private void checkOpen() {
        if (closed) {
            throw new MessagingException("the event bus is stopped", null);
        }
    }

    private static void checkName(String name, String what) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " name must be dotted words of letters, digits, '-' "
                    + "and '_' (no wildcards), e.g. compute.events: " + name);
        }
    }

    private static String describe(String name, RoutingType routing) {
        return (routing == RoutingType.MULTICAST ? "topic " : "queue ") + name;
    }

    /** @return true when the connection to the broker is up */
    boolean isConnected() {
        ClientSessionFactory f = factory;
        return !closed && f != null && !f.isClosed() && f.getConnection() != null
                && producerSession != null && !producerSession.isClosed();
    }

    Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("connected", isConnected());
        d.put("consumers", consumers.size());
        return d;
    }

    /** Stops the consumers (each finishes its message), then the sessions and the locator. */
    @Override
    public void close() {
        closed = true;
        for (QueueConsumer c : consumers.toArray(new QueueConsumer[0])) {
            c.close();
        }
        consumerThreads.shutdown();
        try {
            if (!consumerThreads.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("event bus consumer threads did not stop within 30 s; interrupting them");
                consumerThreads.shutdownNow();
            }
        } catch (InterruptedException e) {
            consumerThreads.shutdownNow();
            Thread.currentThread().interrupt();
        }
        synchronized (producerLock) {
            try {
                EmbeddedBroker.withArtemisClassLoader(() -> {
                    for (int i = 0; i < SENDERS; i++) {
                        synchronized (senderLocks[i]) {
                            if (senderSessions[i] != null) {
                                senderSessions[i].close();
                            }
                        }
                    }
                    synchronized (batchLock) {
                        if (batchSession != null) {
                            batchSession.close();
                        }
                    }
                    if (producerSession != null) {
                        producerSession.close();
                    }
                    if (factory != null) {
                        factory.close();
                    }
                    locator.close();
                    return null;
                });
            } catch (Exception e) {
                LOG.warn("closing the broker connection: {}", e.toString());
            }
        }
    }
}

package de.sid.verbund.messaging.artemis.internal;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.EventHandler;
import de.sid.verbund.messaging.Subscription;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.reader.TextMessageUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer of one queue on its own thread and transacted session. Per message: decode,
 * call the handler, then acknowledge and commit (the commit is a blocking round trip, so the
 * ack is on the broker before the next message is asked for). A handler that throws rolls the
 * session back: the broker redelivers after the redelivery delay and, after max.deliveries,
 * moves the message to the dead-letter address. A body that is not an event is copied to
 * {@value EventBus#DEAD_LETTER_QUEUE} and acknowledged in the same transaction.
 */
final class QueueConsumer implements Subscription, Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(QueueConsumer.class);
    private static final long RECEIVE_TIMEOUT_MS = 200;
    private static final long CLOSE_TIMEOUT_S = 30;

    private final ArtemisEventBus bus;
    private final String queue;
    /** For a live subscription: its temporary queue, made by this consumer's session; else {@code null}. */
    private final QueueConfiguration liveQueue;
    private final EventHandler handler;
    private final EventCodec codec;
    private final int maxDeliveries;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch wakeUp = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Thread thread;

    private ClientSession session;
    private ClientConsumer consumer;
    private ClientProducer deadLetters;

    QueueConsumer(ArtemisEventBus bus, String queue, QueueConfiguration liveQueue, EventHandler handler, EventCodec codec,
                  int maxDeliveries) {
        this.bus = bus;
        this.queue = queue;
        this.liveQueue = liveQueue;
        this.handler = handler;
        this.codec = codec;
        this.maxDeliveries = maxDeliveries;
    }

    /** Attaches to the queue (called before the thread starts, so subscribe returns attached). */
    void open() throws ActiveMQException {
        try {
            EmbeddedBroker.withArtemisClassLoader(() -> {
                session = bus.createConsumerSession();
                if (liveQueue != null) {
                    try {
                        session.createQueue(liveQueue);
                    } catch (ActiveMQQueueExistsException still) {
                        // re-attached before the broker dropped it with the old session
                    }
                }
                consumer = session.createConsumer(queue);
                deadLetters = session.createProducer();
                session.start();
                return null;
            });
        } catch (ActiveMQException e) {
            closeSession();
            throw e;
        } catch (Exception e) {
            closeSession();
            throw new ActiveMQException(e.getMessage(), e, null);
        }
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        long backoffMs = 500;
        try {
            while (running) {
                try {
                    if (session == null || session.isClosed()) {
                        open();
                        backoffMs = 500;
                        LOG.info("consumer of {} re-attached", queue);
                    }
                    ClientMessage m = consumer.receive(RECEIVE_TIMEOUT_MS);
                    if (m != null) {
                        process(m);
                    }
                } catch (ActiveMQException | RuntimeException e) {
                    if (!running || bus.isClosed()) {
                        break;
                    }
                    LOG.warn("consumer of {}: {}; retrying in {} ms", queue, e.toString(), backoffMs);
                    rollbackQuietly();
                    if (session != null && session.isClosed()) {
                        closeSession();
                    }
                    // bounded wait that ends at once when the subscription is closed
                    if (wakeUp.await(backoffMs, TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    backoffMs = Math.min(backoffMs * 2, 30_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeSession();
            bus.removed(this);
            stopped.countDown();
        }
    }

    private void process(ClientMessage m) throws ActiveMQException {
        String text;
        DomainEvent event;
        try {
            text = bodyText(m);
            event = codec.decode(text);
        } catch (IOException | RuntimeException e) {
            String why = firstLine(e.getMessage());
            LOG.error("message {} on {} is not a Verbund event ({}); moved to {}", m.getMessageID(), queue, why,
                    EventBus.DEAD_LETTER_QUEUE);
            deadLetter(m, "not a valid event: " + why);
            return;
        }
        int delivery = m.getDeliveryCount();
        if (delivery > maxDeliveries) {
            // the broker did not dead-letter it (an external broker without our address settings)
            LOG.error("event {} ({}) on {} delivered {} times, more than max.deliveries={}; moved to {}",
                    event.eventId(), event.type(), queue, delivery, maxDeliveries, EventBus.DEAD_LETTER_QUEUE);
            deadLetter(m, "delivered " + delivery + " times");
            return;
        }
        m.acknowledge(); // transactional: takes effect only with the commit below
        try {
            handler.handle(event);
        } catch (Throwable e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (delivery >= maxDeliveries) {
                LOG.error("handler of {} failed on event {} ({}) at attempt {}/{}; it goes to {}", queue,
                        event.eventId(), event.type(), delivery, maxDeliveries, EventBus.DEAD_LETTER_QUEUE, e);
            } else {
                LOG.warn("handler of {} failed on event {} ({}) at attempt {}/{}, will be redelivered: {}", queue,
                        event.eventId(), event.type(), delivery, maxDeliveries, e.toString());
            }
            session.rollback();
            return;
        }
        session.commit();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no detail";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static String bodyText(ClientMessage m) {
        ActiveMQBuffer body = m.getBodyBuffer();
        if (m.getType() == Message.TEXT_TYPE) {
            SimpleString s = TextMessageUtil.readBodyText(body);
            return s == null ? null : s.toString();
        }
        byte[] raw = new byte[body.readableBytes()];
        body.readBytes(raw);
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** Copies the message to the dead-letter queue and acknowledges it, in one transaction. */
    private void deadLetter(ClientMessage m, String reason) throws ActiveMQException {
        ClientMessage copy = session.createMessage(m.getType(), true);
        for (SimpleString name : m.getPropertyNames()) {
            if (!Message.HDR_DUPLICATE_DETECTION_ID.equals(name)) {
                copy.putObjectProperty(name, m.getObjectProperty(name));
            }
        }
        copy.putStringProperty(Message.HDR_ORIGINAL_ADDRESS, m.getAddress());
        copy.putStringProperty(Message.HDR_ORIGINAL_QUEUE, SimpleString.of(queue));
        copy.putStringProperty(ArtemisEventBus.PROP_DEAD_LETTER_REASON, reason);
        ActiveMQBuffer body = m.getBodyBuffer();
        body.resetReaderIndex();
        copy.getBodyBuffer().writeBytes(body, body.readableBytes());
        copy.setRoutingType(RoutingType.ANYCAST);
        deadLetters.send(SimpleString.of(EventBus.DEAD_LETTER_QUEUE), copy);
        m.acknowledge();
        session.commit();
    }

    private void rollbackQuietly() {
        try {
            if (session != null && !session.isClosed()) {
                session.rollback();
            }
        } catch (ActiveMQException | RuntimeException e) {
            LOG.debug("rollback on {} failed", queue, e);
        }
    }

    private void closeSession() {
        ClientSession s = session;
        session = null;
        consumer = null;
        deadLetters = null;
        if (s != null) {
            try {
                s.close();
            } catch (ActiveMQException | RuntimeException e) {
                LOG.debug("closing the session of {} failed", queue, e);
            }
        }
    }

    /** Stops the consumer; a message being handled is finished (and acknowledged) first. */
    @Override
    public void close() {
        running = false;
        wakeUp.countDown();
        if (Thread.currentThread() == thread) {
            return; // called from our own handler: the loop ends after it returns
        }
        try {
            if (!stopped.await(CLOSE_TIMEOUT_S, TimeUnit.SECONDS)) {
                LOG.warn("consumer of {} did not stop within {} s (handler still running)", queue, CLOSE_TIMEOUT_S);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return the queue this consumer reads */
    String queue() {
        return queue;
    }

    /** @return true for a live subscription (a temporary queue of its own) */
    boolean isLive() {
        return liveQueue != null;
    }

    @Override
    public String toString() {
        return "consumer of " + queue;
    }
}

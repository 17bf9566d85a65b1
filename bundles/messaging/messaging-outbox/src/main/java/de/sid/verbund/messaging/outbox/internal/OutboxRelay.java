package de.sid.verbund.messaging.outbox.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.persistence.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Outbox} over table {@code messaging_outbox} and its relay thread. Plain Java (tests
 * construct it); {@link OutboxComponent} runs it in OSGi.
 *
 * <p>The relay takes up to {@value #BATCH} rows in {@code seq} order under the lock of the single
 * row of {@code messaging_outbox_relay} (one relay at a time, also across nodes sharing a
 * PostgreSQL database), publishes each run of rows of one topic in one broker transaction (rows
 * for a queue, written by {@link #send}, are sent one by one),
 * deletes exactly the rows it published and commits. When the broker refuses, nothing is
 * deleted and the relay retries with back-off (1 s doubling to 30 s). A batch the broker refuses
 * as a whole (e.g. it holds an event published before a crash, which duplicate detection
 * rejects) is published again one event at a time, where a duplicate is dropped silently.
 *
 * <p>Latency: {@link #add} wakes the relay; since the row becomes visible only when the caller
 * commits, the relay keeps looking every 2 ms for 100 ms after the last wake-up, and every
 * {@code pollMillis} otherwise.
 */
public final class OutboxRelay implements Outbox, AutoCloseable {
    /** Rows per relay transaction. */
    public static final int BATCH = 500;
    private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
    private static final String TOPIC_ROUTING = "topic";
    private static final String QUEUE_ROUTING = "queue";
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*");
    private static final long EAGER_NANOS = Duration.ofMillis(100).toNanos();
    private static final TypeReference<Map<String, Object>> PAYLOAD = new TypeReference<>() {
    };

    private final Database db;
    private final EventBus bus;
    private final long pollMillis;
    private final ObjectMapper json = JsonMapper.builder().build();
    private final Object signal = new Object();
    private final Thread thread;
    private volatile long lastAdd;
    private volatile boolean closed;
    private volatile String lastError;
    private volatile long published;

    /**
     * Applies the outbox schema (area {@code outbox}) and starts the relay thread.
     *
     * @param pollMillis how often the relay looks for rows when nothing woke it, ms
     * @throws de.sid.verbund.persistence.PersistenceException when the migration fails
     */
    public OutboxRelay(Database db, EventBus bus, long pollMillis) {
        db.migrate("outbox", OutboxRelay.class.getClassLoader());
        this.db = db;
        this.bus = bus;
        this.pollMillis = pollMillis;
        this.lastAdd = System.nanoTime() - EAGER_NANOS;
        this.thread = new Thread(this::run, "verbund-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void add(Connection connection, String topic, DomainEvent event) throws SQLException {
        insert(connection, TOPIC_ROUTING, topic, event);
    }

    @Override
    public void send(Connection connection, String queue, DomainEvent event) throws SQLException {
        insert(connection, QUEUE_ROUTING, queue, event);
    }

    private void insert(Connection connection, String routing, String topic, DomainEvent event) throws SQLException {
        if (topic == null || !TOPIC.matcher(topic).matches()) {
            throw new IllegalArgumentException(routing + " name must be dotted words of letters, digits, '-' and '_': " + topic);
        }
        String payload;
        try {
            payload = json.writeValueAsString(event.payload());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.eventId() + " (" + event.type()
                    + ") has a payload that is not JSON-compatible: " + e.getOriginalMessage(), e);
        }
        try (PreparedStatement ps = connection.prepareStatement("INSERT INTO messaging_outbox (topic, event_id, type, "
                + "tenant_id, occurred_at, payload, routing) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, topic);
            ps.setString(2, event.eventId().toString());
            ps.setString(3, event.type());
            ps.setString(4, event.tenantId());
            // both databases keep microseconds (H2 would round the nanoseconds, PostgreSQL truncate)
            ps.setObject(5, event.occurredAt().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC));
            ps.setString(6, payload);
            ps.setString(7, routing);
            ps.executeUpdate();
        }
        lastAdd = System.nanoTime();
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** @return events waiting to be published and the age of the oldest, seconds (0 when none) */
    public long[] backlog() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), MIN(occurred_at) FROM messaging_outbox");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
                long age = oldest == null ? 0 : Math.max(0, Duration.between(oldest.toInstant(), Instant.now()).toSeconds());
                return new long[] {rs.getLong(1), age};
            }
        });
    }

    /** @return events published since start */
    public long published() {
        return published;
    }

    /** @return the last relay error, or {@code null} when the last attempt worked */
    public String lastError() {
        return lastError;
    }

    private void run() {
        long backoff = 0;
        while (!closed) {
            int n;
            try {
                n = relayOnce();
                if (lastError != null) {
                    LOG.info("outbox relay publishes again");
                }
                lastError = null;
                backoff = 0;
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                backoff = backoff == 0 ? 1000 : Math.min(backoff * 2, 30_000);
                if (!String.valueOf(e.getMessage()).equals(lastError)) {
                    LOG.warn("outbox relay cannot publish (retrying, next in {} ms): {}", backoff, e.getMessage());
                }
                lastError = String.valueOf(e.getMessage());
                pause(backoff);
                continue;
            }
            if (n >= BATCH) {
                continue;
            }
            if (n == 0) {
                pause(System.nanoTime() - lastAdd < EAGER_NANOS ? 2 : pollMillis);
            }
        }
    }

    private void pause(long millis) {
        synchronized (signal) {
            if (closed) {
                return;
            }
            try {
                signal.wait(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                closed = true;
            }
        }
    }

    /** One relay transaction. @return the number of events published */
    int relayOnce() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM messaging_outbox_relay WHERE id = 1 FOR UPDATE");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
            }
            List<Long> seqs = new ArrayList<>();
            List<String> topics = new ArrayList<>();
            List<DomainEvent> events = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, topic, event_id, type, tenant_id, occurred_at, payload, routing "
                    + "FROM messaging_outbox ORDER BY seq LIMIT " + BATCH); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                    // a queue's name is kept apart from a topic's of the same name by the prefix
                    topics.add(QUEUE_ROUTING.equals(rs.getString(8)) ? "queue:" + rs.getString(2) : rs.getString(2));
                    events.add(new DomainEvent(UUID.fromString(rs.getString(3)), rs.getString(4),
                            rs.getObject(6, OffsetDateTime.class).toInstant(), rs.getString(5), payload(rs.getString(7))));
                }
            }
            if (seqs.isEmpty()) {
                return 0;
            }
            int from = 0;
            for (int i = 1; i <= events.size(); i++) {
                if (i == events.size() || !topics.get(i).equals(topics.get(from))) {
                    publish(topics.get(from), events.subList(from, i));
                    from = i;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM messaging_outbox WHERE seq = ?")) {
                for (long seq : seqs) {
                    ps.setLong(1, seq);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            published += seqs.size();
            return seqs.size();
        });
    }

    private void publish(String topic, List<DomainEvent> events) {
        if (topic.startsWith("queue:")) {
            // commands: one send each (the broker stores each before send returns)
            for (DomainEvent e : events) {
                bus.send(topic.substring("queue:".length()), e);
            }
            return;
        }
        try {
            bus.publish(topic, events);
        } catch (RuntimeException batch) {
            LOG.debug("batch of {} events on {} refused ({}); publishing them one by one", events.size(), topic,
                    batch.getMessage());
            for (DomainEvent e : events) {
                bus.publish(topic, e);
            }
        }
    }

    private Map<String, Object> payload(String text) {
        try {
            return json.readValue(text, PAYLOAD);
        } catch (JsonProcessingException e) {
            // written by add(), which checked it: only a hand-edited row can get here
            throw new IllegalStateException("outbox row with unreadable payload: " + e.getOriginalMessage(), e);
        }
    }

    /** Stops the relay thread; rows not yet published stay for the next start. */
    @Override
    public void close() {
        closed = true;
        synchronized (signal) {
            signal.notifyAll();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package de.sid.verbund.messaging.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.EventHandler;
import de.sid.verbund.messaging.MessagingException;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.messaging.artemis.internal.ArtemisMessagingComponent;
import de.sid.verbund.messaging.artemis.internal.MessagingConfig;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The outbox against embedded H2 and a real embedded Artemis broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutboxRelayTest {
    private static final String TOPIC = "outbox.test";
    @TempDir
    static Path brokerDir;
    private static ArtemisMessagingComponent broker;

    @TempDir
    Path dir;
    private JdbcDatabase db;
    private OutboxRelay relay;
    private Subscription subscription;
    private final List<DomainEvent> received = new CopyOnWriteArrayList<>();
    /** The bus the relay publishes to: the real broker, or a stopped one while {@code down}. */
    private volatile EventBus target;

    @BeforeAll
    static void startBroker() {
        broker = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory", brokerDir.toString(),
                "tcp_port", 0));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        deactivate(broker);
    }

    @BeforeEach
    void setUp() {
        target = broker;
        subscription = broker.subscribe(TOPIC, "outbox-test-" + UUID.randomUUID(), received::add);
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 10_000);
        relay = new OutboxRelay(db, new Switch(), 50);
    }

    @AfterEach
    void tearDown() {
        relay.close();
        subscription.close();
        db.close();
    }

    @Test
    void eventsOfCommittedTransactionsArePublishedInOrderAndRemoved() {
        List<DomainEvent> sent = new ArrayList<>();
        for (int tx = 0; tx < 5; tx++) {
            db.inTransaction(c -> {
                for (int i = 0; i < 300; i++) {
                    DomainEvent e = event(i);
                    relay.add(c, TOPIC, e);
                    sent.add(e);
                }
                return null;
            });
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(received).hasSize(sent.size()));
        assertThat(received).extracting(DomainEvent::eventId).containsExactlyElementsOf(
                sent.stream().map(DomainEvent::eventId).toList());
        assertThat(received.get(0).payload()).isEqualTo(Map.of("n", 0, "text", "äöü €"));
        assertThat(received.get(0).occurredAt()).isEqualTo(sent.get(0).occurredAt().truncatedTo(java.time.temporal.ChronoUnit.MICROS));
        await().untilAsserted(() -> assertThat(relay.backlog()[0]).isZero());
        assertThat(relay.published()).isEqualTo(1500);
    }

    @Test
    void commandsGoToTheirQueueInOrderWithTheTopicsEventsAround() {
        String queue = "outbox.commands-" + UUID.randomUUID().toString().substring(0, 8);
        List<DomainEvent> commands = new CopyOnWriteArrayList<>();
        try (Subscription consumer = broker.consume(queue, commands::add)) {
            DomainEvent before = event(1);
            DomainEvent first = event(2);
            DomainEvent second = event(3);
            DomainEvent after = event(4);
            db.inTransaction(c -> {
                relay.add(c, TOPIC, before);
                relay.send(c, queue, first);
                relay.send(c, queue, second);
                relay.add(c, TOPIC, after);
                return null;
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(commands).extracting(DomainEvent::eventId)
                    .containsExactly(first.eventId(), second.eventId()));
            await().untilAsserted(() -> assertThat(received).extracting(DomainEvent::eventId)
                    .containsExactly(before.eventId(), after.eventId()));
            assertThat(relay.backlog()[0]).isZero();
        }
        assertThatThrownBy(() -> db.inTransaction(c -> {
            relay.send(c, "not a queue", event(5));
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queue name");
    }

    @Test
    void eventsOfARolledBackTransactionAreNeverPublished() {
        DomainEvent lost = event(1);
        assertThatThrownBy(() -> db.inTransaction(c -> {
            relay.add(c, TOPIC, lost);
            throw new IllegalStateException("the change failed");
        })).hasMessage("the change failed");
        DomainEvent kept = event(2);
        db.inTransaction(c -> {
            relay.add(c, TOPIC, kept);
            return null;
        });
        await().untilAsserted(() -> assertThat(received).extracting(DomainEvent::eventId).containsExactly(kept.eventId()));
        assertThat(relay.backlog()[0]).isZero();
    }

    @Test
    void eventsWaitWhileTheBrokerRefusesAndLeaveWhenItIsBack() throws Exception {
        ArtemisMessagingComponent stopped = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class,
                "journal_directory", dir.resolve("stopped").toString(), "tcp_port", 0));
        deactivate(stopped);
        target = stopped;
        DomainEvent e = event(7);
        db.inTransaction(c -> {
            relay.add(c, TOPIC, e);
            return null;
        });
        await().untilAsserted(() -> assertThat(relay.lastError()).contains("stopped"));
        assertThat(relay.backlog()[0]).isEqualTo(1);
        assertThat(received).isEmpty();

        target = broker;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(received).extracting(DomainEvent::eventId)
                .containsExactly(e.eventId()));
        assertThat(relay.backlog()[0]).isZero();
        assertThat(relay.lastError()).isNull();
    }

    @Test
    void anEventPublishedBeforeACrashIsNotDeliveredTwice() {
        // the relay published these, then the node died before it deleted the rows
        DomainEvent first = event(1);
        DomainEvent second = event(2);
        broker.publish(TOPIC, List.of(first, second));
        await().untilAsserted(() -> assertThat(received).hasSize(2));
        DomainEvent third = event(3);
        db.inTransaction(c -> {
            relay.add(c, TOPIC, first);
            relay.add(c, TOPIC, second);
            relay.add(c, TOPIC, third);
            return null;
        });
        await().untilAsserted(() -> assertThat(relay.backlog()[0]).isZero());
        await().untilAsserted(() -> assertThat(received).hasSize(3));
        assertThat(received).extracting(DomainEvent::eventId)
                .containsExactly(first.eventId(), second.eventId(), third.eventId());
    }

    @Test
    void invalidTopicOrPayloadIsRefusedAtOnce() {
        assertThatThrownBy(() -> db.inTransaction(c -> {
            relay.add(c, "no topic", event(1));
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic name");
        assertThatThrownBy(() -> db.inTransaction(c -> {
            relay.add(c, TOPIC, DomainEvent.of("test.bad", null, Map.of("thing", new Object())));
            return null;
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON-compatible");
        assertThat(relay.backlog()[0]).isZero();
    }

    private static DomainEvent event(int n) {
        return DomainEvent.of("test.happened", UUID.randomUUID().toString(), Map.of("n", n, "text", "äöü €"));
    }

    private static void deactivate(Object component) throws Exception {
        Method m = ArtemisMessagingComponent.class.getDeclaredMethod("deactivate");
        m.setAccessible(true);
        m.invoke(component);
    }

    /** Forwards to {@link #target}. */
    private final class Switch implements EventBus {
        @Override
        public void publish(String topic, DomainEvent event) {
            target.publish(topic, event);
        }

        @Override
        public void publish(String topic, List<DomainEvent> events) {
            target.publish(topic, events);
        }

        @Override
        public void send(String queue, DomainEvent event) {
            target.send(queue, event);
        }

        @Override
        public void publishLive(String topic, DomainEvent event) {
            target.publishLive(topic, event);
        }

        @Override
        public Subscription subscribeLive(String topic, EventHandler handler) {
            throw new MessagingException("not used", null);
        }

        @Override
        public Subscription subscribe(String topic, String subscription, EventHandler handler) {
            throw new MessagingException("not used", null);
        }

        @Override
        public Subscription consume(String queue, EventHandler handler) {
            throw new MessagingException("not used", null);
        }
    }
}

package de.sid.verbund.messaging.artemis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.health.Health;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.MessagingException;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.Ports;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.core.remoting.impl.invm.InVMConnectorFactory;
import org.apache.activemq.artemis.core.remoting.impl.invm.TransportConstants;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.reader.TextMessageUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real embedded Artemis broker with its journal in a temporary directory. */
class ArtemisMessagingComponentTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_DELIVERIES = 4;

    @TempDir
    Path dir;

    private final List<ArtemisMessagingComponent> components = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();

    @AfterEach
    void stopAll() {
        subscriptions.forEach(Subscription::close);
        for (int i = components.size() - 1; i >= 0; i--) {
            components.get(i).deactivate();
        }
    }

    private ArtemisMessagingComponent start(Path journal, Object... keyValues) {
        Map<String, Object> values = new HashMap<>();
        values.put("journal_directory", journal.toString());
        values.put("tcp_port", 0);
        values.put("max_deliveries", MAX_DELIVERIES);
        values.put("redelivery_delay_ms", 20L);
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put((String) keyValues[i], keyValues[i + 1]);
        }
        ArtemisMessagingComponent c = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, values));
        components.add(c);
        return c;
    }

    private ArtemisMessagingComponent startReady(Path journal, Object... keyValues) {
        ArtemisMessagingComponent c = start(journal, keyValues);
        assertThat(c.awaitReady(20_000)).as("broker ready").isTrue();
        return c;
    }

    private Subscription track(Subscription s) {
        subscriptions.add(s);
        return s;
    }

    private static DomainEvent event(String type) {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("ok", true);
        nested.put("ratio", 0.5);
        nested.put("none", null);
        nested.put("big", 12_345_678_901L);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("vm", "vm-1");
        payload.put("ramMiB", 4096);
        payload.put("tags", List.of("gold", "dmz"));
        payload.put("nested", nested);
        return new DomainEvent(UUID.randomUUID(), type, Instant.now(), "landkreis-harz", payload);
    }

    @Test
    void publishedEventReachesDurableSubscriptionIntactAndHealthIsUp() throws Exception {
        ArtemisMessagingComponent bus = startReady(dir);
        BlockingQueue<DomainEvent> got = new LinkedBlockingQueue<>();
        track(bus.subscribe("compute.events", "billing.metering", got::add));

        DomainEvent sent = event("vm.created");
        bus.publish("compute.events", sent);

        DomainEvent received = got.poll(10, TimeUnit.SECONDS);
        assertThat(received).isEqualTo(sent);
        assertThat(received.payload()).containsEntry("tags", List.of("gold", "dmz"));
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) received.payload().get("nested");
        assertThat(nested).containsEntry("none", null)
                .containsEntry("big", 12_345_678_901L);

        Health h = bus.check();
        assertThat(bus.name()).isEqualTo("broker");
        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(h.details()).containsEntry("mode", "embedded").containsEntry("started", true)
                .containsEntry("connected", true).containsEntry("deadLetters", 0L).containsKey("messages");
    }

    @Test
    void everySubscriptionOfATopicGetsItsOwnCopy() throws Exception {
        ArtemisMessagingComponent bus = startReady(dir);
        BlockingQueue<DomainEvent> billing = new LinkedBlockingQueue<>();
        BlockingQueue<DomainEvent> audit = new LinkedBlockingQueue<>();
        track(bus.subscribe("compute.events", "billing.metering", billing::add));
        track(bus.subscribe("compute.events", "audit.log", audit::add));

        DomainEvent sent = event("vm.deleted");
        bus.publish("compute.events", sent);

        assertThat(billing.poll(10, TimeUnit.SECONDS)).isEqualTo(sent);
        assertThat(audit.poll(10, TimeUnit.SECONDS)).isEqualTo(sent);
    }

    @Test
    void consumersOfOneSubscriptionShareTheMessagesWithoutDuplicates() {
        ArtemisMessagingComponent bus = startReady(dir);
        List<UUID> first = new CopyOnWriteArrayList<>();
        List<UUID> second = new CopyOnWriteArrayList<>();
        track(bus.subscribe("compute.events", "billing.metering", e -> first.add(e.eventId())));
        track(bus.subscribe("compute.events", "billing.metering", e -> second.add(e.eventId())));

        List<UUID> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // 20 tenants: 20 message groups to spread over the two consumers
            DomainEvent e = new DomainEvent(UUID.randomUUID(), "vm.created", Instant.now(), "tenant-" + i, Map.of("i", i));
            sent.add(e.eventId());
            bus.publish("compute.events", e);
        }

        await().atMost(WAIT).until(() -> first.size() + second.size() >= 20);
        List<UUID> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(all).containsExactlyInAnyOrderElementsOf(sent).doesNotHaveDuplicates();
        assertThat(first).isNotEmpty();
        assertThat(second).isNotEmpty();
    }

    @Test
    void oneTenantsEventsReachTheConsumersOfASubscriptionInPublishOrder() {
        ArtemisMessagingComponent bus = startReady(dir);
        List<Integer> handled = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < 3; c++) {
            track(bus.subscribe("compute.events", "billing.metering", e -> {
                Thread.sleep(ThreadLocalRandom.current().nextInt(3)); // consumers of different speed
                handled.add(((Number) e.payload().get("seq")).intValue());
            }));
        }
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            sent.add(i);
            bus.publish("compute.events", new DomainEvent(UUID.randomUUID(), "vm.state-changed", Instant.now(), "lfst",
                    Map.of("seq", i)));
        }
        await().atMost(WAIT).until(() -> handled.size() >= 60);
        assertThat(handled).containsExactlyElementsOf(sent);
    }

    @Test
    void eventPublishedWhileTheSubscriberIsAwayArrivesWhenItComesBack() throws Exception {
        ArtemisMessagingComponent bus = startReady(dir);
        bus.subscribe("compute.events", "billing.metering", e -> { }).close();

        DomainEvent sent = event("vm.created");
        bus.publish("compute.events", sent);

        BlockingQueue<DomainEvent> got = new LinkedBlockingQueue<>();
        track(bus.subscribe("compute.events", "billing.metering", got::add));
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo(sent);
    }

    @Test
    void handlerThatFailsTwiceGetsTheEventAThirdTimeAndItIsAcknowledgedOnce() {
        ArtemisMessagingComponent bus = startReady(dir);
        Map<UUID, AtomicInteger> attempts = new ConcurrentHashMap<>();
        List<UUID> handled = new CopyOnWriteArrayList<>();
        track(bus.subscribe("compute.events", "billing.metering", e -> {
            int n = attempts.computeIfAbsent(e.eventId(), k -> new AtomicInteger()).incrementAndGet();
            if (e.type().equals("vm.created") && n <= 2) {
                throw new IllegalStateException("database down (attempt " + n + ")");
            }
            handled.add(e.eventId());
        }));

        DomainEvent flaky = event("vm.created");
        bus.publish("compute.events", flaky);
        await().atMost(WAIT).until(() -> handled.contains(flaky.eventId()));

        // a later event handled after it proves nothing of the first is still on its way
        DomainEvent marker = event("vm.marker");
        bus.publish("compute.events", marker);
        await().atMost(WAIT).until(() -> handled.contains(marker.eventId()));

        assertThat(attempts.get(flaky.eventId())).hasValue(3);
        assertThat(handled).containsExactly(flaky.eventId(), marker.eventId());
        Queue q = bus.broker().server().locateQueue("billing.metering");
        assertThat(q.getMessagesAcknowledged()).isEqualTo(2); // the flaky event once, the marker once
        assertThat(q.getMessageCount()).isZero();
        assertThat(bus.broker().deadLetterCount()).isZero();
    }

    @Test
    void eventWhoseHandlerAlwaysFailsEndsInTheDeadLetterQueueAfterMaxDeliveries() throws Exception {
        ArtemisMessagingComponent bus = startReady(dir);
        AtomicInteger attempts = new AtomicInteger();
        track(bus.subscribe("compute.events", "billing.metering", e -> {
            attempts.incrementAndGet();
            throw new IllegalStateException("always broken");
        }));

        DomainEvent poison = event("vm.created");
        bus.publish("compute.events", poison);

        await().atMost(WAIT).until(() -> bus.broker().deadLetterCount() == 1);
        assertThat(attempts).hasValue(MAX_DELIVERIES);
        assertThat(bus.broker().server().locateQueue("billing.metering").getMessageCount()).isZero();

        List<ClientMessage> dead = browse(bus, EventBus.DEAD_LETTER_QUEUE, 1);
        assertThat(new EventCodec().decode(text(dead.get(0)))).isEqualTo(poison);
        assertThat(dead.get(0).getStringProperty(Message.HDR_ORIGINAL_ADDRESS)).isEqualTo("compute.events");
        assertThat(bus.check().details()).containsEntry("deadLetters", 1L);
    }

    @Test
    void bodyThatIsNotAnEventGoesToTheDeadLetterQueueAtOnce() throws Exception {
        ArtemisMessagingComponent bus = startReady(dir);
        List<DomainEvent> handled = new CopyOnWriteArrayList<>();
        track(bus.subscribe("compute.events", "billing.metering", handled::add));

        rawSend(bus, "compute.events", "this is { not json");
        rawSend(bus, "compute.events", "{\"eventId\":\"not-a-uuid\",\"type\":\"vm.created\"}");
        DomainEvent good = event("vm.created");
        bus.publish("compute.events", good);

        await().atMost(WAIT).until(() -> handled.contains(good));
        await().atMost(WAIT).until(() -> bus.broker().deadLetterCount() == 2);
        assertThat(handled).containsExactly(good);
        List<ClientMessage> dead = browse(bus, EventBus.DEAD_LETTER_QUEUE, 2);
        assertThat(dead).extracting(ArtemisMessagingComponentTest::text)
                .containsExactly("this is { not json", "{\"eventId\":\"not-a-uuid\",\"type\":\"vm.created\"}");
        assertThat(dead).allSatisfy(m -> {
            assertThat(m.getStringProperty(ArtemisEventBus.PROP_DEAD_LETTER_REASON)).startsWith("not a valid event");
            assertThat(m.getStringProperty(Message.HDR_ORIGINAL_QUEUE)).isEqualTo("billing.metering");
        });
        assertThat(bus.broker().server().locateQueue("billing.metering").getMessageCount()).isZero();
    }

    @Test
    void unconsumedDurableEventSurvivesABrokerRestartOnTheSameJournal() throws Exception {
        ArtemisMessagingComponent first = startReady(dir);
        first.subscribe("compute.events", "billing.metering", e -> { }).close();
        DomainEvent sent = event("vm.created");
        first.publish("compute.events", sent);
        first.deactivate();
        components.remove(first);

        ArtemisMessagingComponent second = startReady(dir);
        BlockingQueue<DomainEvent> got = new LinkedBlockingQueue<>();
        track(second.subscribe("compute.events", "billing.metering", got::add));
        assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo(sent);
    }

    @Test
    void externalModeConnectsToAnotherNodesBrokerOverTcp() throws Exception {
        int port = Ports.freeTcpPort();
        ArtemisMessagingComponent node1 = startReady(dir.resolve("node1"), "tcp_port", port);
        ArtemisMessagingComponent node2 = startReady(dir.resolve("unused"), "embedded", false,
                "broker_url", "tcp://127.0.0.1:" + port);
        assertThat(node2.broker()).isNull();

        BlockingQueue<DomainEvent> onNode2 = new LinkedBlockingQueue<>();
        BlockingQueue<DomainEvent> onNode1 = new LinkedBlockingQueue<>();
        track(node2.subscribe("compute.events", "node2.audit", onNode2::add));
        track(node1.subscribe("compute.events", "node1.billing", onNode1::add));
        DomainEvent published = event("vm.created");
        node2.publish("compute.events", published);
        assertThat(onNode2.poll(10, TimeUnit.SECONDS)).isEqualTo(published);
        assertThat(onNode1.poll(10, TimeUnit.SECONDS)).isEqualTo(published);

        BlockingQueue<DomainEvent> commands = new LinkedBlockingQueue<>();
        track(node2.consume("compute.commands", commands::add));
        DomainEvent command = event("vm.start");
        node1.send("compute.commands", command);
        assertThat(commands.poll(10, TimeUnit.SECONDS)).isEqualTo(command);

        Health h = node2.check();
        assertThat(h.status()).isEqualTo(HealthStatus.UP);
        assertThat(h.details()).containsEntry("mode", "external").containsEntry("url", "tcp://127.0.0.1:" + port)
                .containsEntry("connected", true);
    }

    /** The live subscriptions (temporary queues) the broker holds on a topic, by name. */
    private static List<Queue> liveQueues(ArtemisMessagingComponent broker, String topic) throws Exception {
        List<Queue> found = new ArrayList<>();
        for (org.apache.activemq.artemis.core.postoffice.Binding b : broker.broker().server().getPostOffice()
                .getBindingsForAddress(SimpleString.of(topic)).getBindings()) {
            if (b instanceof org.apache.activemq.artemis.core.postoffice.QueueBinding qb
                    && qb.getQueue().getName().toString().startsWith(topic + ".live.")) {
                found.add(qb.getQueue());
            }
        }
        return found;
    }

    @Test
    void liveSubscribersOnTwoNodesEachGetEveryEventOnceAndTheirQueuesGoWithThem() throws Exception {
        int port = Ports.freeTcpPort();
        ArtemisMessagingComponent node1 = startReady(dir.resolve("node1"), "tcp_port", port);
        ArtemisMessagingComponent node2 = startReady(dir.resolve("unused"), "embedded", false,
                "broker_url", "tcp://127.0.0.1:" + port);
        List<UUID> onNode1 = new CopyOnWriteArrayList<>();
        List<UUID> onNode2 = new CopyOnWriteArrayList<>();
        List<UUID> durable = new CopyOnWriteArrayList<>();
        track(node1.subscribeLive("monitoring.polls", e -> onNode1.add(e.eventId())));
        Subscription live2 = node2.subscribeLive("monitoring.polls", e -> onNode2.add(e.eventId()));
        track(node1.subscribe("monitoring.polls", "audit.polls", e -> durable.add(e.eventId())));

        List<UUID> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            DomainEvent e = new DomainEvent(UUID.randomUUID(), "device.polled", Instant.now(), null, Map.of("i", i));
            sent.add(e.eventId());
            (i % 2 == 0 ? node1 : node2).publishLive("monitoring.polls", e);
        }
        DomainEvent stored = event("device.polled");
        sent.add(stored.eventId());
        node2.publish("monitoring.polls", stored); // a durable event reaches live subscribers too

        // each node has its own subscription: every event on both, once, in the order of each publisher
        await().atMost(WAIT).until(() -> onNode1.size() >= 21 && onNode2.size() >= 21 && durable.size() >= 21);
        assertThat(onNode1).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(onNode2).containsExactlyInAnyOrderElementsOf(sent);
        assertThat(durable).containsExactlyInAnyOrderElementsOf(sent);
        List<Queue> queues = liveQueues(node1, "monitoring.polls");
        assertThat(queues).hasSize(2).allSatisfy(q -> {
            assertThat(q.isTemporary()).isTrue();
            assertThat(q.isDurable()).isFalse();
            assertThat(q.getRingSize()).isEqualTo(ArtemisEventBus.LIVE_RING_SIZE);
        });

        // a closed live subscription leaves nothing behind on the broker; the other goes on
        live2.close();
        await().atMost(WAIT).until(() -> liveQueues(node1, "monitoring.polls").size() == 1);
        DomainEvent after = new DomainEvent(UUID.randomUUID(), "device.polled", Instant.now(), null, Map.of("i", 99));
        node2.publishLive("monitoring.polls", after);
        await().atMost(WAIT).until(() -> onNode1.contains(after.eventId()));
        assertThat(onNode2).doesNotContain(after.eventId());
    }

    @Test
    void aLiveEventIsNotKeptOverABrokerRestart() throws Exception {
        ArtemisMessagingComponent bus = startReady(dir);
        // a durable subscription with nobody attached keeps durable events, but not live ones
        track(bus.subscribe("monitoring.polls", "audit.polls", e -> { })).close();
        DomainEvent live = event("device.polled");
        DomainEvent stored = event("device.polled");
        bus.publishLive("monitoring.polls", live);
        bus.publish("monitoring.polls", stored);
        assertThat(bus.broker().server().locateQueue("audit.polls").getMessageCount()).isEqualTo(2);
        bus.deactivate();
        components.remove(bus);

        ArtemisMessagingComponent again = startReady(dir);
        List<DomainEvent> got = new CopyOnWriteArrayList<>();
        track(again.subscribe("monitoring.polls", "audit.polls", got::add));
        await().atMost(WAIT).until(() -> !got.isEmpty());
        assertThat(got).containsExactly(stored);
    }

    @Test
    void sameEventIdPublishedTwiceIsDeliveredOnce() {
        ArtemisMessagingComponent bus = startReady(dir);
        List<UUID> handled = new CopyOnWriteArrayList<>();
        track(bus.subscribe("compute.events", "billing.metering", e -> handled.add(e.eventId())));

        DomainEvent e = event("vm.created");
        bus.publish("compute.events", e);
        bus.publish("compute.events", e);
        DomainEvent marker = event("vm.marker");
        bus.publish("compute.events", marker);

        await().atMost(WAIT).until(() -> handled.contains(marker.eventId()));
        assertThat(handled).containsExactly(e.eventId(), marker.eventId());
    }

    @Test
    void queueDeliversEachCommandToExactlyOneConsumer() {
        ArtemisMessagingComponent bus = startReady(dir);
        DomainEvent early = event("vm.start");
        bus.send("compute.commands", early); // before any consumer: kept in the queue
        List<UUID> a = new CopyOnWriteArrayList<>();
        List<UUID> b = new CopyOnWriteArrayList<>();
        track(bus.consume("compute.commands", e -> a.add(e.eventId())));
        track(bus.consume("compute.commands", e -> b.add(e.eventId())));
        for (int i = 0; i < 9; i++) {
            bus.send("compute.commands", event("vm.start"));
        }
        await().atMost(WAIT).until(() -> a.size() + b.size() >= 10);
        List<UUID> all = new ArrayList<>(a);
        all.addAll(b);
        assertThat(all).hasSize(10).doesNotHaveDuplicates().contains(early.eventId());
    }

    @Test
    void unreachableExternalBrokerFailsPublishWithinTheBoundAndReportsDown() {
        int closedPort = Ports.freeTcpPort();
        long t0 = System.nanoTime();
        ArtemisMessagingComponent bus = start(dir, "embedded", false,
                "broker_url", "tcp://127.0.0.1:" + closedPort, "ready_timeout_ms", 300L);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("activation does not wait for the network")
                .isLessThan(Duration.ofSeconds(2));

        assertThatThrownBy(() -> bus.publish("compute.events", event("vm.created")))
                .isInstanceOf(MessagingException.class)
                .hasMessageContaining("tcp://127.0.0.1:" + closedPort)
                .hasMessageContaining("not ready after 300 ms");
        Health h = bus.check();
        assertThat(h.status()).isEqualTo(HealthStatus.DOWN);
        assertThat((String) h.details().get("error")).contains("connecting to tcp://127.0.0.1:" + closedPort);

        long t1 = System.nanoTime();
        bus.deactivate();
        components.remove(bus);
        assertThat(Duration.ofNanos(System.nanoTime() - t1)).as("deactivate aborts the connection attempt")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void publishAfterDeactivateFailsClearly() {
        ArtemisMessagingComponent bus = startReady(dir);
        bus.deactivate();
        components.remove(bus);
        assertThatThrownBy(() -> bus.publish("compute.events", event("vm.created")))
                .isInstanceOf(MessagingException.class).hasMessageContaining("stopped");
        assertThat(bus.check().status()).isEqualTo(HealthStatus.DOWN);
    }

    @Test
    void invalidNamesAreRejected() {
        ArtemisMessagingComponent bus = startReady(dir);
        assertThatThrownBy(() -> bus.publish("compute.#", event("vm.created")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("compute.#");
        track(bus.subscribe("compute.events", "shared.name", e -> { }));
        assertThatThrownBy(() -> bus.subscribe("tenancy.events", "shared.name", e -> { }))
                .isInstanceOf(MessagingException.class).hasMessageContaining("already exists on address 'compute.events'");
    }

    @Test
    void passwordInBrokerUrlIsHidden() {
        assertThat(ArtemisMessagingComponent.sanitize("tcp://h:61616?user=a&password=s3cret&ha=true"))
                .isEqualTo("tcp://h:61616?user=a&password=***&ha=true");
    }

    // --- raw core client helpers (to inject malformed bodies and browse the dead-letter queue) ---

    private static ServerLocator rawLocator(ArtemisMessagingComponent bus) {
        return ActiveMQClient.createServerLocatorWithoutHA(new TransportConfiguration(
                InVMConnectorFactory.class.getName(),
                Map.of(TransportConstants.SERVER_ID_PROP_NAME, bus.broker().inVmServerId())));
    }

    private static void rawSend(ArtemisMessagingComponent bus, String address, String body) throws Exception {
        try (ServerLocator l = rawLocator(bus); ClientSessionFactory f = l.createSessionFactory();
                ClientSession s = f.createSession(); ClientProducer p = s.createProducer(address)) {
            ClientMessage m = s.createMessage(Message.TEXT_TYPE, true);
            TextMessageUtil.writeBodyText(m.getBodyBuffer(), SimpleString.of(body));
            m.setRoutingType(RoutingType.MULTICAST);
            p.send(m);
        }
    }

    private static List<ClientMessage> browse(ArtemisMessagingComponent bus, String queue, int expected)
            throws Exception {
        List<ClientMessage> out = new ArrayList<>();
        try (ServerLocator l = rawLocator(bus); ClientSessionFactory f = l.createSessionFactory();
                ClientSession s = f.createSession(); ClientConsumer c = s.createConsumer(queue, true)) {
            s.start();
            for (int i = 0; i < expected; i++) {
                ClientMessage m = c.receive(5_000);
                assertThat(m).as("message %d of %d in %s", i + 1, expected, queue).isNotNull();
                out.add(m);
            }
            assertThat(c.receiveImmediate()).as("no more messages in " + queue).isNull();
        }
        return out;
    }

    private static String text(ClientMessage m) {
        return TextMessageUtil.readBodyText(m.getBodyBuffer()).toString();
    }
}

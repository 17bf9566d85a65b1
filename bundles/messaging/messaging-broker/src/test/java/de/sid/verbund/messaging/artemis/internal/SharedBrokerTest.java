package de.sid.verbund.messaging.artemis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.Ports;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nodes sharing one broker in its own role ({@link StandaloneBroker}): what one node publishes, a
 * consumer on another node handles once; a consumer node killed with SIGKILL while it holds an
 * unacknowledged event loses nothing: the broker gives the event to the survivor.
 */
class SharedBrokerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private StandaloneBroker broker;
    private final List<ArtemisMessagingComponent> nodes = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private Process child;

    @AfterEach
    void stopAll() throws Exception {
        if (child != null) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        subscriptions.forEach(Subscription::close);
        nodes.forEach(ArtemisMessagingComponent::deactivate);
        if (broker != null) {
            broker.stop();
        }
    }

    @Test
    void eventPublishedOnNodeAIsHandledOnceByTheConsumersOnTheOtherNodes() throws Exception {
        broker = StandaloneBroker.start(options(Ports.freeTcpPort()));
        ArtemisMessagingComponent a = node(broker.url());
        ArtemisMessagingComponent b = node(broker.url());
        ArtemisMessagingComponent c = node(broker.url());
        Map<UUID, AtomicInteger> handled = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perNode = new ConcurrentHashMap<>();
        for (var n : Map.of("b", b, "c", c).entrySet()) {
            subscriptions.add(n.getValue().subscribe("compute.events", "billing.metering", e -> {
                handled.computeIfAbsent(e.eventId(), k -> new AtomicInteger()).incrementAndGet();
                perNode.computeIfAbsent(n.getKey(), k -> new AtomicInteger()).incrementAndGet();
            }));
        }
        List<DomainEvent> sent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            DomainEvent e = event("tenant-" + (i % 8));
            a.publish("compute.events", e);
            sent.add(e);
        }
        await().atMost(WAIT).until(() -> handled.size() == sent.size());
        // a last event behind all others of its tenant: once it is handled, no duplicate is still on its way
        DomainEvent last = event("tenant-0");
        a.publish("compute.events", last);
        await().atMost(WAIT).until(() -> handled.containsKey(last.eventId()));
        assertThat(handled.values()).allSatisfy(n -> assertThat(n).hasValue(1));
        assertThat(handled.keySet()).containsAll(sent.stream().map(DomainEvent::eventId).toList());
        assertThat(perNode.keySet()).as("both consumer nodes took part").containsExactlyInAnyOrder("b", "c");
        assertThat(a.check().details()).containsEntry("mode", "external").containsEntry("connected", true);
    }

    @Test
    void unacknowledgedEventOfAConsumerNodeKilledWithSigkillGoesToTheSurvivor() throws Exception {
        broker = StandaloneBroker.start(options(Ports.freeTcpPort()));
        ArtemisMessagingComponent publisher = node(broker.url());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ConsumerNode.class.getName(),
                broker.url(), "compute.events", "billing.metering").redirectErrorStream(true).start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lines.add(l);
                }
            } catch (java.io.IOException e) {
                lines.add("READ FAILED " + e);
            }
        }, "consumer-node-output");
        reader.setDaemon(true);
        reader.start();
        awaitLine(lines, "SUBSCRIBED");

        DomainEvent e = event("tenant-1");
        publisher.publish("compute.events", e);
        awaitLine(lines, "HANDLING " + e.eventId());

        // the survivor subscribes while the dying node holds the event (and its tenant's message group)
        ArtemisMessagingComponent survivor = node(broker.url());
        BlockingQueue<DomainEvent> got = new LinkedBlockingQueue<>();
        subscriptions.add(survivor.subscribe("compute.events", "billing.metering", got::add));
        assertThat(got.poll(1, TimeUnit.SECONDS)).as("nothing while the other node holds it").isNull();

        long pid = child.pid();
        child.destroyForcibly(); // SIGKILL: no clean close, no acknowledgement
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("killed by signal 9 (pid %d)", pid).isEqualTo(137);

        assertThat(got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(e);
        DomainEvent next = event("tenant-1");
        publisher.publish("compute.events", next);
        assertThat(got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the group moved to the survivor").isEqualTo(next);
        assertThat(got).isEmpty();
        assertThat(broker.deadLetterCount()).isZero();
    }

    @Test
    void nodesReconnectWhenTheSharedBrokerRestarts() throws Exception {
        int port = Ports.freeTcpPort();
        broker = StandaloneBroker.start(options(port));
        ArtemisMessagingComponent a = node(broker.url());
        ArtemisMessagingComponent b = node(broker.url());
        BlockingQueue<DomainEvent> got = new LinkedBlockingQueue<>();
        subscriptions.add(b.subscribe("compute.events", "billing.metering", got::add));

        broker.stop();
        await().atMost(WAIT).until(() -> a.check().status() == HealthStatus.DOWN);
        await().atMost(WAIT).until(() -> b.check().status() == HealthStatus.DOWN);

        broker = StandaloneBroker.start(options(port)); // same journal: the subscription is still there
        await().atMost(WAIT).until(() -> a.check().status() == HealthStatus.UP && b.check().status() == HealthStatus.UP);
        DomainEvent e = event("tenant-2");
        a.publish("compute.events", e);
        assertThat(got.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(e);
    }

    @Test
    void commandLineIsCheckedWithClearMessages() {
        StandaloneBroker.Options o = StandaloneBroker.Options.parse(new String[] {"--data", "/var/b", "--listen",
                "10.0.0.5:61700", "--user", "verbund", "--password-env", "PW"}, k -> k.equals("PW") ? "s3cret" : null);
        assertThat(o).isEqualTo(new StandaloneBroker.Options(Path.of("/var/b"), "10.0.0.5", 61700, "verbund", "s3cret", 5, 1000));
        assertThatThrownBy(() -> StandaloneBroker.Options.parse(new String[] {"--listen", "x:1"}, k -> null))
                .hasMessageContaining("--data DIR is required");
        assertThatThrownBy(() -> StandaloneBroker.Options.parse(new String[] {"--data", "d", "--listen", "61616"}, k -> null))
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> StandaloneBroker.Options.parse(new String[] {"--data", "d", "--user", "u"}, k -> null))
                .hasMessageContaining("--password-env");
        assertThatThrownBy(() -> StandaloneBroker.Options.parse(new String[] {"--data"}, k -> null))
                .hasMessageContaining("--data needs a value");
    }

    private StandaloneBroker.Options options(int port) {
        return new StandaloneBroker.Options(dir.resolve("broker"), "127.0.0.1", port, "", "", 5, 50);
    }

    private ArtemisMessagingComponent node(String url) {
        ArtemisMessagingComponent c = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class,
                "embedded", false, "broker_url", url + "?retryInterval=200&retryIntervalMultiplier=1.0",
                "ready_timeout_ms", 2000L));
        nodes.add(c);
        assertThat(c.awaitReady(20_000)).as("connected to %s", url).isTrue();
        return c;
    }

    private static DomainEvent event(String tenant) {
        return new DomainEvent(UUID.randomUUID(), "vm.created", Instant.now(), tenant, Map.of("vmId", UUID.randomUUID().toString()));
    }

    private static void awaitLine(BlockingQueue<String> lines, String wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l == null) {
                continue;
            }
            seen.add(l);
            if (l.equals(wanted)) {
                return;
            }
        }
        throw new AssertionError("the consumer node did not print '" + wanted + "'; it printed " + seen);
    }
}

package de.sid.verbund.messaging.artemis.internal;

import de.sid.verbund.testsupport.Configs;
import java.util.concurrent.CountDownLatch;

/**
 * A node's consumer in a process of its own, for {@link SharedBrokerTest}: subscribes to a topic on the
 * shared broker, prints {@code SUBSCRIBED}, then {@code HANDLING <eventId>} for the first event, and
 * never returns from its handler (the event stays unacknowledged until the process is killed).
 * Arguments: broker URL, topic, subscription.
 */
public final class ConsumerNode {
    private ConsumerNode() {
    }

    public static void main(String[] args) throws Exception {
        ArtemisMessagingComponent bus = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class,
                "embedded", false, "broker_url", args[0]));
        if (!bus.awaitReady(30_000)) {
            System.out.println("NOT READY");
            System.exit(1);
        }
        CountDownLatch never = new CountDownLatch(1);
        bus.subscribe(args[1], args[2], e -> {
            System.out.println("HANDLING " + e.eventId());
            System.out.flush();
            never.await();
        });
        System.out.println("SUBSCRIBED");
        System.out.flush();
        never.await();
    }
}

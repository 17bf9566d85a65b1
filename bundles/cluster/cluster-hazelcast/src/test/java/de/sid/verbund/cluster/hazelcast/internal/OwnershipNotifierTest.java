package de.sid.verbund.cluster.hazelcast.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.cluster.ListenerRegistration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OwnershipNotifierTest {
    private final OwnershipNotifier notifier = new OwnershipNotifier("test-ownership");

    @AfterEach
    void close() {
        notifier.close();
    }

    @Test
    void callsListenersOnItsOwnThreadAndSurvivesAThrowingOne() {
        List<String> threads = new CopyOnWriteArrayList<>();
        AtomicInteger after = new AtomicInteger();
        notifier.add(() -> {
            throw new IllegalStateException("boom");
        });
        notifier.add(() -> threads.add(Thread.currentThread().getName()));
        notifier.add(after::incrementAndGet);

        notifier.changed("test");

        await().atMost(Duration.ofSeconds(5)).until(() -> after.get() == 1);
        assertThat(threads).containsExactly("test-ownership");
    }

    @Test
    void changesDuringARoundLeadToOneMoreRoundAndPendingOnesAreCoalesced() throws Exception {
        CountDownLatch inFirstRound = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        notifier.add(() -> {
            if (calls.incrementAndGet() == 1) {
                inFirstRound.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });

        notifier.changed("first");
        assertThat(inFirstRound.await(5, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 50; i++) {
            notifier.changed("burst " + i); // the caller (a Hazelcast thread) is never blocked
        }
        release.countDown();

        await().atMost(Duration.ofSeconds(5)).until(() -> notifier.rounds() == 2 && calls.get() == 2);
        assertThat(calls).hasValue(2);
    }

    @Test
    void closedRegistrationIsNotCalled() {
        AtomicInteger kept = new AtomicInteger();
        AtomicInteger removed = new AtomicInteger();
        notifier.add(kept::incrementAndGet);
        ListenerRegistration r = notifier.add(removed::incrementAndGet);
        r.close();
        r.close(); // idempotent

        notifier.changed("test");

        await().atMost(Duration.ofSeconds(5)).until(() -> kept.get() == 1);
        assertThat(removed).hasValue(0);
    }

    @Test
    void changesAfterCloseAreIgnored() {
        notifier.close();
        notifier.changed("late");
        assertThat(notifier.rounds()).isZero();
    }
}

package de.sid.verbund.alarms.core.internal;

import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.artemis.internal.ArtemisMessagingComponent;
import de.sid.verbund.messaging.artemis.internal.MessagingConfig;
import de.sid.verbund.testsupport.Configs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real embedded Artemis broker (in-VM only, journal in a temporary directory) behind the
 * platform's own event bus component, with fast redelivery for tests.
 */
final class Broker implements AutoCloseable {
    private final Path journal;
    private final ArtemisMessagingComponent bus;

    private Broker(Path journal, ArtemisMessagingComponent bus) {
        this.journal = journal;
        this.bus = bus;
    }

    static Broker start() {
        try {
            Path journal = Files.createTempDirectory("alarms-broker");
            return new Broker(journal, new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory",
                    journal.toString(), "tcp_port", 0, "redelivery_delay_ms", 50L)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    EventBus bus() {
        return bus;
    }

    @Override
    public void close() {
        try {
            Method m = ArtemisMessagingComponent.class.getDeclaredMethod("deactivate");
            m.setAccessible(true);
            m.invoke(bus);
            try (Stream<Path> files = Files.walk(journal)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        } catch (ReflectiveOperationException | IOException e) {
            throw new IllegalStateException("broker did not stop: " + e, e);
        }
    }
}

package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.libvirt.internal.LibvirtProvider;
import de.sid.verbund.messaging.EventBus;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.messaging.Subscription;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.testsupport.Configs;
import java.util.Optional;

/** The catalogue tests' way to compute's package-private parts: the real service and its command consumer. */
public final class ComputeParts {
    private ComputeParts() {
    }

    /** @return the compute service over the real libvirt provider (test driver URIs); close it after the test */
    public static ComputeServiceImpl compute(Database db, Outbox outbox, LibvirtProvider libvirt) {
        return new ComputeServiceImpl(db, outbox, uri -> libvirt.supports(uri) ? Optional.of(libvirt) : Optional.empty(),
                Configs.of(ComputeConfig.class));
    }

    /** @return the consumer of {@code compute.commands}, as compute runs it */
    public static Subscription consumeCommands(Database db, Outbox outbox, ComputeService compute, EventBus bus) {
        ComputeCommands commands = new ComputeCommands(db, outbox, compute);
        return bus.consume(ComputeCommands.QUEUE, commands::handle);
    }
}

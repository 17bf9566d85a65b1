/** The event bus: durable topics and queues carrying {@link de.sid.verbund.core.DomainEvent}s as JSON. */
@Export
@Version("1.2.0")
package de.sid.verbund.messaging;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

/** Health checks: each component publishes a {@link de.sid.verbund.core.health.HealthIndicator} service. */
@Export
@Version("1.0.0")
package de.sid.verbund.core.health;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

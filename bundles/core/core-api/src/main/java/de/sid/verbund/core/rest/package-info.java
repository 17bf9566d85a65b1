/** What every area's JAX-RS resources share: the application they join and the OpenAPI fragment they publish. */
@Export
@Version("1.0.0")
package de.sid.verbund.core.rest;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

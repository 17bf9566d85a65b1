/**
 * The hypervisor provider SPI: what a back-end (libvirt first) must do for Verbund. Providers
 * are OSGi services with the property {@code compute.provider=<type>}.
 */
@Export
@Version("1.0.0")
package de.sid.verbund.compute.spi;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

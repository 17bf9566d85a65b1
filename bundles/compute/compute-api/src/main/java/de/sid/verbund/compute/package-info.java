/**
 * Compute: hypervisor hosts, placement of virtual machines, and their lifecycle. Sizes are
 * vCPUs, MiB of RAM and GiB of disk throughout.
 */
@Export
@Version("1.1.0")
package de.sid.verbund.compute;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

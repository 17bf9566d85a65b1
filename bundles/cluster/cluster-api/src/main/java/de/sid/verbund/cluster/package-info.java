/** Cluster membership and work ownership: which node does the work for a key, and calls to it. */
@Export
@Version("1.1.0")
package de.sid.verbund.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

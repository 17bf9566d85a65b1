/** Cluster membership and work ownership: which node does the work for a key. */
@Export
@Version("1.0.0")
package de.sid.verbund.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

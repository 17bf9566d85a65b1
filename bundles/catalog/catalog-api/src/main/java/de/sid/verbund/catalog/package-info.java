/**
 * Catalogue: the service offerings authorities order (VM sizes to start with; other shared
 * services later, as another {@code kind}), versioned, and the orders: submission within quota and
 * budget, approval (none, the authority's admin, or the admin and then a SID operator, never by
 * the requester), fulfilment through compute over a durable queue, decommissioning.
 */
@Export
@Version("1.0.0")
package de.sid.verbund.catalog;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

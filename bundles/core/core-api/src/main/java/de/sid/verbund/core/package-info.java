/**
 * Verbund core value types shared by every area: ids, {@link de.sid.verbund.core.Money} (EUR),
 * billing periods in Europe/Berlin, the domain-event envelope, paging and problem errors.
 */
@Export
@Version("1.0.0")
package de.sid.verbund.core;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

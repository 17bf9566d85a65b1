/**
 * Security: the caller of a request, permission checks of the form {@code area:action:tenant},
 * users and API tokens, and the audit log.
 */
@Export
@Version("1.3.0")
package de.sid.verbund.security;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

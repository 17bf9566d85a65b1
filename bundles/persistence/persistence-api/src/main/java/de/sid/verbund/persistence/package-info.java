/** The database: a pooled {@link javax.sql.DataSource}, transactions and per-area schema migrations. */
@Export
@Version("1.1.0")
package de.sid.verbund.persistence;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;

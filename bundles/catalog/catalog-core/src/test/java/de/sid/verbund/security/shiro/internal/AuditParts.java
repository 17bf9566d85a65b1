package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.persistence.Database;
import de.sid.verbund.security.AuditLog;

/** The catalogue tests' way to security's audit log. */
public final class AuditParts {
    private AuditParts() {
    }

    /** Applies the security schema. @return the audit log in table {@code audit} */
    public static AuditLog auditLog(Database db) {
        db.migrate("security", AuditParts.class.getClassLoader());
        return new JdbcAuditLog(db, java.time.Clock.systemUTC());
    }
}

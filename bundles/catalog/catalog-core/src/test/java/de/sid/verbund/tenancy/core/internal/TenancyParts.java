package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.persistence.Database;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.QuotaLedger;
import java.time.Clock;

/** The catalogue tests' way to tenancy's package-private parts: the real authority service and quota ledger. */
public final class TenancyParts {
    private TenancyParts() {
    }

    /** Applies the tenancy schema. @return the authority service */
    public static AuthorityService authorities(Database db) {
        db.migrate("tenancy", TenancyParts.class.getClassLoader());
        return new AuthorityServiceImpl(db, Clock.systemUTC(), id -> false);
    }

    /** @return the JDBC quota ledger (apply the schema with {@link #authorities} first) */
    public static QuotaLedger ledger(Database db) {
        return new JdbcQuotaLedger(db, Clock.systemUTC());
    }
}

package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.TestPostgres;

/** {@link QuotaLedgerTest} on a real PostgreSQL ({@code verbund.test.postgres.url}), a fresh schema per test. */
class PostgresQuotaLedgerTest extends QuotaLedgerTest {
    @Override
    protected JdbcDatabase open() {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        return new JdbcDatabase(pg.newSchema("t_"), pg.user(), pg.password(), 16, 10_000);
    }
}

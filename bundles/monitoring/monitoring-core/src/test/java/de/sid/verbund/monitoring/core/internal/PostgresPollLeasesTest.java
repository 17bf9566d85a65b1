package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.TestPostgres;

/** {@link PollLeasesTest} on a real PostgreSQL ({@code verbund.test.postgres.url}), a fresh schema per test. */
class PostgresPollLeasesTest extends PollLeasesTest {
    @Override
    protected JdbcDatabase open() {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        return new JdbcDatabase(pg.newSchema("m_"), pg.user(), pg.password(), 8, 10_000);
    }
}

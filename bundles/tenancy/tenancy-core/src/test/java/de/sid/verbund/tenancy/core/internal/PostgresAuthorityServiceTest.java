package de.sid.verbund.tenancy.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.TestPostgres;

/** {@link AuthorityServiceTest} on a real PostgreSQL ({@code verbund.test.postgres.url}), a fresh schema per test. */
class PostgresAuthorityServiceTest extends AuthorityServiceTest {
    @Override
    protected JdbcDatabase open() {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        return new JdbcDatabase(pg.newSchema("t_"), pg.user(), pg.password(), 16, 10_000);
    }
}

package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.TestPostgres;

/** Web sessions on a real PostgreSQL ({@code ./verbund test} passes {@code verbund.test.postgres.url}). */
class PostgresWebSessionTest extends WebSessionTest {
    @Override
    protected JdbcDatabase open() {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        return new JdbcDatabase(pg.newSchema("sess_"), pg.user(), pg.password(), 4, 10_000);
    }
}

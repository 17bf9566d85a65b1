package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.TestPostgres;

/**
 * The lockout and its attempt slots on a real PostgreSQL ({@code SELECT ... FOR UPDATE} row locks):
 * {@code ./verbund test} starts one and passes {@code verbund.test.postgres.url}; each test gets a
 * fresh schema.
 */
class PostgresPasswordAttemptTest extends PasswordAttemptTest {
    @Override
    protected JdbcDatabase open() {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        return new JdbcDatabase(pg.newSchema("sec_"), pg.user(), pg.password(), 8, 10_000);
    }
}

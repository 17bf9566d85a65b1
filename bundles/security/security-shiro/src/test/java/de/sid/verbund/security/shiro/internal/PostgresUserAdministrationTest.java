package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.TestPostgres;

/**
 * Role changes and deletions on a real PostgreSQL ({@code FOR UPDATE} of the SID admins, the
 * tokens' {@code ON DELETE CASCADE}): {@code ./verbund test} passes {@code verbund.test.postgres.url};
 * each test gets a fresh schema.
 */
class PostgresUserAdministrationTest extends UserAdministrationTest {
    @Override
    protected JdbcDatabase open() {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        return new JdbcDatabase(pg.newSchema("sec_"), pg.user(), pg.password(), 4, 10_000);
    }
}

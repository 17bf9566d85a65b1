package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.TestPostgres;

/** The hash-chained audit log on a real PostgreSQL (appends from several threads serialised by a row lock). */
class PostgresAuditChainTest extends AuditChainTest {
    @Override
    protected JdbcDatabase open() {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        return new JdbcDatabase(pg.newSchema("sec_"), pg.user(), pg.password(), 12, 10_000);
    }
}

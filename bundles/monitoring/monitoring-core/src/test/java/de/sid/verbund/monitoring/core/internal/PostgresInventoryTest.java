package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.TestPostgres;

/**
 * The inventory on a real PostgreSQL: {@code ./verbund test} starts one and passes
 * {@code verbund.test.postgres.url}; each test gets a fresh schema.
 */
class PostgresInventoryTest extends InventoryTest {
    @Override
    protected JdbcDatabase open() {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        return new JdbcDatabase(pg.newSchema("m_"), pg.user(), pg.password(), 4, 10_000);
    }
}

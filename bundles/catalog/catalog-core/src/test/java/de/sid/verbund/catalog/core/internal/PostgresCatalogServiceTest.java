package de.sid.verbund.catalog.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.TestPostgres;

/**
 * The catalogue on a real PostgreSQL (the shared database of a cluster): {@code ./verbund test}
 * starts one and passes {@code verbund.test.postgres.url}; each test gets a fresh schema.
 */
class PostgresCatalogServiceTest extends CatalogServiceTest {
    @Override
    protected JdbcDatabase open() {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        return new JdbcDatabase(pg.newSchema("cat_"), pg.user(), pg.password(), 8, 10_000);
    }
}

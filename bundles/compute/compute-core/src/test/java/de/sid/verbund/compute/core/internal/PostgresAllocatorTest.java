package de.sid.verbund.compute.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.TestPostgres;

/**
 * The allocator on a real PostgreSQL (the shared database of a cluster): {@code ./verbund test}
 * starts one and passes {@code verbund.test.postgres.url}; each test gets a fresh schema.
 */
class PostgresAllocatorTest extends AllocatorTest {
    @Override
    protected JdbcDatabase open() {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        return new JdbcDatabase(pg.newSchema("c_"), pg.user(), pg.password(), 16, 10_000);
    }
}

package de.sid.verbund.billing.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.TestPostgres;

/** {@link BillingTest} on a real PostgreSQL ({@code ./verbund test} starts one); each test gets a fresh schema. */
class PostgresBillingTest extends BillingTest {
    @Override
    protected JdbcDatabase open() {
        TestPostgres pg = TestPostgres.fromSystemProperties();
        return new JdbcDatabase(pg.newSchema("billing_"), pg.user(), pg.password(), 8, 10_000);
    }
}

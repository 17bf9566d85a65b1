package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;

/** The devices file on a real PostgreSQL ({@code ./verbund test} starts one), as {@link PostgresInventoryTest}. */
class PostgresDevicesFileTest extends DevicesFileTest {
    @Override
    protected JdbcDatabase open() {
        return new PostgresInventoryTest().open();
    }
}

package de.sid.verbund.alarms.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;

/**
 * The alarm lifecycle on a real PostgreSQL: {@code ./verbund test} starts one and passes
 * {@code verbund.test.postgres.url}; each test gets a fresh schema.
 */
class PostgresAlarmServiceTest extends AlarmServiceTest {
    @Override
    protected JdbcDatabase open() {
        return Postgres.open(12);
    }
}

package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;

/**
 * Secrets at rest on a real PostgreSQL (migration V2 widens columns there too): {@code ./verbund
 * test} starts one and passes {@code verbund.test.postgres.url}; each test gets a fresh schema.
 */
class PostgresCredentialSecretsTest extends CredentialSecretsTest {
    @Override
    protected JdbcDatabase open() {
        return new PostgresInventoryTest().open();
    }
}

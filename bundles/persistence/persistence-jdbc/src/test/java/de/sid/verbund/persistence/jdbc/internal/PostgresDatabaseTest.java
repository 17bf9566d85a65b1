package de.sid.verbund.persistence.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the contract against a real PostgreSQL server. {@code ./verbund test} starts one on a
 * loopback port of its own and passes {@code verbund.test.postgres.url}, {@code .user},
 * {@code .password}; each run works in a fresh schema.
 */
class PostgresDatabaseTest extends DatabaseContract {
    private static TestPostgres pg;
    private static final String SCHEMA = "t_" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void createSchema() {
        pg = TestPostgres.fromSystemProperties();
        pg.execute("CREATE SCHEMA " + SCHEMA);
    }

    @AfterAll
    static void dropSchema() {
        if (pg != null) {
            pg.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @Override
    protected JdbcDatabase open() {
        pg.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE", "CREATE SCHEMA " + SCHEMA);
        return new JdbcDatabase(pg.inSchema(SCHEMA), pg.user(), pg.password(), 4, 5000);
    }

    @Test
    void reportsPostgreSql() {
        assertThat(db.product()).isEqualTo("PostgreSQL");
    }
}

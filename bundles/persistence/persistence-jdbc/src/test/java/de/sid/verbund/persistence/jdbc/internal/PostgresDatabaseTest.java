package de.sid.verbund.persistence.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the contract against a real PostgreSQL server. {@code ./verbund test} starts one on a
 * loopback port of its own and passes {@code verbund.test.postgres.url}, {@code .user},
 * {@code .password}; each run works in a fresh schema.
 */
class PostgresDatabaseTest extends DatabaseContract {
    private static String baseUrl;
    private static String user;
    private static String password;
    private static final String SCHEMA = "t_" + Long.toHexString(System.nanoTime());

    @BeforeAll
    static void createSchema() throws SQLException {
        baseUrl = System.getProperty("verbund.test.postgres.url");
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalStateException("PostgreSQL tests need -Dverbund.test.postgres.url (./verbund test starts a server and sets it)");
        }
        user = System.getProperty("verbund.test.postgres.user", "verbund");
        password = System.getProperty("verbund.test.postgres.password", "verbund");
        try (Connection c = DriverManager.getConnection(baseUrl, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + SCHEMA);
        }
    }

    @AfterAll
    static void dropSchema() throws SQLException {
        if (baseUrl != null) {
            try (Connection c = DriverManager.getConnection(baseUrl, user, password); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            }
        }
    }

    @Override
    protected JdbcDatabase open() {
        try (Connection c = DriverManager.getConnection(baseUrl, user, password); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
            s.execute("CREATE SCHEMA " + SCHEMA);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        String sep = baseUrl.contains("?") ? "&" : "?";
        return new JdbcDatabase(baseUrl + sep + "currentSchema=" + SCHEMA, user, password, 4, 5000);
    }

    @Test
    void reportsPostgreSql() {
        assertThat(db.product()).isEqualTo("PostgreSQL");
    }
}

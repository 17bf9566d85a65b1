package de.sid.verbund.alarms.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** A fresh schema on the PostgreSQL that {@code ./verbund test} starts ({@code -Dverbund.test.postgres.url}). */
final class Postgres {
    private Postgres() {
    }

    static JdbcDatabase open(int poolSize) {
        String url = System.getProperty("verbund.test.postgres.url");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("PostgreSQL tests need -Dverbund.test.postgres.url (./verbund test starts a "
                    + "server and sets it)");
        }
        String user = System.getProperty("verbund.test.postgres.user", "verbund");
        String password = System.getProperty("verbund.test.postgres.password", "verbund");
        String schema = "a_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new JdbcDatabase(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password,
                poolSize, 10_000);
    }
}

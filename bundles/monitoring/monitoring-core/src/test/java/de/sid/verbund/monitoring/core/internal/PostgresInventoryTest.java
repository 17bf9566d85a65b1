package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The inventory on a real PostgreSQL: {@code ./verbund test} starts one and passes
 * {@code verbund.test.postgres.url}; each test gets a fresh schema.
 */
class PostgresInventoryTest extends InventoryTest {
    @Override
    protected JdbcDatabase open() {
        String url = System.getProperty("verbund.test.postgres.url");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("PostgreSQL tests need -Dverbund.test.postgres.url (./verbund test starts a server and sets it)");
        }
        String user = System.getProperty("verbund.test.postgres.user", "verbund");
        String password = System.getProperty("verbund.test.postgres.password", "verbund");
        String schema = "m_" + Long.toHexString(System.nanoTime());
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return new JdbcDatabase(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema, user, password, 4, 10_000);
    }
}

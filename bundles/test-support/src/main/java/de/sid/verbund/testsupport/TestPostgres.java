package de.sid.verbund.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL server of a test run, from system properties: {@code verbund.test.postgres.url}
 * (a {@code jdbc:postgresql:} URL, required), {@code verbund.test.postgres.user} and
 * {@code verbund.test.postgres.password} (both {@code verbund} when unset). {@code ./verbund test}
 * starts a server on a loopback port of its own and sets all three.
 *
 * <p>Without the URL the PostgreSQL tests fail rather than skip, so that a build that forgot the
 * server does not pass with them unrun. The caller's test class path must hold the PostgreSQL
 * JDBC driver.
 *
 * @param url the server's JDBC URL, as given
 * @param user the user name
 * @param password the password
 */
public record TestPostgres(String url, String user, String password) {
    /**
     * @return the server named by the system properties
     * @throws IllegalStateException when {@code verbund.test.postgres.url} is unset or blank
     */
    public static TestPostgres fromSystemProperties() {
        String url = System.getProperty("verbund.test.postgres.url");
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("PostgreSQL tests need -Dverbund.test.postgres.url (./verbund test starts a server and sets it)");
        }
        return new TestPostgres(url, System.getProperty("verbund.test.postgres.user", "verbund"),
                System.getProperty("verbund.test.postgres.password", "verbund"));
    }

    /**
     * Creates a schema named {@code prefix} followed by {@link System#nanoTime()} in hex, fresh for
     * the caller.
     *
     * @param prefix the start of the schema name, lower-case letters, digits and {@code _}
     * @return a JDBC URL like {@link #url()} that works in the new schema ({@code currentSchema})
     * @throws IllegalStateException wrapping the {@link SQLException} when the schema cannot be created
     */
    public String newSchema(String prefix) {
        String schema = prefix + Long.toHexString(System.nanoTime());
        execute("CREATE SCHEMA " + schema);
        return inSchema(schema);
    }

    /** @return a JDBC URL like {@link #url()} that works in {@code schema} ({@code currentSchema}) */
    public String inSchema(String schema) {
        return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /**
     * Runs SQL statements, in order, on a connection of their own (DDL such as {@code DROP SCHEMA}).
     *
     * @throws IllegalStateException wrapping the {@link SQLException} of the first statement that fails
     */
    public void execute(String... sql) {
        try (Connection c = DriverManager.getConnection(url, user, password); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

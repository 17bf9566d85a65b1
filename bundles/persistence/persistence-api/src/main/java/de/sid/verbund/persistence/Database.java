package de.sid.verbund.persistence;

import java.sql.Connection;
import javax.sql.DataSource;

/**
 * The platform's relational database: embedded H2 (file) by default, PostgreSQL by
 * configuration. SQL written against it must run on both (H2 runs in PostgreSQL mode with
 * lower-case identifiers).
 */
public interface Database {
    /** @return {@code "H2"} or {@code "PostgreSQL"} */
    String product();

    /** @return the pooled data source (connections must be closed by the caller) */
    DataSource dataSource();

    /**
     * Runs work in a transaction: commits when it returns, rolls back when it throws. A call
     * made while the thread is already inside {@code inTransaction} joins the outer transaction
     * (same connection; the outer call commits).
     *
     * @param work the work, given the transaction's connection (do not close or commit it)
     * @return what the work returned
     * @throws PersistenceException wrapping an {@link java.sql.SQLException} of the work or the
     *         commit; a {@link RuntimeException} of the work is rethrown as it is, after rollback
     */
    <T> T inTransaction(SqlWork<T> work);

    /**
     * Applies an area's schema migrations: the SQL files {@code db/migration/<area>/V<n>__<name>.sql}
     * found through the loader (an area bundle's class loader), in version order, each once,
     * recorded in the area's own history table {@code schema_history_<area>}. Safe to call on
     * every start and from several nodes (the migration library locks the history table).
     *
     * @param area lower-case area name, e.g. {@code security}
     * @param loader class loader that sees the area's migration files
     * @throws PersistenceException when a migration fails (the failed migration is rolled back;
     *         on PostgreSQL DDL is transactional too)
     */
    void migrate(String area, ClassLoader loader);

    /** Work inside a transaction. */
    @FunctionalInterface
    interface SqlWork<T> {
        T execute(Connection connection) throws java.sql.SQLException;
    }
}

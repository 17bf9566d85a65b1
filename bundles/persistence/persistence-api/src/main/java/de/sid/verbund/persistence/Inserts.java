package de.sid.verbund.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;

/** Inserts whose duplicate is an expected outcome, not an error (idempotent consumers, claims). */
public final class Inserts {
    private Inserts() {
    }

    /** An insert to run. */
    @FunctionalInterface
    public interface Insert {
        void run() throws SQLException;
    }

    /**
     * Runs an insert under a savepoint. A unique violation (SQLSTATE
     * {@value PersistenceException#UNIQUE_VIOLATION}) is undone to the savepoint, so the transaction
     * stays usable (PostgreSQL would otherwise abort it), and reported as {@code false}.
     *
     * @param c the transaction's connection
     * @return {@code true} when the row was inserted, {@code false} when it was a duplicate
     * @throws SQLException any other failure of the insert
     */
    public static boolean once(Connection c, Insert insert) throws SQLException {
        Savepoint sp = c.setSavepoint();
        try {
            insert.run();
        } catch (SQLException e) {
            if (PersistenceException.UNIQUE_VIOLATION.equals(e.getSQLState())) {
                c.rollback(sp);
                return false;
            }
            throw e;
        }
        c.releaseSavepoint(sp);
        return true;
    }
}

package de.sid.verbund.persistence;

import java.sql.SQLException;

/** A database operation failed; carries the SQLSTATE of the cause when there is one. */
public class PersistenceException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    /** SQLSTATE of a unique-constraint violation (SQL standard, H2 and PostgreSQL alike). */
    public static final String UNIQUE_VIOLATION = "23505";

    private final String sqlState;

    public PersistenceException(String message, Throwable cause) {
        super(message, cause);
        this.sqlState = findSqlState(cause);
    }

    /** @return the SQLSTATE of the first {@link SQLException} in the cause chain, or {@code null} */
    public String sqlState() {
        return sqlState;
    }

    /** @return whether the failure is a unique-constraint violation (a duplicate key) */
    public boolean isUniqueViolation() {
        return UNIQUE_VIOLATION.equals(sqlState);
    }

    private static String findSqlState(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }
}

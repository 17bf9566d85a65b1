package de.sid.verbund.billing.core.internal;

import de.sid.verbund.persistence.PersistenceException;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * Repeats a transaction that lost a race on a unique key (two consumers of the same event, two
 * nodes creating the same row): the repeat sees the winner's row and does nothing twice.
 */
final class Retry {
    private static final int ATTEMPTS = 3;

    private Retry() {
    }

    static <T> T onUniqueViolation(Supplier<T> transaction) {
        for (int attempt = 1;; attempt++) {
            try {
                return transaction.get();
            } catch (PersistenceException e) {
                if (attempt >= ATTEMPTS || !uniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean uniqueViolation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && de.sid.verbund.persistence.PersistenceException.UNIQUE_VIOLATION.equals(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}

package de.sid.verbund.testsupport;

import de.sid.verbund.persistence.Database;
import de.sid.verbund.persistence.PersistenceException;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * A real {@link Database} that can be made unreachable: while it is down, {@link #inTransaction}
 * and {@link #migrate} throw a {@link PersistenceException} with the message
 * {@code "database unavailable (test): connection refused"}, as a server that refuses
 * connections does; {@link #product()} and {@link #dataSource()} always answer. It starts down.
 *
 * <p>For the one fault a test cannot cause for real on embedded H2: a database that is away when
 * a component starts and comes back later. The caller keeps and closes the real database.
 */
public final class FlakyDatabase implements Database {
    private final Database real;
    private final AtomicBoolean down = new AtomicBoolean(true);

    /** @param real the database to pass work to while it is up */
    public FlakyDatabase(Database real) {
        this.real = real;
    }

    /** From now on, work reaches the real database. */
    public void up() {
        down.set(false);
    }

    @Override
    public String product() {
        return real.product();
    }

    @Override
    public DataSource dataSource() {
        return real.dataSource();
    }

    @Override
    public <T> T inTransaction(SqlWork<T> work) {
        check();
        return real.inTransaction(work);
    }

    @Override
    public void migrate(String area, ClassLoader loader) {
        check();
        real.migrate(area, loader);
    }

    private void check() {
        if (down.get()) {
            throw new PersistenceException("database unavailable (test): connection refused", null);
        }
    }
}

package de.sid.verbund.persistence.jdbc.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.persistence.PersistenceException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database behind {@link Database}: a HikariCP pool over H2 or PostgreSQL, Flyway
 * migrations per area and a thread-bound transaction helper. Plain Java, so tests construct
 * it directly; {@link DatabaseComponent} runs it in OSGi.
 */
public final class JdbcDatabase implements Database, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JdbcDatabase.class);
    private static final Pattern AREA = Pattern.compile("[a-z][a-z0-9_]*");

    private final HikariDataSource pool;
    private final String product;
    private final String displayUrl;
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    /**
     * Areas migrate one at a time: H2 runs DDL outside transactions, and two areas' migrations at
     * once made one fail on H2's system-table lock, leaving a failed entry in its history.
     */
    private final Object migrationLock = new Object();

    /**
     * @param url JDBC URL ({@code jdbc:h2:…} or {@code jdbc:postgresql:…})
     * @throws PersistenceException for an unsupported URL
     */
    public JdbcDatabase(String url, String user, String password, int maxPoolSize, long connectionTimeoutMs) {
        DataSource raw;
        if (url.startsWith("jdbc:h2:")) {
            org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user);
            h2.setPassword(password);
            raw = h2;
            product = "H2";
        } else if (url.startsWith("jdbc:postgresql:")) {
            org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
            pg.setURL(url);
            pg.setUser(user);
            pg.setPassword(password);
            raw = pg;
            product = "PostgreSQL";
        } else {
            throw new PersistenceException("unsupported JDBC URL (jdbc:h2: or jdbc:postgresql: expected): "
                    + sanitize(url), null);
        }
        displayUrl = sanitize(url);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("verbund");
        hc.setDataSource(raw);
        hc.setMaximumPoolSize(maxPoolSize);
        hc.setConnectionTimeout(connectionTimeoutMs);
        // do not fail construction when the server is not up yet: the pool retries, health says DOWN
        hc.setInitializationFailTimeout(-1);
        pool = new HikariDataSource(hc);
    }

    /** The default embedded database: an H2 file under the given directory, in PostgreSQL mode. */
    public static String embeddedH2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve("verbund").resolve("verbund").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=10000"
                // parsed statements kept per connection: with H2's default of 8 the ~20 statements of
                // one VM create re-parsed each other out of the cache (a third of a create's CPU)
                + ";QUERY_CACHE_SIZE=256";
    }

    @Override
    public String product() {
        return product;
    }

    /** @return the URL without credentials, for logs and health */
    public String displayUrl() {
        return displayUrl;
    }

    public int activeConnections() {
        return pool.getHikariPoolMXBean() == null ? 0 : pool.getHikariPoolMXBean().getActiveConnections();
    }

    @Override
    public DataSource dataSource() {
        return pool;
    }

    @Override
    public <T> T inTransaction(SqlWork<T> work) {
        Connection outer = current.get();
        if (outer != null) {
            try {
                return work.execute(outer);
            } catch (SQLException e) {
                throw new PersistenceException("database error: " + e.getMessage(), e);
            }
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                T result = work.execute(c);
                c.commit();
                return result;
            } catch (SQLException e) {
                rollback(c, e);
                throw new PersistenceException("database error: " + e.getMessage(), e);
            } catch (RuntimeException | Error e) {
                rollback(c, e);
                throw e;
            } finally {
                current.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new PersistenceException("database unavailable (" + displayUrl + "): " + e.getMessage(), e);
        }
    }

    private static void rollback(Connection c, Throwable cause) {
        try {
            c.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    @Override
    public void migrate(String area, ClassLoader loader) {
        if (area == null || !AREA.matcher(area).matches()) {
            throw new IllegalArgumentException("area must be lower-case letters, digits, _: " + area);
        }
        synchronized (migrationLock) {
            migrateLocked(area, loader);
        }
    }

    private void migrateLocked(String area, ClassLoader loader) {
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        // Flyway loads its plugins (database support) through the context class loader
        Thread.currentThread().setContextClassLoader(JdbcDatabase.class.getClassLoader());
        try {
            Flyway flyway = Flyway.configure(loader)
                    .dataSource(pool)
                    .locations("classpath:db/migration/" + area)
                    .table("schema_history_" + area.toLowerCase(Locale.ROOT))
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .failOnMissingLocations(true)
                    .load();
            MigrateResult result = flyway.migrate();
            LOG.info("schema {}: {} migration(s) applied, now at version {}", area, result.migrationsExecuted,
                    result.targetSchemaVersion == null ? flyway.info().current().getVersion() : result.targetSchemaVersion);
        } catch (FlywayException e) {
            throw new PersistenceException("schema migration of area " + area + " failed: " + e.getMessage(), e);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Override
    public void close() {
        pool.close();
    }

    static String sanitize(String url) {
        return url.replaceAll("(?i)(password=)[^;&]*", "$1***");
    }
}

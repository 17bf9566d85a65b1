package de.sid.verbund.persistence.jdbc.internal;

import de.sid.verbund.core.Secrets;
import de.sid.verbund.core.health.Health;
import de.sid.verbund.core.health.HealthIndicator;
import de.sid.verbund.persistence.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the {@link Database} service and its {@code database} health check. The pool is
 * created without waiting for the server (a PostgreSQL that is down makes health DOWN, not
 * the activation hang).
 */
@Component(service = {Database.class, HealthIndicator.class}, configurationPid = PersistenceConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = PersistenceConfig.class)
public class DatabaseComponent implements Database, HealthIndicator {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseComponent.class);

    private final JdbcDatabase db;

    @Activate
    public DatabaseComponent(PersistenceConfig config) {
        if (config.url().isBlank()) {
            // the embedded default is private to this node: fixed credentials, whatever is configured
            db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(Path.of(System.getProperty("karaf.data", "data"))),
                    "verbund", "", config.pool_max_size(), config.connection_timeout_ms());
        } else {
            db = new JdbcDatabase(config.url().trim(), config.user(), Secrets.resolve(config.password(), config.password_env()),
                    config.pool_max_size(), config.connection_timeout_ms());
        }
        LOG.info("database {} at {}", db.product(), db.displayUrl());
    }

    @Deactivate
    void deactivate() {
        db.close();
    }

    @Override
    public String product() {
        return db.product();
    }

    @Override
    public DataSource dataSource() {
        return db.dataSource();
    }

    @Override
    public <T> T inTransaction(SqlWork<T> work) {
        return db.inTransaction(work);
    }

    @Override
    public void migrate(String area, ClassLoader loader) {
        db.migrate(area, loader);
    }

    @Override
    public String name() {
        return "database";
    }

    @Override
    public Health check() {
        long t0 = System.nanoTime();
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.setQueryTimeout(2);
            s.execute("SELECT 1");
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("product", db.product());
            d.put("url", db.displayUrl());
            d.put("latencyMs", (System.nanoTime() - t0) / 1_000_000);
            d.put("activeConnections", db.activeConnections());
            return Health.up(d);
        } catch (Exception e) {
            return Health.down(db.product() + " at " + db.displayUrl() + ": " + e.getMessage());
        }
    }
}

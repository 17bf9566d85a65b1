package de.sid.verbund.security.shiro.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.persistence.PersistenceException;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that is unreachable when the component starts: the component still activates,
 * answers 503, and becomes usable by itself once the database is back. The outage is injected
 * (a real server cannot be made to refuse and then accept within a unit test).
 */
class SchemaRetryTest {
    @TempDir
    Path dir;

    @Test
    void activationDoesNotFailAndTheStoreComesUpWhenTheDatabaseDoes() {
        AtomicBoolean down = new AtomicBoolean(true);
        try (JdbcDatabase real = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 2000)) {
            Database flaky = new Database() {
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
            };
            ShiroSecurity security = new ShiroSecurity(flaky, Configs.of(SecurityConfig.class, "bcrypt_cost", 4));
            try {
                assertThatThrownBy(() -> security.authenticate(ShiroSecurityTest.basic("admin", "admin")))
                        .isInstanceOfSatisfying(ProblemException.class,
                                e -> assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE));
                assertThat(security.check().status()).isEqualTo(de.sid.verbund.core.health.HealthStatus.DOWN);
                down.set(false);
                Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                        .until(() -> security.authenticate(ShiroSecurityTest.basic("admin", "admin")).isAuthenticated());
                assertThat(security.check().status()).isEqualTo(de.sid.verbund.core.health.HealthStatus.UP);
            } finally {
                security.deactivate();
            }
        }
    }
}

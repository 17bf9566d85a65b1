package de.sid.verbund.security.shiro.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.FlakyDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that is unreachable when the component starts: the component still activates,
 * answers 503, and becomes usable by itself once the database is back. The outage is injected
 * with {@link FlakyDatabase} (a real server cannot be made to refuse and then accept within a unit test).
 */
class SchemaRetryTest {
    @TempDir
    Path dir;

    @Test
    void activationDoesNotFailAndTheStoreComesUpWhenTheDatabaseDoes() {
        try (JdbcDatabase real = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 2000)) {
            FlakyDatabase flaky = new FlakyDatabase(real);
            ShiroSecurity security = new ShiroSecurity(flaky, Configs.of(SecurityConfig.class, "bcrypt_cost", 4));
            try {
                assertThatThrownBy(() -> security.authenticate(ShiroSecurityTest.basic("admin", "admin")))
                        .isInstanceOfSatisfying(ProblemException.class,
                                e -> assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE));
                assertThat(security.check().status()).isEqualTo(de.sid.verbund.core.health.HealthStatus.DOWN);
                flaky.up();
                Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                        .until(() -> security.authenticate(ShiroSecurityTest.basic("admin", "admin")).isAuthenticated());
                assertThat(security.check().status()).isEqualTo(de.sid.verbund.core.health.HealthStatus.UP);
            } finally {
                security.deactivate();
            }
        }
    }
}

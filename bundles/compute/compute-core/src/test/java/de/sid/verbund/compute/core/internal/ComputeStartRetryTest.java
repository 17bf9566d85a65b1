package de.sid.verbund.compute.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.core.health.HealthStatus;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.FlakyDatabase;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database that is down when the node starts delays compute instead of failing it for good.
 * The outage is simulated by {@link FlakyDatabase} (a refused connection cannot be caused on embedded H2).
 */
class ComputeStartRetryTest {
    @TempDir
    Path dir;

    @Test
    void computeAnswers503WhileTheDatabaseIsDownAndComesUpWhenItIsBack() {
        try (JdbcDatabase real = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 2000)) {
            FlakyDatabase flaky = new FlakyDatabase(real);
            Outbox noEvents = (c, topic, e) -> {
                throw new AssertionError("no events expected: " + e);
            };
            ComputeComponent compute = new ComputeComponent(flaky, noEvents, Configs.of(ComputeConfig.class));
            try {
                assertThat(compute.isReady()).isFalse();
                assertThatThrownBy(compute::hosts).isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.type()).isEqualTo(ProblemType.UNAVAILABLE));
                assertThat(compute.check().status()).isEqualTo(HealthStatus.DOWN);
                assertThat(compute.check().details().get("error")).asString().contains("connection refused");

                flaky.up();
                await().atMost(Duration.ofSeconds(20)).until(compute::isReady);
                assertThat(compute.hosts()).isEmpty();
                assertThat(compute.check().status()).isEqualTo(HealthStatus.UP);
            } finally {
                compute.deactivate();
            }
        }
    }
}

package de.sid.verbund.billing.core.internal;

import static de.sid.verbund.billing.core.internal.BillingTest.A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.cluster.ClusterMember;
import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.messaging.artemis.internal.ArtemisMessagingComponent;
import de.sid.verbund.messaging.artemis.internal.MessagingConfig;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.FakeCluster;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monthly run follows its job's ownership at once: a member that becomes the owner of
 * {@code singleton:billing.monthly-run} (its owner died) checks the run then, not at its next
 * check an hour later, so a month its dead owner left open is closed within seconds (issue #7).
 */
class MonthlyRunOwnershipTest {
    private static final String JOB_KEY = ClusterService.SINGLETON_KEY_PREFIX + BillingComponent.MONTHLY_RUN_JOB;

    @TempDir
    Path dir;
    JdbcDatabase db;
    ArtemisMessagingComponent bus;
    BillingComponent node;

    @AfterEach
    void tearDown() throws Exception {
        if (node != null) {
            node.deactivate();
        }
        if (bus != null) {
            Method m = ArtemisMessagingComponent.class.getDeclaredMethod("deactivate");
            m.setAccessible(true);
            m.invoke(bus);
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theNewOwnerOfTheMonthlyRunRunsItAtOnce() throws Exception {
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir.resolve("db")), "verbund", "", 8, 10_000);
        bus = new ArtemisMessagingComponent(Configs.of(MessagingConfig.class, "journal_directory",
                dir.resolve("journal").toString(), "tcp_port", 0));
        TestAuthorities authorities = new TestAuthorities();
        authorities.add(A, "Landesamt A", BillingMode.INVOICE, true);
        FakeCluster cluster = new FakeCluster(List.of(new ClusterMember("node-1", "127.0.0.1:5701", true),
                new ClusterMember("node-2", "127.0.0.1:5702", false))).minClusterSize(1).own(JOB_KEY, "node-2");
        // checks every hour (the default): only the ownership change can make it run within the test
        node = new BillingComponent(db, bus, Configs.of(BillingConfig.class, "demo_price_sheet", false, "run_check_s", 3600L));
        node.setAuthorityService(authorities);
        node.setCluster(cluster);
        await().atMost(Duration.ofSeconds(30)).until(node::isReady);
        // its first check (a second after the start) found the job another member's
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> true);
        assertThat(runs()).as("runs while node-2 owns the job").isZero();

        // node-2 dies: the job is node-1's now
        cluster.own(JOB_KEY, "node-1").members(List.of(new ClusterMember("node-1", "127.0.0.1:5701", true)));

        await().atMost(Duration.ofSeconds(30)).until(() -> runs() == 1);
        // another change does not run the month again
        cluster.members(List.of(new ClusterMember("node-1", "127.0.0.1:5701", true),
                new ClusterMember("node-3", "127.0.0.1:5703", false)));
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(runs()).isEqualTo(1);
    }

    private int runs() throws Exception {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM billing_run")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}

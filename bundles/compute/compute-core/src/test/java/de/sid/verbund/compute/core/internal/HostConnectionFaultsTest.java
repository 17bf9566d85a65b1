package de.sid.verbund.compute.core.internal;

import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitHost;
import static de.sid.verbund.compute.core.internal.ComputeFixture.testDriverUri;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host connection keeps being retried when something fails half-way through connecting or
 * through reporting a lost connection; it never ends up stuck without a connection, or with one
 * that the host's state does not show. Embedded H2 (with a short lock timeout), a real Artemis
 * broker and libvirt's test driver (a node file: each connection a fresh hypervisor, which is
 * all these tests need).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HostConnectionFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @RegisterExtension
    static final ComputeFixture fixture = new ComputeFixture();

    @TempDir
    Path dir;
    private final String kvm4Uri = testDriverUri("kvm4.xml");
    private JdbcDatabase db;
    private ComputeServiceImpl compute;
    private TestDriverProvider provider;

    @BeforeEach
    void setUp() {
        provider = new TestDriverProvider(fixture.libvirt());
        // a lock wait fails after 200 ms instead of 10 s, so a held host row is a quick, real database error
        db = fixture.database(JdbcDatabase.embeddedH2Url(dir).replace("LOCK_TIMEOUT=10000", "LOCK_TIMEOUT=200"));
        compute = fixture.service(db, provider, Configs.of(ComputeConfig.class, "keepalive_check_s", 1L));
    }

    @Test
    void aDatabaseErrorWhileALostConnectionIsRecordedDoesNotStopTheReconnect() throws Exception {
        Host host = awaitEnabled(compute.registerHost(new NewHost("kvm-1", kvm4Uri, "ber-1", null, null, null)).id());

        // another transaction holds the host's row (as a long placement would): recording the host DOWN fails
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM compute_host WHERE id = ? FOR UPDATE")) {
                ps.setString(1, host.id());
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            }
            locked.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();
        try {
            provider.latest(kvm4Uri).close();
            await("connection dropped").atMost(WAIT).until(() -> !compute.isConnected(host.id()));
            // the keepalive check has dropped it and is now failing to record that (200 ms lock timeout);
            // hold on well past that before letting go (if this were too short the test would pass, never fail)
            Thread.sleep(2000);
        } finally {
            release.countDown();
            holder.get(10, TimeUnit.SECONDS);
        }

        awaitReconnected(host.id());
        // and the keepalive check still runs: a second drop is noticed and repaired too
        int before = provider.connections(kvm4Uri);
        provider.latest(kvm4Uri).close();
        await("new connection").atMost(WAIT).until(() -> provider.connections(kvm4Uri) > before);
        awaitReconnected(host.id());
    }

    @Test
    void aConnectionThatFailsRightAfterConnectingIsClosedAndTheHostRetried() {
        provider.failNextCapacity();

        Host host = awaitEnabled(compute.registerHost(new NewHost("kvm-1", kvm4Uri, "ber-1", null, null, null)).id());

        assertThat(host.cpuCores()).isEqualTo(4);
        assertThat(provider.connections(kvm4Uri)).isEqualTo(2);
        assertThat(compute.isConnected(host.id())).isTrue();
        assertThat(provider.handedOut(kvm4Uri).get(0).isAlive()).as("the failed connection is closed").isFalse();
        assertThat(provider.latest(kvm4Uri).isAlive()).isTrue();
    }

    /** Connected and ENABLED through the last connection handed out, every earlier one closed, for a while. */
    private void awaitReconnected(String hostId) {
        await("reconnected").atMost(WAIT).during(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(compute.isConnected(hostId)).isTrue();
            assertThat(compute.host(hostId).orElseThrow().state()).isEqualTo(HostState.ENABLED);
            List<HypervisorConnection> all = provider.handedOut(kvm4Uri);
            assertThat(all.get(all.size() - 1).isAlive()).as("the last connection").isTrue();
            assertThat(all.subList(0, all.size() - 1)).as("earlier connections").noneMatch(HypervisorConnection::isAlive);
        });
    }

    @Test
    void hostStatsAreReadFromEachConnectedHostAndAHostWithoutConnectionSaysWhy() {
        Host up = awaitEnabled(compute.registerHost(new NewHost("kvm-1", kvm4Uri, "ber-1", null, null, null)).id());
        provider.refuseFor(Duration.ofMinutes(5));
        Host down = compute.registerHost(new NewHost("kvm-2", "test:///default", "ber-1", null, null, null));

        var readings = compute.readHostStats();

        assertThat(readings).extracting(r -> r.host().name()).containsExactly("kvm-1", "kvm-2");
        assertThat(readings.get(0).problem()).isNull();
        assertThat(readings.get(0).host().id()).isEqualTo(up.id());
        assertThat(readings.get(0).stats().cpus()).isGreaterThanOrEqualTo(up.cpuCores()); // logical CPUs count threads
        assertThat(readings.get(0).stats().memoryBytes()).isEqualTo(up.ramMib() * 1024 * 1024);
        assertThat(readings.get(0).stats().runningDomains()).isZero();
        assertThat(readings.get(1).host().id()).isEqualTo(down.id());
        assertThat(readings.get(1).stats()).isNull();
        assertThat(readings.get(1).problem()).contains("kvm-2", "not connected");
    }

    private Host awaitEnabled(String hostId) {
        return awaitHost(compute, hostId, HostState.ENABLED, WAIT);
    }
}

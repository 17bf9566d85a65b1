package de.sid.verbund.monitoring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The poll-slot fence on H2 ({@link PostgresPollLeasesTest}: the same on PostgreSQL). */
class PollLeasesTest {
    @TempDir
    Path dir;
    JdbcDatabase db;
    Inventory inventory;
    Credential credential;

    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir.resolve("db")), "verbund", "", 8, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        db.migrate("monitoring", Inventory.class.getClassLoader());
        inventory = new Inventory(db);
        credential = inventory.createCredential(new NewCredential("public", "v2c", "public", null, null, null, null, null));
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private int nextPort = 1000;

    private Device device(String name) {
        return inventory.createDevice(new NewDevice(name, "127.0.0.1", nextPort++, "dc1", "switch", 10, List.of(), credential.id()));
    }

    @Test
    void eachSlotIsClaimedOnceAndOnlyByTheHolderWhileItsLeaseRuns() {
        Device d = device("sw-1");
        PollLeases a = new PollLeases(db, "node-a", 2);
        PollLeases b = new PollLeases(db, "node-b", 2);

        assertThat(a.claim(d.id(), 100, 10_000)).isEqualTo(PollLeases.Claim.CLAIMED);
        assertThat(a.claim(d.id(), 100, 10_000)).as("a slot once").isEqualTo(PollLeases.Claim.SLOT_TAKEN);
        assertThat(b.claim(d.id(), 100, 10_000)).isEqualTo(PollLeases.Claim.SLOT_TAKEN);
        assertThat(b.claim(d.id(), 101, 10_000)).as("a's lease runs").isEqualTo(PollLeases.Claim.HELD_ELSEWHERE);
        assertThat(a.claim(d.id(), 101, 10_000)).isEqualTo(PollLeases.Claim.CLAIMED);
        assertThat(a.claim(d.id(), 99, 10_000)).as("never backwards").isEqualTo(PollLeases.Claim.SLOT_TAKEN);
        // another interval: its slots are numbered anew
        assertThat(a.claim(d.id(), 5, 60_000)).isEqualTo(PollLeases.Claim.CLAIMED);

        // renewed while a runs: b stays out for longer than one lease
        long until = System.nanoTime() + Duration.ofMillis(3500).toNanos();
        while (System.nanoTime() < until) {
            assertThat(a.renew(List.of(d.id()))).isEqualTo(1);
            assertThat(b.claim(d.id(), 6, 60_000)).isEqualTo(PollLeases.Claim.HELD_ELSEWHERE);
            sleep(300);
        }
        // a stops renewing (paused or dead): b takes over once the lease expired, and a's renewal is void after
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> b.claim(d.id(), 6, 60_000) == PollLeases.Claim.CLAIMED);
        assertThat(a.renew(List.of(d.id()))).isZero();
        assertThat(a.claim(d.id(), 7, 60_000)).isEqualTo(PollLeases.Claim.HELD_ELSEWHERE);

        // a graceful hand-over: released, the other claims at once
        b.release(d.id());
        assertThat(a.claim(d.id(), 7, 60_000)).isEqualTo(PollLeases.Claim.CLAIMED);
        // a poller that stops ends all its leases at once
        a.releaseAll();
        assertThat(b.claim(d.id(), 8, 60_000)).isEqualTo(PollLeases.Claim.CLAIMED);
    }

    @Test
    void aNewOwnerTakesTheLeaseAtOnceSoAStaleOwnerCannotClaimTheNextSlot() {
        Device d = device("sw-2");
        PollLeases stale = new PollLeases(db, "stale", 1);
        PollLeases owner = new PollLeases(db, "owner", 3);
        assertThat(stale.claim(d.id(), 10, 10_000)).isEqualTo(PollLeases.Claim.CLAIMED);
        assertThat(owner.take(d.id(), 10_000)).as("the stale node's lease runs").isFalse();
        // the stale node pauses: its lease expires, and the new owner takes it before the device's next slot
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> owner.take(d.id(), 10_000));
        assertThat(stale.claim(d.id(), 11, 10_000)).isEqualTo(PollLeases.Claim.HELD_ELSEWHERE);
        assertThat(stale.renew(List.of(d.id()))).isZero();
        assertThat(owner.claim(d.id(), 11, 10_000)).isEqualTo(PollLeases.Claim.CLAIMED);

        // a device never polled: taking makes its row, with no slot claimed yet
        Device fresh = device("sw-3");
        assertThat(owner.take(fresh.id(), 10_000)).isTrue();
        assertThat(stale.take(fresh.id(), 10_000)).isFalse();
        assertThat(owner.claim(fresh.id(), 1, 10_000)).isEqualTo(PollLeases.Claim.CLAIMED);
    }

    @Test
    void onlyTheLeasesOfDevicesTheNodePollsAreRenewed() {
        Device polled = device("sw-polled");
        Device handedOver = device("sw-handed-over");
        PollLeases a = new PollLeases(db, "node-a", 1);
        PollLeases b = new PollLeases(db, "node-b", 3);
        // a claimed both (the second in a race with handing it over to b); it polls only the first now
        assertThat(a.claim(polled.id(), 1, 10_000)).isEqualTo(PollLeases.Claim.CLAIMED);
        assertThat(a.claim(handedOver.id(), 1, 10_000)).isEqualTo(PollLeases.Claim.CLAIMED);
        assertThat(b.take(handedOver.id(), 10_000)).as("a's lease runs").isFalse();
        // a keeps renewing what it polls; the other lease expires, and b takes it
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertThat(a.renew(List.of(polled.id()))).isEqualTo(1);
            return b.take(handedOver.id(), 10_000);
        });
        assertThat(b.claim(handedOver.id(), 2, 10_000)).isEqualTo(PollLeases.Claim.CLAIMED);
        assertThat(b.take(polled.id(), 10_000)).as("a still holds what it polls").isFalse();
    }

    @Test
    void nodesRacingForTheSameSlotGetItOnce() throws Exception {
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            devices.add(device("race-" + i));
        }
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            for (long slot = 1; slot <= 3; slot++) {
                List<Future<PollLeases.Claim>> results = new ArrayList<>();
                for (Device d : devices) {
                    for (int n = 0; n < 3; n++) {
                        PollLeases node = new PollLeases(db, "node-" + n, 1);
                        long s = slot;
                        Callable<PollLeases.Claim> claim = () -> node.claim(d.id(), s, 10_000);
                        results.add(pool.submit(claim));
                    }
                }
                long claimed = 0;
                for (Future<PollLeases.Claim> f : results) {
                    if (f.get() == PollLeases.Claim.CLAIMED) {
                        claimed++;
                    }
                }
                assertThat(claimed).as("slot %d: one claim per device", slot).isEqualTo(devices.size());
                sleep(1100); // the leases expire: the next slot is open to every node again
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void deletingTheDeviceDeletesItsLease() {
        Device d = device("gone");
        PollLeases a = new PollLeases(db, "node-a", 3);
        assertThat(a.claim(d.id(), 1, 10_000)).isEqualTo(PollLeases.Claim.CLAIMED);
        inventory.deleteDevice(d.id());
        assertThat(a.renew(List.of(d.id()))).isZero();
        assertThat(a.claim(d.id(), 2, 10_000)).as("no row, and none can be made").isEqualTo(PollLeases.Claim.SLOT_TAKEN);
    }

    /**
     * What the fence costs: a cluster of 300 devices polled every 10 s makes 30 claims a second
     * plus one renewal a second per node. Printed, not asserted (the machine is shared).
     */
    @Test
    void costOfClaimsFor300Devices() {
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            devices.add(device("cost-" + i));
        }
        PollLeases a = new PollLeases(db, "node-a", 3);
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            for (Device d : devices) {
                assertThat(a.claim(d.id(), 1000 + round, 10_000)).isEqualTo(PollLeases.Claim.CLAIMED);
            }
            long claims = System.nanoTime() - t0;
            t0 = System.nanoTime();
            int renewed = a.renew(devices.stream().map(Device::id).toList());
            long renew = System.nanoTime() - t0;
            assertThat(renewed).isEqualTo(300);
            System.out.printf("poll leases on %s, round %d: 300 claims %.1f ms (%.2f ms each), renewing 300 leases %.1f ms%n",
                    db.product(), round, claims / 1e6, claims / 300 / 1e6, renew / 1e6);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

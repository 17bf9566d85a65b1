package de.sid.verbund.benchmarks;

import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.core.internal.ComputeConfig;
import de.sid.verbund.compute.core.internal.ComputeServiceImpl;
import de.sid.verbund.core.Page;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What {@code GET /api/vms} costs in the database with 25,000 VMs (10 hosts, 100 tenants, mixed
 * states) on the embedded H2: one page of 50, unfiltered, by tenant, by host and state, and a
 * page deep in the list through the keyset cursor. The REST and JSON layers add to this.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class VmListBenchmark {
    static final int VMS = 25_000;

    private Path dir;
    private JdbcDatabase db;
    private ComputeServiceImpl compute;
    private String tenant;
    private String host;
    private String deepCursor;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("verbund-vmlist");
        // H2 would otherwise hand back the cached result of an identical query on unchanged tables
        db = new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir) + ";OPTIMIZE_REUSE_RESULTS=FALSE", "verbund", "", 4, 5000);
        // listing stores no events
        Outbox noOutbox = (c, topic, e) -> {
            throw new IllegalStateException("no events expected");
        };
        compute = new ComputeServiceImpl(db, noOutbox, uri -> Optional.empty(), Configs.of(ComputeConfig.class));
        String[] hosts = new String[10];
        String[] tenants = new String[100];
        for (int i = 0; i < tenants.length; i++) {
            tenants[i] = UUID.randomUUID().toString();
        }
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO compute_host (id, name, uri, site, cpu_cores, ram_mib, "
                    + "cpu_overcommit, ram_overcommit, ram_reserve_mib, state, maintenance, created_at) "
                    + "VALUES (?, ?, 'test:///default', 'ber-1', 64, 524288, 4.0, 1.0, 4096, 'ENABLED', FALSE, ?)")) {
                for (int i = 0; i < hosts.length; i++) {
                    hosts[i] = UUID.randomUUID().toString();
                    ps.setString(1, hosts[i]);
                    ps.setString(2, "kvm-" + i);
                    ps.setObject(3, OffsetDateTime.now(ZoneOffset.UTC));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            VmState[] states = {VmState.RUNNING, VmState.RUNNING, VmState.RUNNING, VmState.STOPPED, VmState.DELETED};
            OffsetDateTime t0 = OffsetDateTime.now(ZoneOffset.UTC).minusDays(30);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO compute_vm (id, name, tenant_id, host_id, state, vcpu, "
                    + "ram_mib, disk_gib, created_at) VALUES (?, ?, ?, ?, ?, 2, 4096, 20, ?)")) {
                for (int i = 0; i < VMS; i++) {
                    ps.setString(1, UUID.randomUUID().toString());
                    ps.setString(2, "vm-" + i);
                    ps.setString(3, tenants[i % tenants.length]);
                    ps.setString(4, hosts[i % hosts.length]);
                    ps.setString(5, states[i % states.length].name());
                    ps.setObject(6, t0.plusSeconds(i * 60L));
                    ps.addBatch();
                    if (i % 1000 == 999) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            return null;
        });
        tenant = tenants[7];
        host = hosts[3];
        String cursor = null;
        for (int i = 0; i < 200; i++) {
            cursor = compute.vms(new VmFilter(null, null, null), 50, cursor).nextCursor();
        }
        deepCursor = cursor;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        compute.close();
        db.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public Page<Vm> firstPageUnfiltered() {
        return compute.vms(new VmFilter(null, null, null), 50, null);
    }

    @Benchmark
    public Page<Vm> firstPageOfOneTenant() {
        return compute.vms(new VmFilter(tenant, null, null), 50, null);
    }

    @Benchmark
    public Page<Vm> stoppedOnOneHost() {
        return compute.vms(new VmFilter(null, host, VmState.STOPPED), 50, null);
    }

    @Benchmark
    public Page<Vm> pageTwoHundredByCursor() {
        return compute.vms(new VmFilter(null, null, null), 50, deepCursor);
    }
}

package de.sid.verbund.compute.core.internal;

import static de.sid.verbund.compute.core.internal.ComputeFixture.awaitHost;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.HostState;
import de.sid.verbund.compute.NewHost;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.compute.spi.DomainSpec;
import de.sid.verbund.compute.spi.DomainState;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Ids;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.LibvirtDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.Connect;

/**
 * Cold migration through the service between two real libvirt daemons ({@link LibvirtDaemon}:
 * two {@code libvirtd} processes in session mode, each with a {@code dir} storage pool of the
 * configured name), so the disk's bytes really move: the VM is recorded on the new host, its
 * volume there has the old volume's SHA-256, and the old host has neither domain nor volume.
 * The domain is a real qemu domain, adopted as a VM (Verbund's create would start it, and no
 * guest is run here).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DiskCopyMigrationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String POOL = "default-pool";

    @RegisterExtension
    static final ComputeFixture fixture = new ComputeFixture();

    @TempDir
    Path dir;
    private LibvirtDaemon hostA;
    private LibvirtDaemon hostB;
    private ComputeServiceImpl compute;
    private List<DomainEvent> events;
    private final String tenant = Ids.newId();

    @BeforeEach
    void setUp() throws Exception {
        hostA = LibvirtDaemon.start(dir.resolve("a"));
        hostB = LibvirtDaemon.start(dir.resolve("b"));
        for (LibvirtDaemon d : List.of(hostA, hostB)) {
            Connect c = new Connect(d.uri());
            try {
                c.storagePoolCreateXML("<pool type='dir'><name>" + POOL + "</name><target><path>"
                        + d.poolDirectory(POOL) + "</path></target></pool>", 0);
            } finally {
                c.close();
            }
        }
        events = fixture.events("disk-copy-test", e -> tenant.equals(e.tenantId()));
        compute = fixture.service(fixture.database(dir.resolve("db")), new TestDriverProvider(fixture.libvirt()),
                Configs.of(ComputeConfig.class, "keepalive_check_s", 1L, "storage_pool", POOL));
    }

    @AfterEach
    void tearDown() {
        compute.close();
        hostA.close();
        hostB.close();
    }

    @Test
    void stoppedVmMovesWithItsDiskBytesToAnotherRealHost() throws Exception {
        Host a = awaitHost(compute, compute.registerHost(new NewHost("kvm-a", hostA.uri(), "ber-1", null, null, null))
                .id(), HostState.ENABLED, WAIT);
        Host b = awaitHost(compute, compute.registerHost(new NewHost("kvm-b", hostB.uri(), "ber-1", null, null, null))
                .id(), HostState.ENABLED, WAIT);
        String uuid = UUID.randomUUID().toString();
        try (HypervisorConnection c = fixture.libvirt().connect(hostA.uri())) {
            c.define(new DomainSpec(uuid, "web-1", 1, 256, 1, null, POOL, "default"));
        }
        Path diskA = hostA.dir().resolve("pools").resolve(POOL).resolve("web-1.qcow2");
        LibvirtDaemon.writeQcow2(diskA, 8 << 20, "1G");
        String sha = LibvirtDaemon.sha256(diskA);
        Vm vm = compute.adoptDomain(a.id(), uuid, tenant, "web-1");
        assertThat(vm.state()).isEqualTo(VmState.STOPPED);

        Vm moved = compute.migrate(vm.id(), b.id());

        assertThat(moved.hostId()).isEqualTo(b.id());
        assertThat(compute.vm(vm.id())).contains(moved);
        Path diskB = hostB.dir().resolve("pools").resolve(POOL).resolve("web-1.qcow2");
        assertThat(LibvirtDaemon.sha256(diskB)).as("the disk's bytes arrived").isEqualTo(sha);
        assertThat(diskA).as("the old volume is deleted").doesNotExist();
        try (HypervisorConnection ca = fixture.libvirt().connect(hostA.uri());
                HypervisorConnection cb = fixture.libvirt().connect(hostB.uri())) {
            assertThat(ca.domain(uuid)).isEmpty();
            assertThat(cb.domain(uuid).orElseThrow().state()).isEqualTo(DomainState.SHUTOFF);
        }
        assertThat(compute.unmanagedDomains(a.id())).isEmpty();
        assertThat(compute.unmanagedDomains(b.id())).isEmpty();
        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.type().equals("vm.migrated")));
        assertThat(Files.size(diskB)).isGreaterThan(8 << 20);
    }
}

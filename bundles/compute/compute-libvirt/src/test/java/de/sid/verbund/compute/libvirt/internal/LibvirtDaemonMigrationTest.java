package de.sid.verbund.compute.libvirt.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.sid.verbund.compute.spi.ComputeException;
import de.sid.verbund.compute.spi.ComputeException.Kind;
import de.sid.verbund.compute.spi.DomainExport;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.DomainSpec;
import de.sid.verbund.compute.spi.DomainState;
import de.sid.verbund.testsupport.Configs;
import de.sid.verbund.testsupport.LibvirtDaemon;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;

/**
 * Cold migration of a domain with its disk content between two real libvirt daemons: two
 * {@code libvirtd} processes in session mode ({@link LibvirtDaemon}), each with a {@code dir}
 * storage pool {@value #POOL}, stand for two hosts. Domains are real qemu domains (defined, never
 * started: qemu's binary is probed, no guest runs). The volume travels through libvirt's volume
 * download and upload streams ({@link VolumeStreams}); the test compares the two volume files
 * byte for byte (SHA-256).
 *
 * <p>The first test copies {@code -Dverbund.test.copy.mib} MiB of random data (default 24) and
 * prints the copy's rate, e.g. {@code mvn -o -pl bundles/compute/compute-libvirt -am verify
 * -Dtest=LibvirtDaemonMigrationTest#domainArrivesOnTheOtherHostWithTheSameDiskBytes
 * -Dsurefire.failIfNoSpecifiedTests=false -Dverbund.test.copy.mib=256}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LibvirtDaemonMigrationTest {
    private static final String POOL = "vms";

    @TempDir
    static Path dir;
    private static LibvirtDaemon hostA;
    private static LibvirtDaemon hostB;
    private static LibvirtProvider provider;

    private LibvirtConnection source;
    private LibvirtConnection target;

    @BeforeAll
    static void startDaemons() throws Exception {
        hostA = LibvirtDaemon.start(dir.resolve("a"));
        hostB = LibvirtDaemon.start(dir.resolve("b"));
        provider = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
        for (LibvirtDaemon d : List.of(hostA, hostB)) {
            try (LibvirtConnection c = (LibvirtConnection) provider.connect(d.uri())) {
                c.libvirt().storagePoolCreateXML("<pool type='dir'><name>" + POOL + "</name><target><path>"
                        + d.poolDirectory(POOL) + "</path></target></pool>", 0);
            }
        }
    }

    @AfterAll
    static void stopDaemons() {
        if (provider != null) {
            provider.deactivate();
        }
        if (hostA != null) {
            hostA.close();
        }
        if (hostB != null) {
            hostB.close();
        }
    }

    @BeforeEach
    void connect() {
        source = (LibvirtConnection) provider.connect(hostA.uri());
        target = (LibvirtConnection) provider.connect(hostB.uri());
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (LibvirtConnection c : List.of(source, target)) {
            for (DomainInfo d : c.domains()) {
                c.undefine(d.uuid(), true);
            }
            StoragePool pool = c.libvirt().storagePoolLookupByName(POOL);
            pool.refresh(0);
            for (String v : pool.listVolumes()) {
                pool.storageVolLookupByName(v).delete(0);
            }
            c.close();
        }
        assertThat(provider.openConnections()).as("the copy's own connection to the source is closed").isZero();
    }

    @Test
    void domainArrivesOnTheOtherHostWithTheSameDiskBytes() throws Exception {
        String uuid = UUID.randomUUID().toString();
        source.define(new DomainSpec(uuid, "web-1", 1, 256, 1, null, POOL, "default"));
        Path disk = hostA.dir().resolve("pools").resolve(POOL).resolve("web-1.qcow2");
        int mib = Integer.getInteger("verbund.test.copy.mib", 24);
        LibvirtDaemon.writeQcow2(disk, mib << 20, "1G");
        String sha = LibvirtDaemon.sha256(disk);

        DomainExport export = source.exportDomain(uuid);

        assertThat(export.sourceUri()).isEqualTo(hostA.uri());
        assertThat(export.contentBytes()).isEqualTo(Files.size(disk)).isGreaterThan((long) mib << 20);
        assertThat(export.format()).isEqualTo("qcow2");
        assertThat(export.capacityBytes()).isEqualTo(1L << 30);

        long started = System.nanoTime();
        DomainInfo imported = target.importDomain(export);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "import of a domain with a %d-byte volume between two libvirtd: "
                + "%.2f s, %.0f MiB/s%n", export.contentBytes(), seconds, export.contentBytes() / seconds / (1 << 20));

        assertThat(imported).isEqualTo(new DomainInfo(uuid, "web-1", DomainState.SHUTOFF, 1, 256));
        Path copy = hostB.dir().resolve("pools").resolve(POOL).resolve("web-1.qcow2");
        assertThat(Files.size(copy)).isEqualTo(Files.size(disk));
        assertThat(LibvirtDaemon.sha256(copy)).as("the target volume holds the source's bytes").isEqualTo(sha);
        StorageVol volume = target.libvirt().storagePoolLookupByName(POOL).storageVolLookupByName("web-1.qcow2");
        assertThat(volume.getInfo().capacity).isEqualTo(1L << 30);
        assertThat(LibvirtXml.volumeFormat(volume.getXMLDesc(0))).contains("qcow2");
        assertThat(LibvirtXml.firstMac(target.domainXml(uuid))).isEqualTo(LibvirtXml.firstMac(source.domainXml(uuid)));
        // the source is only read: the service removes it after recording the move
        assertThat(source.domain(uuid)).isPresent();
        assertThat(LibvirtDaemon.sha256(disk)).isEqualTo(sha);
    }

    @Test
    void aCopyThatFailsLeavesNoVolumeOnTheTarget() throws Exception {
        String uuid = UUID.randomUUID().toString();
        source.define(new DomainSpec(uuid, "web-2", 1, 256, 1, null, POOL, "default"));
        Path disk = hostA.dir().resolve("pools").resolve(POOL).resolve("web-2.qcow2");
        LibvirtDaemon.writeQcow2(disk, 1 << 20, "1G");
        DomainExport export = source.exportDomain(uuid);
        // the source daemon (user nobody) can no longer read the file: its download fails
        Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("---------"));

        ComputeException e = catchThrowableOfType(() -> target.importDomain(export), ComputeException.class);

        assertThat(e.getMessage()).contains(hostB.uri(), "web-2", "copy volume vms/web-2.qcow2", hostA.uri());
        assertThat(e.getMessage()).containsIgnoringCase("permission denied");
        assertThat(target.domains()).isEmpty();
        assertThat(target.libvirt().storagePoolLookupByName(POOL).listVolumes()).as("the new volume is deleted again")
                .isEmpty();
        Files.setPosixFilePermissions(disk, PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aSourceVolumeGoneSinceTheExportIsNotFoundAndCreatesNothing() throws Exception {
        String uuid = UUID.randomUUID().toString();
        source.define(new DomainSpec(uuid, "web-3", 1, 256, 1, null, POOL, "default"));
        DomainExport export = source.exportDomain(uuid);
        source.undefine(uuid, true);

        ComputeException e = catchThrowableOfType(() -> target.importDomain(export), ComputeException.class);

        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains(hostA.uri(), "has no volume vms/web-3.qcow2 any more");
        assertThat(target.domains()).isEmpty();
        assertThat(target.libvirt().storagePoolLookupByName(POOL).listVolumes()).isEmpty();
    }

    @Test
    void anUnreachableSourceIsAConnectionFailureAndCreatesNothing() throws Exception {
        String uuid = UUID.randomUUID().toString();
        source.define(new DomainSpec(uuid, "web-4", 1, 256, 1, null, POOL, "default"));
        DomainExport export = source.exportDomain(uuid);
        DomainExport gone = new DomainExport(export.uuid(), export.name(), export.xml(), export.storagePool(),
                export.volume(), export.capacityBytes(), export.format(),
                "qemu+unix:///session?socket=" + dir.resolve("nothing-listens-here"), export.contentBytes());

        ComputeException e = catchThrowableOfType(() -> target.importDomain(gone), ComputeException.class);

        assertThat(e.kind()).isEqualTo(Kind.CONNECTION);
        assertThat(e.getMessage()).contains("cannot connect to host qemu+unix:///session?socket=");
        assertThat(target.libvirt().storagePoolLookupByName(POOL).listVolumes()).isEmpty();
    }
}

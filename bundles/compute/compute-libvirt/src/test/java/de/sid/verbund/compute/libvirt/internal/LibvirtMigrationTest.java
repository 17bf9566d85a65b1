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
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.libvirt.StorageVol;

/**
 * Export and import of a shut-off domain (cold migration) between two hosts of libvirt's real
 * test driver: two connections to the same node file ({@code host16.xml}) are two separate
 * hypervisors, so {@code source} and {@code target} share nothing.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class LibvirtMigrationTest {
    private static LibvirtProvider provider;
    private static String hostUri;

    private LibvirtConnection source;
    private LibvirtConnection target;

    @BeforeAll
    static void activate() throws Exception {
        provider = new LibvirtProvider(Configs.of(LibvirtProvider.Config.class));
        Path node = Paths.get(LibvirtMigrationTest.class.getResource("/testdriver/host16.xml").toURI());
        hostUri = "test://" + node.toAbsolutePath();
    }

    @AfterAll
    static void deactivate() {
        provider.deactivate();
        assertThat(provider.openConnections()).isZero();
    }

    @BeforeEach
    void connect() {
        source = (LibvirtConnection) provider.connect(hostUri);
        target = (LibvirtConnection) provider.connect(hostUri);
    }

    @AfterEach
    void close() {
        source.close();
        target.close();
    }

    @Test
    void exportedDomainIsDefinedOnTheTargetWithTheSameUuidNameMacAndVolumeSize() throws Exception {
        String uuid = UUID.randomUUID().toString();
        source.define(new DomainSpec(uuid, "web-1", 2, 2048, 20, "debian-12", "vms", "default"));
        String mac = LibvirtXml.firstMac(source.domainXml(uuid)).orElseThrow();

        DomainExport export = source.exportDomain(uuid);

        assertThat(export.uuid()).isEqualTo(uuid);
        assertThat(export.name()).isEqualTo("web-1");
        assertThat(export.storagePool()).isEqualTo("vms");
        assertThat(export.volume()).isEqualTo("web-1.qcow2");
        assertThat(export.capacityBytes()).isEqualTo(20L << 30);
        assertThat(export.format()).isEqualTo("qcow2");
        assertThat(export.sourceUri()).isEqualTo(hostUri);
        assertThat(export.contentBytes()).as("a test-driver volume holds no data").isZero();
        assertThat(target.domain(uuid)).isEmpty();

        DomainInfo imported = target.importDomain(export);

        assertThat(imported).isEqualTo(new DomainInfo(uuid, "web-1", DomainState.SHUTOFF, 2, 2048));
        assertThat(LibvirtXml.firstMac(target.domainXml(uuid))).contains(mac);
        assertThat(LibvirtXml.systemDisk(target.domainXml(uuid)))
                .contains(new LibvirtXml.DiskSource("vms", "web-1.qcow2", null));
        StorageVol volume = target.libvirt().storagePoolLookupByName("vms").storageVolLookupByName("web-1.qcow2");
        assertThat(volume.getInfo().capacity).isEqualTo(20L << 30);
        assertThat(LibvirtXml.volumeFormat(volume.getXMLDesc(0))).contains("qcow2");
        // the export changed nothing on the source
        assertThat(source.domain(uuid)).contains(new DomainInfo(uuid, "web-1", DomainState.SHUTOFF, 2, 2048));
        assertThat(volumes(source)).containsExactlyInAnyOrder("debian-12", "web-1.qcow2");
    }

    @Test
    void runningDomainIsNotExported() {
        String uuid = UUID.randomUUID().toString();
        source.define(new DomainSpec(uuid, "web-1", 1, 512, 5, null, "vms", "default"));
        source.start(uuid);

        ComputeException e = catchThrowableOfType(() -> source.exportDomain(uuid), ComputeException.class);

        assertThat(e.kind()).isEqualTo(Kind.INVALID_STATE);
        assertThat(e.getMessage()).contains("web-1", "running", "shut-off");
        ComputeException missing = catchThrowableOfType(() -> source.exportDomain(UUID.randomUUID().toString()),
                ComputeException.class);
        assertThat(missing.kind()).isEqualTo(Kind.NOT_FOUND);
    }

    @Test
    void domainWhoseDiskIsNoPoolVolumeIsUnsupported() {
        String uuid = UUID.randomUUID().toString();
        source.defineXml("<domain type='test'><name>legacy</name><uuid>" + uuid + "</uuid><memory>524288</memory>"
                + "<vcpu>1</vcpu><os><type>hvm</type></os><devices><disk type='file' device='disk'>"
                + "<source file='/var/lib/libvirt/images/legacy.img'/><target dev='vda' bus='virtio'/></disk>"
                + "</devices></domain>");

        ComputeException e = catchThrowableOfType(() -> source.exportDomain(uuid), ComputeException.class);

        assertThat(e.kind()).isEqualTo(Kind.UNSUPPORTED);
        assertThat(e.getMessage()).contains("legacy", "storage pool volume", "/var/lib/libvirt/images/legacy.img");
    }

    @Test
    void importUnderATakenNameUuidOrVolumeIsNameTakenAndCreatesNothing() throws Exception {
        String uuid = UUID.randomUUID().toString();
        source.define(new DomainSpec(uuid, "web-1", 1, 512, 5, null, "vms", "default"));
        DomainExport export = source.exportDomain(uuid);

        String orphan = UUID.randomUUID().toString();
        target.define(new DomainSpec(orphan, "web-1", 1, 256, 1, null, "vms", "default"));
        ComputeException name = catchThrowableOfType(() -> target.importDomain(export), ComputeException.class);
        assertThat(name.kind()).isEqualTo(Kind.NAME_TAKEN);
        assertThat(name.getMessage()).contains("web-1", orphan, "nothing was created");
        assertThat(target.domains()).extracting(DomainInfo::uuid).containsExactly(orphan);
        target.undefine(orphan, true);

        target.importDomain(export);
        ComputeException same = catchThrowableOfType(() -> target.importDomain(export), ComputeException.class);
        assertThat(same.kind()).isEqualTo(Kind.NAME_TAKEN);
        assertThat(same.getMessage()).contains("already has domain web-1", uuid);
        target.undefine(uuid, false);

        // the volume left behind by the undefine above
        ComputeException volume = catchThrowableOfType(() -> target.importDomain(export), ComputeException.class);
        assertThat(volume.kind()).isEqualTo(Kind.NAME_TAKEN);
        assertThat(volume.getMessage()).contains("vms/web-1.qcow2", "left over");
        assertThat(target.domains()).isEmpty();
        assertThat(volumes(target)).containsExactlyInAnyOrder("debian-12", "web-1.qcow2");
    }

    @Test
    void importIntoAMissingPoolIsNotFound() throws Exception {
        String uuid = UUID.randomUUID().toString();
        source.define(new DomainSpec(uuid, "web-1", 1, 512, 5, null, "vms", "default"));
        DomainExport export = source.exportDomain(uuid);
        DomainExport elsewhere = new DomainExport(export.uuid(), export.name(), export.xml(), "fast-ssd", export.volume(),
                export.capacityBytes(), export.format(), export.sourceUri(), export.contentBytes());

        ComputeException e = catchThrowableOfType(() -> target.importDomain(elsewhere), ComputeException.class);

        assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(e.getMessage()).contains("fast-ssd");
        assertThat(target.domains()).isEmpty();
        assertThat(volumes(target)).containsExactly("debian-12");
    }

    @Test
    void failedDefinitionOnImportDeletesTheNewVolumeAgain() throws Exception {
        String uuid = UUID.randomUUID().toString();
        source.define(new DomainSpec(uuid, "web-1", 1, 512, 5, null, "vms", "default"));
        DomainExport export = source.exportDomain(uuid);
        // libvirt refuses a domain name with '/'
        DomainExport broken = new DomainExport(export.uuid(), export.name(), export.xml().replace("<name>web-1</name>",
                "<name>bad/name</name>"), export.storagePool(), export.volume(), export.capacityBytes(), export.format(),
                export.sourceUri(), export.contentBytes());

        ComputeException e = catchThrowableOfType(() -> target.importDomain(broken), ComputeException.class);

        assertThat(e.getMessage()).contains("bad/name");
        assertThat(target.domains()).isEmpty();
        assertThat(volumes(target)).containsExactly("debian-12");
    }

    private static List<String> volumes(LibvirtConnection c) throws Exception {
        return Arrays.asList(c.libvirt().storagePoolLookupByName("vms").listVolumes());
    }
}

package de.sid.verbund.compute.libvirt.internal;

import de.sid.verbund.compute.spi.ComputeException;
import de.sid.verbund.compute.spi.ComputeException.Kind;
import de.sid.verbund.compute.spi.DomainExport;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.DomainSpec;
import de.sid.verbund.compute.spi.DomainState;
import de.sid.verbund.compute.spi.HostCapacity;
import de.sid.verbund.compute.spi.HostStats;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.compute.spi.Snapshot;
import de.sid.verbund.compute.spi.StoragePoolInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainSnapshot;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.event.LifecycleListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One libvirt connection ({@link Connect}) behind the Verbund SPI. libvirt connections are
 * thread-safe; {@link #define} and {@link #undefine} are serialised per connection so that
 * two threads of this JVM cannot race on the same name.
 */
final class LibvirtConnection implements HypervisorConnection {
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);

    // virDomainXMLFlags
    private static final int XML_SECURE = 1;
    private static final int XML_INACTIVE = 2;
    // virDomainUndefineFlagsValues: MANAGED_SAVE | SNAPSHOTS_METADATA
    private static final int UNDEFINE_MANAGED_SAVE_AND_SNAPSHOTS = Domain.UndefineFlags.MANAGED_SAVE
            | Domain.UndefineFlags.SNAPSHOTS_METADATA;
    private static final long POLL_MILLIS = 200;

    private final String uri;
    private final StreamingConnect connect;
    private final Opener opener;
    private final Runnable onClose;
    private final Object defineLock = new Object();
    private final List<LifecycleListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService events;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String domainType;

    /** Opens a further connection, to read a volume from the host a domain is migrated from. */
    @FunctionalInterface
    interface Opener {
        StreamingConnect open(String uri) throws LibvirtException;
    }

    /**
     * @param uri the host's URI
     * @param connect the open connection to it, closed by {@link #close()}
     * @param opener opens short-lived connections to other hosts for {@link #importDomain}
     * @param onClose run once after {@link #close()}
     */
    LibvirtConnection(String uri, StreamingConnect connect, Opener opener, Runnable onClose) {
        this.uri = uri;
        this.connect = connect;
        this.opener = opener;
        this.onClose = onClose;
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "libvirt-events " + uri);
            t.setDaemon(true);
            return t;
        });
    }

    String uri() {
        return uri;
    }

    /** @return the libvirt connection, for tests that look at pools and volumes */
    StreamingConnect libvirt() {
        return connect;
    }

    // ---- host

    /**
     * Physical cores are {@code nodes × sockets × cores} of libvirt's node info (libvirt reports
     * sockets per NUMA node; for a topology it cannot describe it reports nodes = sockets = 1
     * and all processors as cores), capped at the active CPU count. Threads are not counted.
     */
    @Override
    public HostCapacity capacity() {
        return call("read capacity", () -> {
            NodeInfo node = connect.nodeInfo();
            long cores = (long) Math.max(1, node.nodes) * Math.max(1, node.sockets) * Math.max(1, node.cores);
            if (node.cpus > 0) {
                cores = Math.min(cores, node.cpus);
            }
            return new HostCapacity((int) cores, node.memory / 1024,
                    connect.getType() + " " + version(connect.getVersion()));
        });
    }

    /** Domains that vanish while being read are left out; free memory is null when the host cannot tell. */
    @Override
    public HostStats stats() {
        return call("read load", () -> {
            NodeInfo node = connect.nodeInfo();
            Long free;
            try {
                free = connect.getFreeMemory();
            } catch (LibvirtException e) {
                LOG.debug("host {}: no free memory reported: {}", uri, LibvirtErrors.text(e));
                free = null;
            }
            Map<String, Long> cpuTimes = new LinkedHashMap<>();
            for (int id : connect.listDomains()) {
                try {
                    Domain d = connect.domainLookupByID(id);
                    cpuTimes.put(d.getUUIDString().toLowerCase(Locale.ROOT), d.getInfo().cpuTime);
                } catch (LibvirtException e) {
                    if (LibvirtErrors.code(e) != LibvirtErrors.NO_DOMAIN) {
                        throw e;
                    }
                }
            }
            int inactive = connect.numOfDefinedDomains();
            return new HostStats(java.time.Instant.now(), node.cpus, node.memory * 1024, free, cpuTimes.size(), inactive,
                    cpuTimes);
        });
    }

    @Override
    public Optional<StoragePoolInfo> storagePool(String name) {
        return call("read storage pool " + name, () -> {
            StoragePool pool = findPool(name);
            if (pool == null) {
                return Optional.<StoragePoolInfo>empty();
            }
            org.libvirt.StoragePoolInfo info = pool.getInfo();
            return Optional.of(new StoragePoolInfo(name, info.capacity, info.allocation, info.available));
        });
    }

    // ---- domains

    @Override
    public List<DomainInfo> domains() {
        return call("list domains", () -> {
            Map<String, DomainInfo> result = new LinkedHashMap<>();
            for (int id : connect.listDomains()) {
                addIfPresent(result, () -> connect.domainLookupByID(id));
            }
            for (String name : connect.listDefinedDomains()) {
                addIfPresent(result, () -> connect.domainLookupByName(name));
            }
            return List.copyOf(result.values());
        });
    }

    private void addIfPresent(Map<String, DomainInfo> result, LibvirtCall<Domain> lookup) throws LibvirtException {
        try {
            DomainInfo info = info(lookup.call());
            result.putIfAbsent(info.uuid(), info);
        } catch (LibvirtException e) {
            if (LibvirtErrors.code(e) != LibvirtErrors.NO_DOMAIN) {
                throw e;
            }
            LOG.debug("host {}: a domain vanished while listing: {}", uri, LibvirtErrors.text(e));
        }
    }

    @Override
    public Optional<DomainInfo> domain(String uuid) {
        String id = canonical(uuid);
        return call("look up domain uuid " + id, () -> {
            Domain d = find(id);
            return d == null ? Optional.empty() : Optional.of(info(d));
        });
    }

    @Override
    public DomainInfo define(DomainSpec spec) {
        validate(spec);
        String id = canonical(spec.uuid());
        String what = "define domain " + spec.name() + " (uuid " + id + ")";
        synchronized (defineLock) {
            return call(what, () -> {
                Domain existing = find(id);
                Domain byName = findByName(spec.name());
                if (byName != null && !id.equals(byName.getUUIDString())) {
                    throw new ComputeException(Kind.NAME_TAKEN, host() + ": " + what + ": the name is taken by orphan domain "
                            + spec.name() + " (uuid " + byName.getUUIDString() + "); nothing was created", null);
                }
                if (existing != null && !existing.getName().equals(spec.name())) {
                    throw new ComputeException(Kind.UNSUPPORTED, host() + ": " + what + ": the uuid belongs to domain "
                            + existing.getName() + "; renaming is not supported", null);
                }
                StoragePool pool = pool(spec.storagePool(), what);
                String volumeName = spec.name() + ".qcow2";
                StorageVol volume = findVolume(pool, volumeName);
                boolean created = false;
                if (volume == null) {
                    volume = createVolume(pool, volumeName, spec, what);
                    created = true;
                } else if (existing == null) {
                    throw new ComputeException(Kind.FAILED, host() + ": " + what + ": volume " + spec.storagePool() + "/"
                            + volumeName + " exists but belongs to no domain (left over?); delete it first", null);
                } else {
                    LOG.debug("host {}: {}: reusing volume {}/{}", uri, what, spec.storagePool(), volumeName);
                }
                String mac = existing == null ? null
                        : LibvirtXml.firstMac(existing.getXMLDesc(XML_INACTIVE)).orElse(null);
                String xml = LibvirtXml.domain(spec, id, domainType(), spec.storagePool(), volumeName, mac);
                try {
                    Domain d = connect.domainDefineXML(xml);
                    LOG.info("host {}: {} {}", uri, existing == null ? "defined" : "redefined", describe(d));
                    return info(d);
                } catch (LibvirtException | RuntimeException e) {
                    if (created) {
                        deleteQuietly(volume, spec.storagePool() + "/" + volumeName);
                    }
                    throw e;
                }
            });
        }
    }

    private StorageVol createVolume(StoragePool pool, String volumeName, DomainSpec spec, String what)
            throws LibvirtException {
        String xml = LibvirtXml.volume(volumeName, spec.diskGib());
        if (spec.image() == null || spec.image().isBlank()) {
            return pool.storageVolCreateXML(xml, 0);
        }
        StorageVol image = findVolume(pool, spec.image());
        if (image == null) {
            throw new ComputeException(Kind.NOT_FOUND, host() + ": " + what + ": no image volume " + spec.image()
                    + " in storage pool " + spec.storagePool(), null);
        }
        return pool.storageVolCreateXMLFrom(xml, image, 0);
    }

    @Override
    public void start(String uuid) {
        onDomain(uuid, "start", d -> {
            if (d.isActive() == 1) {
                return null;
            }
            d.create();
            return null;
        });
    }

    @Override
    public boolean stop(String uuid, Duration timeout) {
        return onDomain(uuid, "stop", d -> {
            if (d.isActive() != 1) {
                return true;
            }
            try {
                d.shutdown();
            } catch (LibvirtException e) {
                if (d.isActive() != 1) {
                    return true;
                }
                throw e;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() - deadline < 0) {
                if (state(d) == DomainState.SHUTOFF) {
                    return true;
                }
                try {
                    Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ComputeException(Kind.FAILED, host() + ": stop domain " + describe(d) + ": interrupted", e);
                }
            }
            if (state(d) == DomainState.SHUTOFF) {
                return true;
            }
            LOG.info("host {}: domain {} did not shut down within {}; powering it off", uri, describe(d), timeout);
            powerOff(d);
            return false;
        });
    }

    @Override
    public void destroy(String uuid) {
        onDomain(uuid, "destroy", d -> {
            powerOff(d);
            return null;
        });
    }

    private static void powerOff(Domain d) throws LibvirtException {
        if (d.isActive() != 1) {
            return;
        }
        try {
            d.destroy();
        } catch (LibvirtException e) {
            if (LibvirtErrors.code(e) != LibvirtErrors.OPERATION_INVALID || d.isActive() == 1) {
                throw e;
            }
        }
    }

    @Override
    public void reboot(String uuid) {
        onDomain(uuid, "reboot", d -> {
            requireState(d, "reboot", d.isActive() == 1, "it is not running");
            d.reboot(0);
            return null;
        });
    }

    /**
     * Rewrites the persistent definition ({@code <vcpu>}, {@code <memory>},
     * {@code <currentMemory>}) and redefines it: libvirt-java 0.5.2 has no
     * {@code setVcpusFlags}, and plain {@code setVcpus} only acts on a running domain.
     */
    @Override
    public void resize(String uuid, int vcpu, long ramMib) {
        if (vcpu < 1 || ramMib < 1) {
            throw new IllegalArgumentException("vcpu and ramMib must be positive: " + vcpu + ", " + ramMib);
        }
        onDomain(uuid, "resize", d -> {
            requireState(d, "resize to " + vcpu + " vCPU / " + ramMib + " MiB", state(d) == DomainState.SHUTOFF,
                    "it is " + state(d).name().toLowerCase(Locale.ROOT) + "; resize needs a shut-off domain");
            String xml = LibvirtXml.resized(d.getXMLDesc(XML_SECURE | XML_INACTIVE), vcpu, ramMib * 1024);
            connect.domainDefineXML(xml);
            LOG.info("host {}: resized {} to {} vCPU, {} MiB", uri, describe(d), vcpu, ramMib);
            return null;
        });
    }

    @Override
    public void undefine(String uuid, boolean deleteVolume) {
        synchronized (defineLock) {
            onDomain(uuid, "undefine", d -> {
                requireState(d, "undefine", d.isActive() != 1, "it is running; stop it first");
                String name = describe(d);
                Optional<LibvirtXml.DiskSource> disk = deleteVolume
                        ? LibvirtXml.systemDisk(d.getXMLDesc(XML_INACTIVE)) : Optional.empty();
                try {
                    d.undefine(UNDEFINE_MANAGED_SAVE_AND_SNAPSHOTS);
                } catch (LibvirtException e) {
                    if (LibvirtErrors.kind(e) != Kind.UNSUPPORTED) {
                        throw e;
                    }
                    for (String snapshot : d.snapshotListNames()) {
                        d.snapshotLookupByName(snapshot).delete(0);
                    }
                    d.undefine();
                }
                LOG.info("host {}: undefined {}", uri, name);
                if (deleteVolume) {
                    deleteSystemVolume(name, disk.orElse(null));
                }
                return null;
            });
        }
    }

    private void deleteSystemVolume(String domain, LibvirtXml.DiskSource disk) throws LibvirtException {
        if (disk == null) {
            LOG.warn("host {}: domain {} had no system disk; no volume deleted", uri, domain);
            return;
        }
        StorageVol volume;
        String label;
        if (disk.pool() != null && disk.volume() != null) {
            label = disk.pool() + "/" + disk.volume();
            StoragePool pool = findPool(disk.pool());
            volume = pool == null ? null : findVolume(pool, disk.volume());
        } else if (disk.file() != null) {
            label = disk.file();
            volume = lookupOrNull(() -> connect.storageVolLookupByPath(disk.file()));
        } else {
            label = "?";
            volume = null;
        }
        if (volume == null) {
            LOG.warn("host {}: system volume {} of domain {} not found; nothing deleted", uri, label, domain);
            return;
        }
        try {
            volume.delete(0);
        } catch (LibvirtException e) {
            throw LibvirtErrors.map(host() + ": domain " + domain + " undefined, but deleting its volume " + label
                    + " failed", e);
        }
        LOG.info("host {}: deleted volume {} of domain {}", uri, label, domain);
    }

    @Override
    public String domainXml(String uuid) {
        return onDomain(uuid, "read XML of", d -> d.getXMLDesc(0));
    }

    @Override
    public DomainInfo defineXml(String xml) {
        String label;
        String uuidInXml;
        try {
            label = LibvirtXml.describe(xml);
            var root = LibvirtXml.parse(xml).getDocumentElement();
            var uuids = root.getElementsByTagName("uuid");
            uuidInXml = uuids.getLength() > 0 && uuids.item(0).getParentNode() == root
                    ? uuids.item(0).getTextContent().strip() : null;
        } catch (IllegalArgumentException e) {
            throw new ComputeException(Kind.FAILED, host() + ": define domain from XML: " + e.getMessage(), e);
        }
        String what = "define domain " + label + " from XML";
        synchronized (defineLock) {
            return call(what, () -> {
                String name = label.substring(0, label.indexOf(" (uuid "));
                Domain byName = findByName(name);
                if (byName != null && (uuidInXml == null || !sameUuid(uuidInXml, byName.getUUIDString()))) {
                    throw new ComputeException(Kind.NAME_TAKEN, host() + ": " + what + ": the name is taken by domain "
                            + name + " (uuid " + byName.getUUIDString() + ")", null);
                }
                Domain d = connect.domainDefineXML(xml);
                LOG.info("host {}: defined {} from XML", uri, describe(d));
                return info(d);
            });
        }
    }

    // ---- cold migration

    /**
     * Reads a shut-off domain with exactly one disk, a storage pool volume (what {@link #define}
     * creates), for {@link #importDomain} on another host, which copies the volume from here.
     * A {@code test:} host's volumes hold no data: its export has {@code contentBytes} 0.
     */
    @Override
    public DomainExport exportDomain(String uuid) {
        return onDomain(uuid, "export", d -> {
            DomainState state = state(d);
            requireState(d, "export", state == DomainState.SHUTOFF, "it is " + state.name().toLowerCase(Locale.ROOT)
                    + "; cold migration needs a shut-off domain");
            String what = "export domain " + describe(d);
            String xml = d.getXMLDesc(XML_SECURE | XML_INACTIVE);
            List<LibvirtXml.DiskSource> disks = LibvirtXml.disks(xml);
            if (disks.size() != 1 || disks.get(0).pool() == null || disks.get(0).volume() == null) {
                throw new ComputeException(Kind.UNSUPPORTED, host() + ": " + what + ": only a domain with one disk that "
                        + "is a storage pool volume can be migrated; its disks: " + disks, null);
            }
            LibvirtXml.DiskSource disk = disks.get(0);
            StorageVol volume = findVolume(pool(disk.pool(), what), disk.volume());
            if (volume == null) {
                throw new ComputeException(Kind.NOT_FOUND, host() + ": " + what + ": its volume " + disk.pool() + "/"
                        + disk.volume() + " does not exist", null);
            }
            long content = holdsNoDiskData(uri) ? 0 : VolumeStreams.physicalSize(connect, volume);
            return new DomainExport(d.getUUIDString().toLowerCase(Locale.ROOT), d.getName(), xml, disk.pool(),
                    disk.volume(), volume.getInfo().capacity, LibvirtXml.volumeFormat(volume.getXMLDesc(0)).orElse(null),
                    uri, content);
        });
    }

    @Override
    public boolean forgetsDomainsOnReconnect() {
        return uri.startsWith("test:///") && !uri.equals("test:///default");
    }

    /** Whether a host's volumes hold no data that a migration would have to copy: the test driver's. */
    static boolean holdsNoDiskData(String uri) {
        return uri.startsWith("test:");
    }

    /**
     * Creates the exported volume (same pool, name, capacity and format), copies its content
     * from the source host over a connection of its own ({@link VolumeStreams}: libvirt volume
     * download there, upload here), and defines the exported XML unchanged (same UUID, name,
     * MAC). Nothing is copied from a {@code test:} host (its volumes hold no data; and a second
     * connection to a test-driver node is another hypervisor). The checks and the definition run
     * under this connection's define lock, the copy does not, so other defines on this host do
     * not wait for it. The volume is deleted again when the copy or the definition fails.
     */
    @Override
    public DomainInfo importDomain(DomainExport export) {
        if (export == null || export.xml() == null || export.name() == null || export.storagePool() == null
                || export.volume() == null || export.capacityBytes() < 1 || export.sourceUri() == null) {
            throw new IllegalArgumentException("export needs uuid, name, xml, storagePool, volume, a capacity and "
                    + "sourceUri: " + export);
        }
        String id = canonical(export.uuid());
        String what = "import domain " + export.name() + " (uuid " + id + ")";
        String label = export.storagePool() + "/" + export.volume();
        StorageVol volume;
        synchronized (defineLock) {
            volume = call(what, () -> {
                requireAbsent(id, export.name(), what);
                StoragePool pool = pool(export.storagePool(), what);
                if (findVolume(pool, export.volume()) != null) {
                    throw new ComputeException(Kind.NAME_TAKEN, host() + ": " + what + ": volume " + label
                            + " exists already (left over?); delete it first; nothing was created", null);
                }
                return pool.storageVolCreateXML(LibvirtXml.volume(export.volume(), export.capacityBytes(),
                        export.format()), 0);
            });
        }
        try {
            long copied = copyContent(export, volume, what, label);
            synchronized (defineLock) {
                return call(what, () -> {
                    requireAbsent(id, export.name(), what);
                    Domain d = connect.domainDefineXML(export.xml());
                    LOG.info("host {}: imported {} with volume {} ({} bytes of content copied from {})", uri,
                            describe(d), label, copied, export.sourceUri());
                    return info(d);
                });
            }
        } catch (RuntimeException e) {
            deleteQuietly(volume, label);
            throw e;
        }
    }

    /** @return the bytes copied into {@code volume}: 0 from a test-driver host */
    private long copyContent(DomainExport export, StorageVol volume, String what, String label) {
        if (holdsNoDiskData(export.sourceUri())) {
            return 0;
        }
        String source = "host " + export.sourceUri();
        String copy = "copy volume " + label + " from " + source + " to " + host();
        StreamingConnect from;
        try {
            from = opener.open(export.sourceUri());
        } catch (LibvirtException e) {
            throw LibvirtErrors.map(host() + ": " + what + ": cannot connect to " + source + " to copy the volume", e);
        }
        try {
            return call(what, () -> {
                StoragePool pool = lookupOrNull(() -> from.storagePoolLookupByName(export.storagePool()));
                StorageVol original = pool == null ? null : findVolume(pool, export.volume());
                if (original == null) {
                    throw new ComputeException(Kind.NOT_FOUND, host() + ": " + what + ": " + source + " has no volume "
                            + label + " any more", null);
                }
                long started = System.nanoTime();
                long bytes = VolumeStreams.copy(from, original, connect, volume, copy);
                double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
                LOG.info("{}: {} bytes in {} s ({} MiB/s)", copy, bytes, String.format(Locale.ROOT, "%.1f", seconds),
                        String.format(Locale.ROOT, "%.1f", bytes / seconds / (1 << 20)));
                return bytes;
            });
        } catch (ComputeException e) {
            String message = e.getMessage();
            throw new ComputeException(e.kind(), message.startsWith(host()) ? message : host() + ": " + what + ": "
                    + message, e);
        } finally {
            try {
                from.close();
            } catch (LibvirtException e) {
                LOG.debug("{}: closing the connection to {} failed: {}", host(), source, LibvirtErrors.text(e));
            }
        }
    }

    /** Refuses (NAME_TAKEN) when this host has a domain with the UUID or the name. */
    private void requireAbsent(String id, String name, String what) throws LibvirtException {
        Domain byUuid = find(id);
        if (byUuid != null) {
            throw new ComputeException(Kind.NAME_TAKEN, host() + ": " + what + ": the host already has domain "
                    + describe(byUuid) + "; nothing was created", null);
        }
        Domain byName = findByName(name);
        if (byName != null) {
            throw new ComputeException(Kind.NAME_TAKEN, host() + ": " + what + ": the name is taken by domain "
                    + describe(byName) + "; nothing was created", null);
        }
    }

    // ---- snapshots

    @Override
    public Snapshot createSnapshot(String uuid, String name) {
        requireName(name);
        return onDomain(uuid, "snapshot " + name + " of", d -> {
            DomainSnapshot s = d.snapshotCreateXML(LibvirtXml.snapshot(name));
            return new Snapshot(name, LibvirtXml.snapshotCreationTime(s.getXMLDesc()), name.equals(currentSnapshot(d)));
        });
    }

    @Override
    public List<Snapshot> snapshots(String uuid) {
        return onDomain(uuid, "list snapshots of", d -> {
            String current = currentSnapshot(d);
            List<Snapshot> result = new ArrayList<>();
            for (String name : d.snapshotListNames()) {
                DomainSnapshot s = lookupOrNull(() -> d.snapshotLookupByName(name));
                if (s != null) {
                    result.add(new Snapshot(name, LibvirtXml.snapshotCreationTime(s.getXMLDesc()), name.equals(current)));
                }
            }
            return List.copyOf(result);
        });
    }

    @Override
    public void revertSnapshot(String uuid, String name) {
        requireName(name);
        onDomain(uuid, "revert to snapshot " + name + " of", d -> {
            d.revertToSnapshot(d.snapshotLookupByName(name));
            return null;
        });
    }

    @Override
    public void deleteSnapshot(String uuid, String name) {
        requireName(name);
        onDomain(uuid, "delete snapshot " + name + " of", d -> {
            d.snapshotLookupByName(name).delete(0);
            return null;
        });
    }

    private static String currentSnapshot(Domain d) throws LibvirtException {
        if (d.hasCurrentSnapshot() != 1) {
            return null;
        }
        DomainSnapshot current = lookupOrNull(d::snapshotCurrent);
        if (current == null) {
            return null;
        }
        var root = LibvirtXml.parse(current.getXMLDesc()).getDocumentElement();
        var names = root.getElementsByTagName("name");
        return names.getLength() == 0 ? null : names.item(0).getTextContent().strip();
    }

    // ---- events, liveness

    @Override
    public void onDomainChange(Consumer<String> listener) {
        LifecycleListener l = (domain, event) -> {
            String uuid;
            try {
                uuid = domain.getUUIDString();
            } catch (LibvirtException e) {
                LOG.debug("host {}: event {} for a domain without uuid: {}", uri, event, LibvirtErrors.text(e));
                return 0;
            }
            LOG.debug("host {}: domain {} {}", uri, uuid, event);
            if (!events.isShutdown()) {
                events.execute(() -> {
                    try {
                        listener.accept(uuid);
                    } catch (RuntimeException e) {
                        LOG.warn("host {}: domain change listener failed for {}", uri, uuid, e);
                    }
                });
            }
            return 0;
        };
        call("register for domain events", () -> {
            connect.addLifecycleListener(l);
            return null;
        });
        listeners.add(l);
    }

    @Override
    public boolean isAlive() {
        if (closed.get()) {
            return false;
        }
        try {
            return connect.isAlive();
        } catch (LibvirtException e) {
            LOG.debug("host {}: isAlive failed: {}", uri, LibvirtErrors.text(e));
            return false;
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (LifecycleListener l : listeners) {
            try {
                connect.removeLifecycleListener(l);
            } catch (LibvirtException e) {
                LOG.debug("host {}: removing an event listener failed: {}", uri, LibvirtErrors.text(e));
            }
        }
        listeners.clear();
        try {
            connect.close();
        } catch (LibvirtException e) {
            LOG.debug("host {}: close failed: {}", uri, LibvirtErrors.text(e));
        }
        events.shutdown();
        try {
            if (!events.awaitTermination(1, TimeUnit.SECONDS)) {
                events.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            events.shutdownNow();
        }
        onClose.run();
        LOG.debug("host {}: connection closed", uri);
    }

    // ---- helpers

    @FunctionalInterface
    interface LibvirtCall<T> {
        T call() throws LibvirtException;
    }

    @FunctionalInterface
    private interface DomainCall<T> {
        T call(Domain d) throws LibvirtException;
    }

    private <T> T call(String what, LibvirtCall<T> call) {
        if (closed.get()) {
            throw new ComputeException(Kind.CONNECTION, host() + ": " + what + ": connection is closed", null);
        }
        try {
            return call.call();
        } catch (LibvirtException e) {
            throw LibvirtErrors.map(host() + ": " + what, e);
        }
    }

    /** Looks the domain up (NOT_FOUND when absent) and runs the call; errors name the domain. */
    private <T> T onDomain(String uuid, String verb, DomainCall<T> call) {
        String id = canonical(uuid);
        Domain d = call(verb + " domain uuid " + id, () -> {
            Domain found = find(id);
            if (found == null) {
                throw new ComputeException(Kind.NOT_FOUND, host() + ": " + verb + " domain uuid " + id
                        + ": no such domain", null);
            }
            return found;
        });
        String label = describeQuietly(d, id);
        return call(verb + " domain " + label, () -> call.call(d));
    }

    private void requireState(Domain d, String action, boolean ok, String why) throws LibvirtException {
        if (!ok) {
            throw new ComputeException(Kind.INVALID_STATE, host() + ": " + action + " domain " + describe(d) + ": "
                    + why, null);
        }
    }

    private Domain find(String uuid) throws LibvirtException {
        return lookupOrNull(() -> connect.domainLookupByUUIDString(uuid));
    }

    private Domain findByName(String name) throws LibvirtException {
        return lookupOrNull(() -> connect.domainLookupByName(name));
    }

    private StoragePool findPool(String name) throws LibvirtException {
        return lookupOrNull(() -> connect.storagePoolLookupByName(name));
    }

    private StoragePool pool(String name, String what) throws LibvirtException {
        StoragePool pool = findPool(name);
        if (pool == null) {
            throw new ComputeException(Kind.NOT_FOUND, host() + ": " + what + ": no storage pool " + name, null);
        }
        return pool;
    }

    private static StorageVol findVolume(StoragePool pool, String name) throws LibvirtException {
        return lookupOrNull(() -> pool.storageVolLookupByName(name));
    }

    private static <T> T lookupOrNull(LibvirtCall<T> lookup) throws LibvirtException {
        try {
            return lookup.call();
        } catch (LibvirtException e) {
            if (LibvirtErrors.isNotFound(e)) {
                return null;
            }
            throw e;
        }
    }

    private void deleteQuietly(StorageVol volume, String label) {
        try {
            volume.delete(0);
            LOG.info("host {}: deleted volume {} again after the import or definition failed", uri, label);
        } catch (LibvirtException e) {
            LOG.error("host {}: volume {} is left over: deleting it after the failed import or definition failed: {}",
                    uri, label, LibvirtErrors.text(e));
        }
    }

    private String domainType() throws LibvirtException {
        String type = domainType;
        if (type == null) {
            type = LibvirtXml.hvmDomainType(connect.getCapabilities()).orElseThrow(() -> new ComputeException(
                    Kind.UNSUPPORTED, host() + ": the host offers no hvm guest type", null));
            domainType = type;
        }
        return type;
    }

    static DomainInfo info(Domain d) throws LibvirtException {
        org.libvirt.DomainInfo i = d.getInfo();
        return new DomainInfo(d.getUUIDString().toLowerCase(Locale.ROOT), d.getName(), state(i.state), i.nrVirtCpu,
                i.maxMem / 1024);
    }

    private static DomainState state(Domain d) throws LibvirtException {
        return state(d.getInfo().state);
    }

    static DomainState state(org.libvirt.DomainInfo.DomainState s) {
        if (s == null) {
            return DomainState.OTHER;
        }
        return switch (s) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> DomainState.RUNNING;
            case VIR_DOMAIN_PAUSED -> DomainState.PAUSED;
            case VIR_DOMAIN_SHUTOFF -> DomainState.SHUTOFF;
            case VIR_DOMAIN_CRASHED -> DomainState.CRASHED;
            default -> DomainState.OTHER;
        };
    }

    private static String describe(Domain d) throws LibvirtException {
        return d.getName() + " (uuid " + d.getUUIDString() + ")";
    }

    private static String describeQuietly(Domain d, String uuid) {
        try {
            return describe(d);
        } catch (LibvirtException e) {
            return "uuid " + uuid;
        }
    }

    private String host() {
        return "host " + uri;
    }

    private static String canonical(String uuid) {
        if (uuid == null) {
            throw new IllegalArgumentException("uuid is null");
        }
        try {
            return UUID.fromString(uuid.strip()).toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a UUID: " + uuid, e);
        }
    }

    private static boolean sameUuid(String a, String b) {
        String x = a.replace("-", "").toLowerCase(Locale.ROOT);
        String y = b.replace("-", "").toLowerCase(Locale.ROOT);
        return x.equals(y);
    }

    private static void validate(DomainSpec spec) {
        if (spec == null || spec.name() == null || spec.name().isBlank() || spec.storagePool() == null
                || spec.network() == null) {
            throw new IllegalArgumentException("spec needs uuid, name, storagePool and network: " + spec);
        }
        if (spec.vcpu() < 1 || spec.ramMib() < 1 || spec.diskGib() < 1) {
            throw new IllegalArgumentException("vcpu, ramMib and diskGib must be positive: " + spec);
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("snapshot name is blank");
        }
    }

    private static String version(long v) {
        return v / 1_000_000 + "." + v / 1000 % 1000 + "." + v % 1000;
    }
}

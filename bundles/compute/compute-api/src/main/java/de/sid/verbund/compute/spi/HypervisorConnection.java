package de.sid.verbund.compute.spi;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One open connection to a hypervisor host. Methods throw {@link ComputeException}; they are
 * safe to call from several threads.
 */
public interface HypervisorConnection extends AutoCloseable {
    /** @return the host's hardware as reported now */
    HostCapacity capacity();

    /**
     * @return the host's load now: memory, domain counts and each active domain's CPU time
     * @throws ComputeException when the host cannot be read
     */
    HostStats stats();

    /**
     * @param name the storage pool's name
     * @return the pool's size and use now, empty when the host has no such pool
     */
    Optional<StoragePoolInfo> storagePool(String name);

    /** @return every domain on the host, running or not; a domain vanishing meanwhile is skipped */
    List<DomainInfo> domains();

    /** @return the domain with this UUID, empty if there is none */
    Optional<DomainInfo> domain(String uuid);

    /**
     * Creates the system volume (from the image when given) and defines the domain. Idempotent
     * for the same UUID: a domain with the same UUID and name is redefined, not duplicated. A
     * domain with the same name and another UUID fails with {@link ComputeException.Kind#NAME_TAKEN}
     * and changes nothing.
     *
     * @return the defined domain (shut off)
     */
    DomainInfo define(DomainSpec spec);

    /** Starts a defined domain; no-op when it runs. */
    void start(String uuid);

    /**
     * Asks the guest to shut down (ACPI) and waits up to {@code timeout}; then powers it off.
     *
     * @return whether the guest shut down by itself (false: it was powered off)
     */
    boolean stop(String uuid, Duration timeout);

    /** Powers the domain off at once; no-op when it is shut off. */
    void destroy(String uuid);

    void reboot(String uuid);

    /** Changes vCPUs and RAM of a shut-off domain (its persistent definition). */
    void resize(String uuid, int vcpu, long ramMib);

    /** Undefines the domain (and its snapshots) and, when asked, deletes its system volume. */
    void undefine(String uuid, boolean deleteVolume);

    /** @return the domain's full XML as the hypervisor has it */
    String domainXml(String uuid);

    /**
     * Defines a domain from foreign XML (adoption of an unmanaged domain, import).
     *
     * @throws ComputeException {@link ComputeException.Kind#UNSUPPORTED} for elements this
     *         hypervisor does not know, with its message
     */
    DomainInfo defineXml(String xml);

    /**
     * Reads a shut-off domain for defining it on another host (cold migration). Changes nothing.
     *
     * @throws ComputeException {@link ComputeException.Kind#NOT_FOUND} for no such domain (or
     *         volume), {@link ComputeException.Kind#INVALID_STATE} when it is not shut off,
     *         {@link ComputeException.Kind#UNSUPPORTED} when the provider cannot move this domain
     *         (e.g. its disks are not one storage pool volume), with the reason
     */
    DomainExport exportDomain(String uuid);

    /**
     * Defines an exported domain on this host: creates its system volume (same pool, name,
     * capacity and format), copies the volume's content from {@link DomainExport#sourceUri()}
     * ({@link DomainExport#contentBytes()} bytes, verified by count), and defines the domain with
     * the same UUID, name and definition, shut off. The source is only read. Changes nothing on
     * this host when it fails: a half-copied volume is deleted again. Takes about as long as the
     * copy.
     *
     * @return the defined domain
     * @throws ComputeException {@link ComputeException.Kind#NAME_TAKEN} when this host already has
     *         a domain of that name or UUID, or a volume of that name (left over?);
     *         {@link ComputeException.Kind#NOT_FOUND} when it has no such storage pool, or the
     *         source volume is gone; {@link ComputeException.Kind#NO_SPACE} when the pool is full;
     *         {@link ComputeException.Kind#UNSUPPORTED} when either host cannot stream volumes;
     *         {@link ComputeException.Kind#CONNECTION} when the source cannot be reached;
     *         {@link ComputeException.Kind#FAILED} when the copied byte counts differ
     */
    DomainInfo importDomain(DomainExport export);

    Snapshot createSnapshot(String uuid, String name);

    List<Snapshot> snapshots(String uuid);

    void revertSnapshot(String uuid, String name);

    void deleteSnapshot(String uuid, String name);

    /**
     * Registers for domain lifecycle events (started, stopped, defined, undefined …) of this
     * connection. Registrations die with the connection; the caller registers again after
     * reconnecting.
     *
     * @param listener called with the UUID of a domain whose state changed, on a provider thread
     */
    void onDomainChange(Consumer<String> listener);

    /**
     * @return whether this hypervisor's state belongs to this connection alone and starts anew
     *         with every connection, so that a domain missing right after connecting was
     *         forgotten, not undefined: libvirt's test driver opened on a node XML file
     *         ({@code test:///path/node.xml}), whose domains live in the connecting process's
     *         memory. {@code false} for real hypervisors and for {@code test:///default}
     *         (shared by the process's connections)
     */
    default boolean forgetsDomainsOnReconnect() {
        return false;
    }

    /** @return whether the connection is still usable (keepalive answered) */
    boolean isAlive();

    @Override
    void close();
}

package de.sid.verbund.compute.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import de.sid.verbund.cluster.ClusterService;
import de.sid.verbund.cluster.ListenerRegistration;
import de.sid.verbund.compute.Host;
import de.sid.verbund.compute.spi.ComputeException;
import de.sid.verbund.compute.spi.DomainExport;
import de.sid.verbund.compute.spi.DomainInfo;
import de.sid.verbund.compute.spi.DomainSpec;
import de.sid.verbund.compute.spi.HostCapacity;
import de.sid.verbund.compute.spi.HostStats;
import de.sid.verbund.compute.spi.HypervisorConnection;
import de.sid.verbund.compute.spi.Snapshot;
import de.sid.verbund.compute.spi.StoragePoolInfo;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Hypervisor calls on a host another member owns, done by that member with the connection it
 * keeps ({@link ClusterService#callOnOwner}, operation {@value #OPERATION}, key
 * {@code host:<id>}). The operations themselves (placement, reservations, stored state, events)
 * run where they were asked, on the shared database; only each {@link HypervisorConnection} call
 * crosses to the owner. So a host has one connection in the whole cluster, which is what libvirt's
 * test driver needs (each connection to a {@code test:///} node file is a hypervisor of its own)
 * and spares real hosts a connection from every node.
 *
 * <p>Wire format (JSON): a {@link Call} names the host, the {@link HypervisorConnection} method
 * and its arguments; the {@link Answer} carries the method's result, or the
 * {@link ComputeException} it threw (kind and message), which the caller throws again, so the
 * operation's error handling is the same as with a local connection. A call that does not reach
 * the owner or gets no answer (503 from the cluster) becomes a {@link ComputeException.Kind#CONNECTION}
 * failure, as if the host were unreachable; every other problem is passed on unchanged.
 */
final class HostCalls {
    /** The name the owner's handler is registered under. */
    static final String OPERATION = "compute.hypervisor";

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * The slowest volume copy rate a forwarded {@code importDomain} waits for, bytes/s (10 MiB/s):
     * the call's timeout grows by the export's content bytes at this rate.
     */
    static final long IMPORT_MIN_BYTES_PER_S = 10L << 20;

    private final ClusterService cluster;
    private final Duration timeout;

    /**
     * One {@link HypervisorConnection} call.
     *
     * @param hostId the host
     * @param method the method's name
     * @param timeoutMs {@code stop}: the graceful stop's timeout, ms
     * @param deleteVolume {@code undefine}: whether to delete the system volume
     */
    record Call(String hostId, String method, String uuid, String name, DomainSpec spec, DomainExport export, String xml,
            Long timeoutMs, Integer vcpu, Long ramMib, Boolean deleteVolume) {
        static Call of(String hostId, String method) {
            return new Call(hostId, method, null, null, null, null, null, null, null, null, null);
        }

        static Call of(String hostId, String method, String uuid) {
            return new Call(hostId, method, uuid, null, null, null, null, null, null, null, null);
        }
    }

    /**
     * The owner's answer.
     *
     * @param value the method's result ({@code null} for void, an empty {@link Optional})
     * @param errorKind the {@link ComputeException.Kind} the method threw, or {@code null}
     * @param errorMessage its message
     */
    record Answer(JsonNode value, String errorKind, String errorMessage) {
    }

    /**
     * @param cluster where the owners are
     * @param timeout how long a call may take (a graceful stop gets its own timeout on top)
     */
    HostCalls(ClusterService cluster, Duration timeout) {
        this.cluster = cluster;
        this.timeout = timeout;
    }

    /**
     * Takes the calls other members send for hosts this member owns.
     *
     * @param ownConnection the connection this member keeps to a host (by id)
     * @throws ProblemException (from it) UNAVAILABLE when this member keeps none
     */
    ListenerRegistration serve(Function<String, HypervisorConnection> ownConnection) {
        return cluster.registerHandler(OPERATION, (key, payload) -> {
            Call call = read(payload, Call.class);
            Answer answer;
            try {
                answer = new Answer(JSON.valueToTree(invoke(ownConnection.apply(call.hostId()), call)), null, null);
            } catch (ComputeException e) {
                answer = new Answer(null, e.kind().name(), e.getMessage());
            }
            return write(answer);
        });
    }

    private static Object invoke(HypervisorConnection c, Call call) {
        return switch (call.method()) {
            case "capacity" -> c.capacity();
            case "stats" -> c.stats();
            case "storagePool" -> c.storagePool(call.name()).orElse(null);
            case "domains" -> c.domains();
            case "domain" -> c.domain(call.uuid()).orElse(null);
            case "define" -> c.define(call.spec());
            case "start" -> {
                c.start(call.uuid());
                yield null;
            }
            case "stop" -> c.stop(call.uuid(), Duration.ofMillis(call.timeoutMs()));
            case "destroy" -> {
                c.destroy(call.uuid());
                yield null;
            }
            case "reboot" -> {
                c.reboot(call.uuid());
                yield null;
            }
            case "resize" -> {
                c.resize(call.uuid(), call.vcpu(), call.ramMib());
                yield null;
            }
            case "undefine" -> {
                c.undefine(call.uuid(), Boolean.TRUE.equals(call.deleteVolume()));
                yield null;
            }
            case "domainXml" -> c.domainXml(call.uuid());
            case "defineXml" -> c.defineXml(call.xml());
            case "exportDomain" -> c.exportDomain(call.uuid());
            case "importDomain" -> c.importDomain(call.export());
            case "createSnapshot" -> c.createSnapshot(call.uuid(), call.name());
            case "snapshots" -> c.snapshots(call.uuid());
            case "revertSnapshot" -> {
                c.revertSnapshot(call.uuid(), call.name());
                yield null;
            }
            case "deleteSnapshot" -> {
                c.deleteSnapshot(call.uuid(), call.name());
                yield null;
            }
            default -> throw ProblemException.badRequest("no hypervisor call " + call.method());
        };
    }

    /** @return a connection to {@code host} whose calls the host's owner makes */
    HypervisorConnection connectionTo(Host host) {
        return new Remote(host);
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return JSON.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.INTERNAL, "unreadable " + type.getSimpleName() + " of "
                    + OPERATION + ": " + e.getOriginalMessage(), List.of(), e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemType.INTERNAL, "cannot write " + value.getClass().getSimpleName() + ": "
                    + e.getOriginalMessage(), List.of(), e);
        }
    }

    /** The caller's side: each method is one call to the host's owner. */
    private final class Remote implements HypervisorConnection {
        private final Host host;

        Remote(Host host) {
            this.host = host;
        }

        private JsonNode call(Call call, Duration within) {
            String answerJson;
            try {
                answerJson = cluster.callOnOwner(ComputeComponent.hostKey(host.id()), OPERATION, write(call), within);
            } catch (ProblemException e) {
                if (e.type() == ProblemType.UNAVAILABLE) {
                    throw new ComputeException(ComputeException.Kind.CONNECTION, e.getMessage(), e);
                }
                throw e;
            }
            Answer a = read(answerJson, Answer.class);
            if (a.errorKind() != null) {
                ComputeException.Kind kind;
                try {
                    kind = ComputeException.Kind.valueOf(a.errorKind());
                } catch (IllegalArgumentException e) {
                    kind = ComputeException.Kind.FAILED;
                }
                throw new ComputeException(kind, a.errorMessage(), null);
            }
            return a.value();
        }

        private JsonNode call(Call call) {
            return call(call, timeout);
        }

        private <T> T as(JsonNode value, Class<T> type) {
            if (value == null || value.isNull()) {
                return null;
            }
            try {
                return JSON.treeToValue(value, type);
            } catch (JsonProcessingException e) {
                throw new ComputeException(ComputeException.Kind.FAILED, "host " + host.name() + ": unreadable answer "
                        + "of its owner: " + e.getOriginalMessage(), e);
            }
        }

        private <T> List<T> list(JsonNode value, Class<T> type) {
            return value == null || value.isNull() ? List.of()
                    : JSON.convertValue(value, JSON.getTypeFactory().constructCollectionType(List.class, type));
        }

        @Override
        public HostCapacity capacity() {
            return as(call(Call.of(host.id(), "capacity")), HostCapacity.class);
        }

        @Override
        public HostStats stats() {
            return as(call(Call.of(host.id(), "stats")), HostStats.class);
        }

        @Override
        public Optional<StoragePoolInfo> storagePool(String name) {
            return Optional.ofNullable(as(call(new Call(host.id(), "storagePool", null, name, null, null, null, null, null,
                    null, null)), StoragePoolInfo.class));
        }

        @Override
        public List<DomainInfo> domains() {
            return list(call(Call.of(host.id(), "domains")), DomainInfo.class);
        }

        @Override
        public Optional<DomainInfo> domain(String uuid) {
            return Optional.ofNullable(as(call(Call.of(host.id(), "domain", uuid)), DomainInfo.class));
        }

        @Override
        public DomainInfo define(DomainSpec spec) {
            return as(call(new Call(host.id(), "define", null, null, spec, null, null, null, null, null, null)),
                    DomainInfo.class);
        }

        @Override
        public void start(String uuid) {
            call(Call.of(host.id(), "start", uuid));
        }

        @Override
        public boolean stop(String uuid, Duration timeoutToPowerOff) {
            JsonNode v = call(new Call(host.id(), "stop", uuid, null, null, null, null, timeoutToPowerOff.toMillis(), null,
                    null, null), timeout.plus(timeoutToPowerOff));
            return v != null && v.asBoolean();
        }

        @Override
        public void destroy(String uuid) {
            call(Call.of(host.id(), "destroy", uuid));
        }

        @Override
        public void reboot(String uuid) {
            call(Call.of(host.id(), "reboot", uuid));
        }

        @Override
        public void resize(String uuid, int vcpu, long ramMib) {
            call(new Call(host.id(), "resize", uuid, null, null, null, null, null, vcpu, ramMib, null));
        }

        @Override
        public void undefine(String uuid, boolean deleteVolume) {
            call(new Call(host.id(), "undefine", uuid, null, null, null, null, null, null, null, deleteVolume));
        }

        @Override
        public String domainXml(String uuid) {
            JsonNode v = call(Call.of(host.id(), "domainXml", uuid));
            return v == null || v.isNull() ? null : v.asText();
        }

        @Override
        public DomainInfo defineXml(String xml) {
            return as(call(new Call(host.id(), "defineXml", null, null, null, null, xml, null, null, null, null)),
                    DomainInfo.class);
        }

        @Override
        public DomainExport exportDomain(String uuid) {
            return as(call(Call.of(host.id(), "exportDomain", uuid)), DomainExport.class);
        }

        @Override
        public DomainInfo importDomain(DomainExport export) {
            // the owner copies the volume's content: the call may take as long as that at the slowest rate expected
            Duration copy = Duration.ofSeconds(export.contentBytes() / IMPORT_MIN_BYTES_PER_S);
            return as(call(new Call(host.id(), "importDomain", null, null, null, export, null, null, null, null, null),
                    timeout.plus(copy)), DomainInfo.class);
        }

        @Override
        public Snapshot createSnapshot(String uuid, String name) {
            return as(call(new Call(host.id(), "createSnapshot", uuid, name, null, null, null, null, null, null, null)),
                    Snapshot.class);
        }

        @Override
        public List<Snapshot> snapshots(String uuid) {
            return list(call(Call.of(host.id(), "snapshots", uuid)), Snapshot.class);
        }

        @Override
        public void revertSnapshot(String uuid, String name) {
            call(new Call(host.id(), "revertSnapshot", uuid, name, null, null, null, null, null, null, null));
        }

        @Override
        public void deleteSnapshot(String uuid, String name) {
            call(new Call(host.id(), "deleteSnapshot", uuid, name, null, null, null, null, null, null, null));
        }

        /** The owner's connection has the callbacks; this member is told through the owner's resyncs. */
        @Override
        public void onDomainChange(Consumer<String> listener) {
            // nothing to register here: see the method's comment
        }

        /** Whether the host is reachable is the owner's to tell (host state DOWN). */
        @Override
        public boolean isAlive() {
            return true;
        }

        @Override
        public void close() {
            // nothing held here: the owner keeps the connection
        }
    }
}

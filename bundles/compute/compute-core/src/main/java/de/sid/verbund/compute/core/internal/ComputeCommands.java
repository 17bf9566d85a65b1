package de.sid.verbund.compute.core.internal;

import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmFilter;
import de.sid.verbund.compute.VmRequest;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.persistence.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the commands of queue {@value #QUEUE} (sent by the catalogue through its outbox) and
 * answers each on {@value ComputeServiceImpl#TOPIC}, through the outbox, in the transaction that
 * marks the command done.
 *
 * <ul>
 * <li>{@code vm.provision} (payload {@code orderId}, {@code names} (one VM per name),
 * {@code offeringId}, {@code vcpu}, {@code ramMib}, {@code diskGib}, {@code image}, optional
 * {@code site} and {@code antiAffinityGroup}; envelope {@code tenantId}): creates the VMs with
 * {@link ComputeService#createVm}. Answer {@code vm.provisioned} (payload {@code orderId},
 * {@code vmIds} in name order) or {@code vm.provision-failed} ({@code orderId}, {@code reason}):
 * all or nothing, VMs made before a failure are deleted again.</li>
 * <li>{@code vm.decommission} (payload {@code orderId}, {@code vmIds}): deletes the VMs (one
 * already DELETED or FAILED counts as done). Answer {@code vm.decommissioned} ({@code orderId},
 * {@code vmIds}) or {@code vm.decommission-failed} ({@code orderId}, {@code reason}). A VM of
 * another tenant than the command's is refused as unknown.</li>
 * </ul>
 *
 * <p>Idempotent by the command's event id (table {@code compute_command}): a command already DONE
 * is acknowledged without acting. One that was STARTED before (the node stopped, or the answer
 * could not be stored) is carried out again, taking the tenant's live VMs of the same name and
 * offering as already made, so a redelivery never makes a second VM; one of them still
 * PROVISIONING was left half made by the stopped node and is deleted and made again. While compute is not ready
 * (503) the command is handed back to the broker for redelivery. Reasons given to the authority
 * never name hosts: such a text is logged with a reference that the reason quotes.
 */
final class ComputeCommands {
    /** The command queue. */
    static final String QUEUE = "compute.commands";
    private static final Logger LOG = LoggerFactory.getLogger(ComputeCommands.class);

    private final Database db;
    private final Outbox outbox;
    private final ComputeService compute;

    /** Applies compute's schema (the command table), which the compute service may not have done yet. */
    ComputeCommands(Database db, Outbox outbox, ComputeService compute) {
        db.migrate("compute", ComputeCommands.class.getClassLoader());
        this.db = db;
        this.outbox = outbox;
        this.compute = compute;
    }

    /** Handles one command; throws (asking for redelivery) only while compute or the database is unavailable. */
    void handle(DomainEvent command) {
        switch (command.type()) {
            case "vm.provision" -> run(command, this::provision);
            case "vm.decommission" -> run(command, this::decommission);
            default -> LOG.warn("ignoring command {} of unknown type {}", command.eventId(), command.type());
        }
    }

    private interface Work {
        DomainEvent reply(DomainEvent command, boolean retried);
    }

    private void run(DomainEvent command, Work work) {
        String id = command.eventId().toString();
        String seen = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM compute_command WHERE event_id = ? FOR UPDATE")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return rs.getString(1);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO compute_command (event_id, type, state, received_at) "
                    + "VALUES (?, ?, 'STARTED', ?)")) {
                ps.setString(1, id);
                ps.setString(2, command.type());
                ps.setObject(3, Instant.now().atOffset(ZoneOffset.UTC));
                ps.executeUpdate();
            }
            return null;
        });
        if ("DONE".equals(seen)) {
            LOG.debug("command {} ({}) was carried out already", id, command.type());
            return;
        }
        DomainEvent reply = work.reply(command, seen != null);
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE compute_command SET state = 'DONE', done_at = ? "
                    + "WHERE event_id = ? AND state = 'STARTED'")) {
                ps.setObject(1, Instant.now().atOffset(ZoneOffset.UTC));
                ps.setString(2, id);
                if (ps.executeUpdate() == 1) {
                    outbox.add(c, ComputeServiceImpl.TOPIC, reply);
                }
            }
            return null;
        });
        LOG.info("command {} ({}) for order {}: {}", id, command.type(), command.payload().get("orderId"), reply.type());
    }

    private DomainEvent provision(DomainEvent command, boolean retried) {
        Map<String, Object> p = command.payload();
        Object orderId = p.get("orderId");
        List<Vm> made = new ArrayList<>();
        String current = null;
        try {
            String tenant = command.tenantId();
            String offering = string(p, "offeringId");
            List<String> names = strings(p, "names");
            for (String name : names) {
                current = name;
                Optional<Vm> earlier = retried ? live(tenant, name).filter(v -> offering.equals(v.offeringId())) : Optional.empty();
                if (earlier.isPresent() && earlier.get().state() == VmState.PROVISIONING) {
                    // the earlier attempt's create never finished: its node stopped between the reservation and
                    // the start (the broker gave the command to this node when that node's connection went). Taken
                    // as made, the order was fulfilled with a VM that never ran and was never announced
                    // (ClusterInFlightIT). Give it up (its capacity is freed, a domain it left is removed) and make it anew.
                    Vm stale = earlier.get();
                    LOG.warn("order {}: VM {} ({}) of an earlier attempt was never finished; giving it up and creating it "
                            + "again", orderId, stale.name(), stale.id());
                    compute.delete(stale.id());
                    earlier = Optional.empty();
                }
                Vm vm = earlier.orElseGet(() -> compute.createVm(new VmRequest(name, tenant, offering, number(p, "vcpu").intValue(),
                        number(p, "ramMib").longValue(), number(p, "diskGib").intValue(), (String) p.get("image"),
                        (String) p.get("antiAffinityGroup"), (String) p.get("site"), null)));
                made.add(vm);
            }
            Map<String, Object> reply = new LinkedHashMap<>();
            reply.put("orderId", orderId);
            reply.put("vmIds", made.stream().map(Vm::id).toList());
            reply.put("names", names);
            return DomainEvent.of("vm.provisioned", tenant, reply);
        } catch (RuntimeException e) {
            retryIfUnavailable(e);
            for (Vm vm : made) {
                try {
                    compute.delete(vm.id());
                } catch (RuntimeException cleanup) {
                    LOG.warn("order {}: VM {} ({}) made before the failure could not be deleted: {}", orderId, vm.name(),
                            vm.id(), cleanup.getMessage());
                }
            }
            return DomainEvent.of("vm.provision-failed", command.tenantId(), Map.of("orderId", String.valueOf(orderId),
                    "reason", (current == null ? "" : "VM " + current + ": ") + reason(e)));
        }
    }

    private DomainEvent decommission(DomainEvent command, boolean retried) {
        Map<String, Object> p = command.payload();
        Object orderId = p.get("orderId");
        try {
            List<String> ids = strings(p, "vmIds");
            for (String id : ids) {
                Vm vm = compute.vm(id).filter(v -> v.tenantId().equals(command.tenantId()))
                        .orElseThrow(() -> ProblemException.notFound("no VM " + id));
                if (vm.state() != VmState.DELETED && vm.state() != VmState.FAILED) {
                    compute.delete(vm.id());
                }
            }
            return DomainEvent.of("vm.decommissioned", command.tenantId(), Map.of("orderId", String.valueOf(orderId),
                    "vmIds", ids));
        } catch (RuntimeException e) {
            retryIfUnavailable(e);
            return DomainEvent.of("vm.decommission-failed", command.tenantId(), Map.of("orderId", String.valueOf(orderId),
                    "reason", reason(e)));
        }
    }

    /** Compute not ready (or a host unreachable): the broker redelivers later. */
    private static void retryIfUnavailable(RuntimeException e) {
        if (e instanceof ProblemException p && p.type() == ProblemType.UNAVAILABLE) {
            throw p;
        }
    }

    private Optional<Vm> live(String tenant, String name) {
        String cursor = null;
        do {
            Page<Vm> page = compute.vms(new VmFilter(tenant, null, null), Page.MAX_LIMIT, cursor);
            for (Vm vm : page.items()) {
                if (vm.name().equals(name) && vm.state() != VmState.FAILED && vm.state() != VmState.DELETED) {
                    return Optional.of(vm);
                }
            }
            cursor = page.nextCursor();
        } while (cursor != null);
        return Optional.empty();
    }

    /** What the authority is told: the problem's text, unless it names hosts (then a reference to the logged text). */
    static String reason(RuntimeException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ProblemException && detail.startsWith("no capacity")) {
            int colon = detail.indexOf(':');
            LOG.info("provisioning refused: {}", detail);
            return (colon < 0 ? "no capacity" : detail.substring(0, colon)) + ": no host of the platform has room for it now";
        }
        if (e instanceof ProblemException && !detail.contains("host ")) {
            return detail;
        }
        String reference = UUID.randomUUID().toString();
        if (e instanceof ProblemException) {
            LOG.warn("command failed, shown to the authority as reference {}: {}", reference, detail);
        } else {
            LOG.warn("command failed, shown to the authority as reference {}", reference, e);
        }
        return "the platform could not carry out the order (reference " + reference + "; SID operations can look it up)";
    }

    private static String string(Map<String, Object> p, String key) {
        if (!(p.get(key) instanceof String s) || s.isBlank()) {
            throw ProblemException.badRequest("command without " + key);
        }
        return s;
    }

    private static Number number(Map<String, Object> p, String key) {
        if (!(p.get(key) instanceof Number n)) {
            throw ProblemException.badRequest("command without " + key);
        }
        return n;
    }

    private static List<String> strings(Map<String, Object> p, String key) {
        if (!(p.get(key) instanceof List<?> list) || list.isEmpty()) {
            throw ProblemException.badRequest("command without " + key);
        }
        return list.stream().map(String::valueOf).toList();
    }

    static boolean isDone(Database db, UUID eventId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM compute_command WHERE event_id = ?")) {
                ps.setString(1, eventId.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && "DONE".equals(rs.getString(1));
                }
            }
        });
    }
}

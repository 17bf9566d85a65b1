package de.sid.verbund.catalog.core.internal;

import de.sid.verbund.billing.CostSource;
import de.sid.verbund.billing.PriceQuote;
import de.sid.verbund.billing.PriceQuotes;
import de.sid.verbund.catalog.Actor;
import de.sid.verbund.catalog.Approval;
import de.sid.verbund.catalog.ApprovalPolicy;
import de.sid.verbund.catalog.CatalogService;
import de.sid.verbund.catalog.NewOffering;
import de.sid.verbund.catalog.NewOrder;
import de.sid.verbund.catalog.Offering;
import de.sid.verbund.catalog.Order;
import de.sid.verbund.catalog.OrderFilter;
import de.sid.verbund.catalog.OrderKind;
import de.sid.verbund.catalog.OrderReceipt;
import de.sid.verbund.catalog.OrderState;
import de.sid.verbund.catalog.OrderTransition;
import de.sid.verbund.catalog.Price;
import de.sid.verbund.catalog.Sizing;
import de.sid.verbund.compute.ComputeService;
import de.sid.verbund.compute.Vm;
import de.sid.verbund.compute.VmState;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.QuotaLedger;
import de.sid.verbund.tenancy.Resources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalogue over its tables (area {@code catalog}), plain Java ({@link CatalogComponent} runs
 * it in OSGi; tests construct it).
 *
 * <p><b>Quota.</b> Each unit of a PROVISION order holds its own reservation in the tenancy
 * {@link QuotaLedger}, reference {@code order/<id>/<k>} for unit k = 1..quantity, made in the
 * submission's transaction (the ledger joins it: an order is stored with all its reservations or
 * not at all). They are checked again ({@code recheck}) when the order is approved, just before
 * fulfilment; released when it is rejected, cancelled or fails; and once fulfilled, each VM keeps
 * its unit's reservation (table {@code catalog_vm_reservation}) until it is deleted: by a
 * DECOMMISSION order or any other way ({@code vm.deleted} on {@code compute.events}).
 *
 * <p><b>Changes.</b> Every transition of an order is stored in {@code catalog_order_transition},
 * written to the audit log and published on {@value #TOPIC} ({@code order.submitted},
 * {@code order.approval-given}, {@code order.approved}, {@code order.rejected},
 * {@code order.cancelled}, {@code order.provisioning}, {@code order.fulfilled},
 * {@code order.failed}) through the outbox, all in the transaction of the change, under the
 * order's row lock. Fulfilment commands go to queue {@value #COMMANDS} through the outbox in the
 * same transaction; compute's answers come back on {@code compute.events} ({@link #onComputeEvent}).
 *
 * <p><b>Budget.</b> When billing's {@link CostSource} and tenancy's {@link AuthorityService} are
 * there, a PROVISION order is refused while the month-to-date cost of the ordering authority's
 * subtree (or of an ancestor's subtree, for an ancestor's budget) has reached its monthly limit,
 * and the receipt warns from the soft threshold on. Decommissioning is never refused for budget.
 */
final class CatalogServiceImpl implements CatalogService {
    /** Where order events go. */
    static final String TOPIC = "catalog.events";
    /** Where fulfilment commands go. */
    static final String COMMANDS = "compute.commands";
    /** The actor of automatic steps. */
    static final String SYSTEM = "system";
    static final int MAX_QUANTITY = 20;
    static final int MAX_VMS = 100;
    private static final Logger LOG = LoggerFactory.getLogger(CatalogServiceImpl.class);
    private static final Pattern CODE = Pattern.compile("[a-z][a-z0-9-]{0,35}");
    /** A VM name compute accepts (which also ends with a letter or digit), starting with a letter. */
    private static final Pattern VM_NAME = Pattern.compile("[a-z]([a-z0-9-]{0,58}[a-z0-9])?");
    /** compute's VM name rule, for anti-affinity groups. */
    private static final Pattern GROUP = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final Set<String> PARAMETERS = Set.of("site", "antiAffinityGroup");

    private final Database db;
    private final Outbox outbox;
    private final QuotaLedger ledger;
    private final ComputeService compute;
    private final AuditLog audit;
    private final Supplier<AuthorityService> authorities;
    private final Supplier<CostSource> costs;
    private final Supplier<PriceQuotes> prices;
    private final Clock clock;

    /**
     * Applies the schema and seeds the offerings {@code vm-s}, {@code vm-m}, {@code vm-l},
     * {@code vm-xl} into an empty catalogue.
     *
     * @param authorities tenancy, or a supplier of {@code null} while it is absent (no budget check)
     * @param costs billing's month-to-date costs, or {@code null} while absent (no budget check)
     * @param prices billing's prices, or {@code null} while absent (offerings without price)
     */
    CatalogServiceImpl(Database db, Outbox outbox, QuotaLedger ledger, ComputeService compute, AuditLog audit,
            Supplier<AuthorityService> authorities, Supplier<CostSource> costs, Supplier<PriceQuotes> prices, Clock clock) {
        db.migrate("catalog", CatalogServiceImpl.class.getClassLoader());
        this.db = db;
        this.outbox = outbox;
        this.ledger = ledger;
        this.compute = compute;
        this.audit = audit;
        this.authorities = authorities;
        this.costs = costs;
        this.prices = prices;
        this.clock = clock;
        seed();
    }

    // --- offerings -------------------------------------------------------------------------------

    /**
     * The demo sizes; seeded once, into an empty catalogue. Disks are kept small enough that the
     * demo hosts run them: libvirt's test driver reports 100 GiB per storage pool.
     */
    static List<NewOffering> defaultOfferings() {
        return List.of(
                new NewOffering("vm-s", Offering.KIND_VM, "VM S", "Small virtual server: 1 vCPU, 2 GiB RAM, 10 GiB disk, "
                        + "Debian 12. No approval needed.", new Sizing(1, 2048, 10, "debian-12"), Map.of(), ApprovalPolicy.NONE),
                new NewOffering("vm-m", Offering.KIND_VM, "VM M", "Medium virtual server: 2 vCPU, 4 GiB RAM, 20 GiB disk, "
                        + "Debian 12. Approved by an admin of your authority.", new Sizing(2, 4096, 20, "debian-12"), Map.of(),
                        ApprovalPolicy.AUTHORITY_ADMIN),
                new NewOffering("vm-l", Offering.KIND_VM, "VM L", "Large virtual server: 4 vCPU, 8 GiB RAM, 40 GiB disk, "
                        + "Debian 12. Approved by an admin of your authority.", new Sizing(4, 8192, 40, "debian-12"), Map.of(),
                        ApprovalPolicy.AUTHORITY_ADMIN),
                new NewOffering("vm-xl", Offering.KIND_VM, "VM XL", "Extra large virtual server: 8 vCPU, 16 GiB RAM, "
                        + "80 GiB disk, Debian 12. Approved by an admin of your authority and then by SID operations.",
                        new Sizing(8, 16384, 80, "debian-12"), Map.of(), ApprovalPolicy.AUTHORITY_ADMIN_AND_SID_OPERATOR));
    }

    private void seed() {
        try {
            db.inTransaction(c -> {
                if (!CatalogStore.offerings(c).isEmpty()) {
                    return null;
                }
                for (NewOffering n : defaultOfferings()) {
                    CatalogStore.insertOffering(c, offering(Ids.newId(), 1, n, true, SYSTEM));
                }
                LOG.info("catalogue seeded with offerings {}", defaultOfferings().stream().map(NewOffering::code).toList());
                return null;
            });
        } catch (RuntimeException e) {
            // another node seeded at the same moment (unique code): its offerings are what we wanted
            if (db.inTransaction(CatalogStore::offerings).isEmpty()) {
                throw e;
            }
        }
    }

    @Override
    public List<Offering> offerings(boolean includeRetired) {
        return db.inTransaction(CatalogStore::offerings).stream().filter(o -> includeRetired || o.active()).map(this::priced)
                .toList();
    }

    @Override
    public Optional<Offering> offering(String idOrCode) {
        if (idOrCode == null) {
            return Optional.empty();
        }
        return db.inTransaction(c -> CatalogStore.offering(c, idOrCode, false)).map(this::priced);
    }

    @Override
    public Optional<Offering> offeringVersion(String id, int version) {
        return db.inTransaction(c -> CatalogStore.offeringVersion(c, id, version));
    }

    private Offering priced(Offering o) {
        PriceQuotes p = prices.get();
        if (p == null) {
            return o;
        }
        try {
            Optional<PriceQuote> q = p.quote(o.code(), o.sizing().vcpu(), o.sizing().ramMib(), o.sizing().diskGib(), clock.instant());
            return q.map(x -> o.withPrice(new Price(x.perHour().amount(), x.perMonth().amount(), x.priceSheetId()))).orElse(o);
        } catch (RuntimeException e) {
            LOG.warn("no price for offering {}: billing failed: {}", o.code(), e.getMessage());
            return o;
        }
    }

    @Override
    public Offering createOffering(NewOffering n, Actor actor) {
        validate(n, true);
        Offering o = offering(Ids.newId(), 1, n, true, actor.username());
        return db.inTransaction(c -> {
            if (!CatalogStore.insertOffering(c, o)) {
                throw ProblemException.conflict("offering code '" + n.code() + "' is taken");
            }
            audit.record(actor.username(), "offering.create", "offering/" + o.code(), "SUCCESS", "version 1");
            return o;
        });
    }

    @Override
    public Offering updateOffering(String idOrCode, NewOffering n, Actor actor) {
        validate(n, false);
        return db.inTransaction(c -> {
            Offering current = CatalogStore.offering(c, idOrCode, true)
                    .orElseThrow(() -> ProblemException.notFound("no offering " + idOrCode));
            Offering next = offering(current.id(), current.version() + 1, new NewOffering(current.code(), n.kind(), n.name(),
                    n.description(), n.sizing(), n.parameters(), n.approval()), current.active(), actor.username());
            CatalogStore.newVersion(c, next);
            audit.record(actor.username(), "offering.update", "offering/" + next.code(), "SUCCESS", "version " + next.version());
            return next;
        });
    }

    @Override
    public Offering retireOffering(String idOrCode, Actor actor) {
        return db.inTransaction(c -> {
            Offering current = CatalogStore.offering(c, idOrCode, true)
                    .orElseThrow(() -> ProblemException.notFound("no offering " + idOrCode));
            if (!current.active()) {
                throw ProblemException.conflict("offering " + current.code() + " is retired already");
            }
            Offering next = new Offering(current.id(), current.code(), current.version() + 1, current.kind(), current.name(),
                    current.description(), current.sizing(), current.parameters(), current.approval(), false, clock.instant(),
                    actor.username(), null);
            CatalogStore.newVersion(c, next);
            audit.record(actor.username(), "offering.retire", "offering/" + next.code(), "SUCCESS", "version " + next.version());
            return next;
        });
    }

    private Offering offering(String id, int version, NewOffering n, boolean active, String by) {
        return new Offering(id, n.code(), version, n.kind() == null ? Offering.KIND_VM : n.kind(), n.name().trim(),
                n.description() == null ? "" : n.description().trim(), n.sizing(), n.parameters(),
                n.approval() == null ? ApprovalPolicy.AUTHORITY_ADMIN : n.approval(), active, clock.instant(), by, null);
    }

    private static void validate(NewOffering n, boolean create) {
        if (n == null) {
            throw ProblemException.badRequest("request body required: {code, name, description, sizing, approval}");
        }
        List<String> errors = new ArrayList<>();
        if (create && (n.code() == null || !CODE.matcher(n.code()).matches())) {
            errors.add("code must be 1-36 of a-z, 0-9, '-', starting with a letter");
        }
        if (n.kind() != null && !n.kind().equals(Offering.KIND_VM)) {
            errors.add("kind must be '" + Offering.KIND_VM + "'");
        }
        if (n.name() == null || n.name().isBlank() || n.name().length() > 100) {
            errors.add("name must have 1-100 characters");
        }
        if (n.description() != null && n.description().length() > 2000) {
            errors.add("description must have at most 2000 characters");
        }
        Sizing s = n.sizing();
        if (s == null) {
            errors.add("sizing is required: {vcpu, ramMib, diskGib, image}");
        } else {
            if (s.vcpu() < 1 || s.vcpu() > 64) {
                errors.add("sizing.vcpu must be 1..64");
            }
            if (s.ramMib() < 256 || s.ramMib() > 1_048_576) {
                errors.add("sizing.ramMib must be 256..1048576");
            }
            if (s.diskGib() < 1 || s.diskGib() > 16_384) {
                errors.add("sizing.diskGib must be 1..16384");
            }
            if (s.image() != null && !IMAGE.matcher(s.image()).matches()) {
                errors.add("sizing.image must be a volume name of letters, digits, '.', '_', '-'");
            }
        }
        if (n.parameters() != null && CatalogStore.json(n.parameters()).length() > 10_000) {
            errors.add("parameters must be at most 10000 characters of JSON");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid offering: " + String.join("; ", errors), errors, null);
        }
    }

    // --- orders ----------------------------------------------------------------------------------

    static String reference(String orderId, int unit) {
        return "order/" + orderId + "/" + unit;
    }

    /** @return the VM names of a PROVISION order: the name itself for one unit, else {@code <name>-1..n} */
    static List<String> names(String name, int quantity) {
        if (quantity == 1) {
            return List.of(name);
        }
        List<String> names = new ArrayList<>();
        for (int k = 1; k <= quantity; k++) {
            names.add(name + "-" + k);
        }
        return names;
    }

    private static List<String> stepsOf(ApprovalPolicy p) {
        return switch (p) {
            case NONE -> List.of();
            case AUTHORITY_ADMIN -> List.of(Approval.AUTHORITY_ADMIN);
            case AUTHORITY_ADMIN_AND_SID_OPERATOR -> List.of(Approval.AUTHORITY_ADMIN, Approval.SID_OPERATOR);
        };
    }

    @Override
    public OrderReceipt submit(NewOrder in, Actor actor) {
        if (in == null) {
            throw ProblemException.badRequest("request body required: {offering, quantity, name, parameters}");
        }
        String tenant = Ids.parse(in.tenantId()).toString();
        OrderKind kind = in.kind() == null ? OrderKind.PROVISION : in.kind();
        Instant now = clock.instant();
        String id = Ids.newId();
        Order order;
        List<String> warnings = new ArrayList<>();
        if (kind == OrderKind.PROVISION) {
            Offering offered = validProvision(in);
            int quantity = in.quantity() == null ? 1 : in.quantity();
            warnings.addAll(budget(tenant));
            Map<String, Object> parameters = in.parameters() == null ? Map.of() : in.parameters();
            order = new Order(id, tenant, kind, offered, quantity, in.name(), parameters, List.of(), OrderState.SUBMITTED,
                    stepsOf(offered.approval()), List.of(), actor.userId(), actor.username(), null, List.of(), now, now);
        } else {
            List<String> vms = validDecommission(in, tenant);
            order = new Order(id, tenant, kind, null, vms.size(), null, Map.of(), vms, OrderState.SUBMITTED, List.of(),
                    List.of(), actor.userId(), actor.username(), null, List.of(), now, now);
        }
        Order stored = db.inTransaction(c -> {
            CatalogStore.insertOrder(c, order);
            changed(c, order, null, actor.username(), kind == OrderKind.PROVISION
                    ? order.quantity() + " × " + order.offered().code() + " v" + order.offered().version() + " as " + order.name()
                    : "decommission " + order.targetVmIds(), "order.submitted");
            if (kind == OrderKind.PROVISION) {
                Sizing s = order.offered().sizing();
                Resources unit = new Resources(s.vcpu(), s.ramMib(), s.diskGib(), 1);
                for (int k = 1; k <= order.quantity(); k++) {
                    // joins this transaction: a refusal (CONFLICT with the figures) undoes the whole submission
                    ledger.reserve(tenant, unit, reference(id, k));
                }
            }
            if (order.approvalsNeeded().isEmpty()) {
                return approved(c, order, SYSTEM, kind == OrderKind.PROVISION ? "approved automatically: offering "
                        + order.offered().code() + " needs no approval" : "approved automatically: decommissioning needs no approval");
            }
            return order;
        });
        return new OrderReceipt(stored, warnings);
    }

    private Offering validProvision(NewOrder in) {
        List<String> errors = new ArrayList<>();
        if (in.offering() == null || in.offering().isBlank()) {
            errors.add("offering is required (its id or code)");
        }
        if (in.quantity() != null && (in.quantity() < 1 || in.quantity() > MAX_QUANTITY)) {
            errors.add("quantity must be 1.." + MAX_QUANTITY);
        }
        if (in.name() == null || !VM_NAME.matcher(in.name()).matches()) {
            errors.add("name must be 1-60 of a-z, 0-9, '-', starting with a letter and not ending with '-'");
        }
        if (in.vmIds() != null && !in.vmIds().isEmpty()) {
            errors.add("vmIds belong to a DECOMMISSION order");
        }
        if (in.parameters() != null) {
            for (Map.Entry<String, Object> p : in.parameters().entrySet()) {
                if (!PARAMETERS.contains(p.getKey())) {
                    errors.add("parameters: unknown '" + p.getKey() + "' (allowed: antiAffinityGroup, site)");
                } else if (!(p.getValue() instanceof String v)) {
                    errors.add("parameters." + p.getKey() + " must be a string");
                } else if (p.getKey().equals("site") && (v.isBlank() || v.length() > 63)) {
                    errors.add("parameters.site must have 1-63 characters");
                } else if (p.getKey().equals("antiAffinityGroup") && !GROUP.matcher(v).matches()) {
                    errors.add("parameters.antiAffinityGroup must be 1-63 of a-z, 0-9, '-'");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid order: " + String.join("; ", errors), errors, null);
        }
        Offering offered = db.inTransaction(c -> CatalogStore.offering(c, in.offering(), false))
                .orElseThrow(() -> ProblemException.notFound("no offering " + in.offering()));
        if (!offered.active()) {
            throw ProblemException.conflict("offering " + offered.code() + " is retired: it takes no new orders");
        }
        return offered;
    }

    /** @return the VM ids, each a live VM of the tenant; another tenant's VM is "no VM <id>" like an unknown id */
    private List<String> validDecommission(NewOrder in, String tenant) {
        List<String> errors = new ArrayList<>();
        if (in.offering() != null || in.quantity() != null || in.name() != null
                || (in.parameters() != null && !in.parameters().isEmpty())) {
            errors.add("a DECOMMISSION order names only vmIds");
        }
        if (in.vmIds() == null || in.vmIds().isEmpty() || in.vmIds().size() > MAX_VMS) {
            errors.add("vmIds must list 1.." + MAX_VMS + " VMs");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid order: " + String.join("; ", errors), errors, null);
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String raw : in.vmIds()) {
            ids.add(Ids.parse(raw).toString());
        }
        for (String id : ids) {
            Vm vm = compute.vm(id).filter(v -> v.tenantId().equals(tenant))
                    .orElseThrow(() -> ProblemException.notFound("no VM " + id));
            if (vm.state() == VmState.DELETED || vm.state() == VmState.FAILED || vm.state() == VmState.PROVISIONING) {
                throw ProblemException.conflict("VM " + vm.name() + " is " + vm.state() + ": there is nothing to decommission");
            }
        }
        return List.copyOf(ids);
    }

    /** @return warnings (soft threshold) @throws ProblemException CONFLICT when a budget is exhausted */
    private List<String> budget(String tenant) {
        AuthorityService as = authorities.get();
        CostSource cs = costs.get();
        if (as == null || cs == null) {
            return List.of();
        }
        List<String> warnings = new ArrayList<>();
        List<String> chain = new ArrayList<>();
        chain.add(tenant);
        if (as.find(tenant).isEmpty()) {
            return List.of();
        }
        chain.addAll(as.ancestors(tenant));
        for (String a : chain) {
            Authority authority = as.find(a).orElse(null);
            if (authority == null || authority.budget() == null || authority.budget().monthlyEur() == null) {
                continue;
            }
            Money cost = cs.monthToDate(a);
            for (String d : as.descendants(a)) {
                cost = cost.plus(cs.monthToDate(d));
            }
            BigDecimal limit = authority.budget().monthlyEur();
            BigDecimal spent = cost.amount();
            String figures = "month-to-date cost " + spent.setScale(2, RoundingMode.HALF_UP).toPlainString()
                    + " EUR, monthly limit " + limit.setScale(2, RoundingMode.HALF_UP).toPlainString() + " EUR";
            if (spent.compareTo(limit) >= 0) {
                throw ProblemException.conflict("budget of " + authority.name() + " exhausted: " + figures
                        + "; new orders are refused until the month ends (running services are not touched)");
            }
            int soft = authority.budget().softThresholdPercent();
            if (spent.multiply(BigDecimal.valueOf(100)).compareTo(limit.multiply(BigDecimal.valueOf(soft))) >= 0) {
                int percent = limit.signum() == 0 ? 100
                        : spent.multiply(BigDecimal.valueOf(100)).divide(limit, 0, RoundingMode.DOWN).intValue();
                warnings.add("budget of " + authority.name() + " " + percent + " % used (warning from " + soft + " %): " + figures);
            }
        }
        return warnings;
    }

    @Override
    public Page<Order> orders(OrderFilter filter, int limit, String cursor) {
        return db.inTransaction(c -> CatalogStore.orders(c, filter == null ? new OrderFilter(null, null) : filter, limit, cursor));
    }

    @Override
    public Optional<Order> order(String id) {
        if (id == null) {
            return Optional.empty();
        }
        return db.inTransaction(c -> CatalogStore.order(c, id, false));
    }

    @Override
    public List<OrderTransition> transitions(String orderId) {
        return db.inTransaction(c -> CatalogStore.transitions(c, orderId));
    }

    private Order locked(Connection c, String id) throws SQLException {
        return CatalogStore.order(c, id, true).orElseThrow(() -> ProblemException.notFound("no order " + id));
    }

    @Override
    public Order approve(String orderId, Actor actor, String comment) {
        return db.inTransaction(c -> {
            Order o = locked(c, orderId);
            if (o.state() != OrderState.SUBMITTED) {
                throw ProblemException.conflict("order " + o.id() + " is " + o.state() + ": only a SUBMITTED order can be approved");
            }
            if (actor.userId().equals(o.requestedBy())) {
                throw ProblemException.forbidden("the requester may not approve their own order (four-eyes principle)");
            }
            if (o.approvals().stream().anyMatch(a -> a.userId().equals(actor.userId()))) {
                throw ProblemException.forbidden(actor.username() + " approved this order already: the second approval must "
                        + "come from someone else (four-eyes principle)");
            }
            String step = o.approvalsNeeded().get(o.approvals().size());
            if (step.equals(Approval.AUTHORITY_ADMIN) && actor.sidStaff()) {
                throw ProblemException.forbidden("this order waits for the approval of an admin of its authority");
            }
            if (step.equals(Approval.SID_OPERATOR) && !actor.sidStaff()) {
                throw ProblemException.forbidden("this order waits for the approval of a SID operator");
            }
            List<Approval> approvals = new ArrayList<>(o.approvals());
            String note = comment == null ? "" : comment.trim();
            approvals.add(new Approval(step, actor.userId(), actor.username(), note, clock.instant()));
            Order given = with(o, o.state(), approvals, o.reason(), o.vmIds());
            if (approvals.size() < o.approvalsNeeded().size()) {
                CatalogStore.updateOrder(c, given);
                changed(c, given, o.state(), actor.username(), "approved as " + step + "; waits for "
                        + o.approvalsNeeded().get(approvals.size()) + (note.isEmpty() ? "" : ": " + note), "order.approval-given");
                return given;
            }
            return approved(c, given, actor.username(), "approved as " + step + (note.isEmpty() ? "" : ": " + note));
        });
    }

    /** SUBMITTED → APPROVED, then fulfilment. */
    private Order approved(Connection c, Order o, String actor, String detail) throws SQLException {
        Order a = with(o, OrderState.APPROVED, o.approvals(), null, o.vmIds());
        CatalogStore.updateOrder(c, a);
        changed(c, a, o.state(), actor, detail, "order.approved");
        return fulfil(c, a);
    }

    /** APPROVED → PROVISIONING with the command to compute, or FAILED when the quota no longer allows it. */
    private Order fulfil(Connection c, Order o) throws SQLException {
        Map<String, Object> command = new LinkedHashMap<>();
        command.put("orderId", o.id());
        String type;
        String detail;
        if (o.kind() == OrderKind.PROVISION) {
            for (int k = 1; k <= o.quantity(); k++) {
                try {
                    ledger.recheck(reference(o.id(), k));
                } catch (ProblemException e) {
                    if (e.type() == ProblemType.UNAVAILABLE) {
                        throw e;
                    }
                    return failed(c, o, "the quota no longer allows it: " + e.getMessage());
                }
            }
            Sizing s = o.offered().sizing();
            List<String> names = names(o.name(), o.quantity());
            command.put("names", names);
            command.put("offeringId", o.offered().code());
            command.put("vcpu", s.vcpu());
            command.put("ramMib", s.ramMib());
            command.put("diskGib", s.diskGib());
            if (s.image() != null) {
                command.put("image", s.image());
            }
            o.parameters().forEach(command::put);
            type = "vm.provision";
            detail = "vm.provision sent to " + COMMANDS + ": " + names;
        } else {
            command.put("vmIds", o.targetVmIds());
            type = "vm.decommission";
            detail = "vm.decommission sent to " + COMMANDS + ": " + o.targetVmIds();
        }
        Order p = with(o, OrderState.PROVISIONING, o.approvals(), null, o.vmIds());
        CatalogStore.updateOrder(c, p);
        changed(c, p, o.state(), SYSTEM, detail, "order.provisioning");
        outbox.send(c, COMMANDS, DomainEvent.of(type, o.tenantId(), command));
        return p;
    }

    private Order failed(Connection c, Order o, String reason) throws SQLException {
        Order f = with(o, OrderState.FAILED, o.approvals(), reason, o.vmIds());
        CatalogStore.updateOrder(c, f);
        releaseUnits(o);
        changed(c, f, o.state(), SYSTEM, reason, "order.failed");
        return f;
    }

    private void releaseUnits(Order o) {
        if (o.kind() == OrderKind.PROVISION) {
            for (int k = 1; k <= o.quantity(); k++) {
                ledger.release(reference(o.id(), k));
            }
        }
    }

    @Override
    public Order reject(String orderId, Actor actor, String reason) {
        return db.inTransaction(c -> {
            Order o = locked(c, orderId);
            if (o.state() != OrderState.SUBMITTED) {
                throw ProblemException.conflict("order " + o.id() + " is " + o.state() + ": only a SUBMITTED order can be rejected");
            }
            String why = reason == null || reason.isBlank() ? "rejected by " + actor.username() : reason.trim();
            Order r = with(o, OrderState.REJECTED, o.approvals(), why, o.vmIds());
            CatalogStore.updateOrder(c, r);
            releaseUnits(o);
            changed(c, r, o.state(), actor.username(), why, "order.rejected");
            return r;
        });
    }

    @Override
    public Order cancel(String orderId, Actor actor, boolean mayCancelOthers) {
        return db.inTransaction(c -> {
            Order o = locked(c, orderId);
            if (!mayCancelOthers && !actor.userId().equals(o.requestedBy())) {
                throw ProblemException.forbidden("only the requester or an admin of the authority may cancel order " + o.id());
            }
            if (o.state() != OrderState.SUBMITTED && o.state() != OrderState.APPROVED) {
                throw ProblemException.conflict("order " + o.id() + " is " + o.state() + ": it can be cancelled only before "
                        + "provisioning starts");
            }
            String why = "cancelled by " + actor.username();
            Order r = with(o, OrderState.CANCELLED, o.approvals(), why, o.vmIds());
            CatalogStore.updateOrder(c, r);
            releaseUnits(o);
            changed(c, r, o.state(), actor.username(), why, "order.cancelled");
            return r;
        });
    }

    private Order with(Order o, OrderState state, List<Approval> approvals, String reason, List<String> vmIds) {
        return new Order(o.id(), o.tenantId(), o.kind(), o.offered(), o.quantity(), o.name(), o.parameters(), o.targetVmIds(),
                state, o.approvalsNeeded(), approvals, o.requestedBy(), o.requestedByName(), reason, vmIds, o.createdAt(),
                clock.instant());
    }

    /** Stores the transition, audits it and publishes its event, in the caller's transaction. */
    private void changed(Connection c, Order o, OrderState from, String actor, String detail, String eventType)
            throws SQLException {
        if (o.kind() == OrderKind.DECOMMISSION) {
            if (from == null) {
                CatalogStore.claimForDecommission(c, o.id(), o.targetVmIds());
            } else if (o.state() == OrderState.REJECTED || o.state() == OrderState.CANCELLED || o.state() == OrderState.FAILED) {
                CatalogStore.releaseDecommissionClaims(c, o.id());
            }
        }
        CatalogStore.insertTransition(c, o.id(), from, o.state(), o.updatedAt(), actor, detail);
        audit.record(actor, eventType, "order/" + o.id(), "SUCCESS", (from == null ? "" : from + " → ") + o.state()
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("orderId", o.id());
        p.put("kind", o.kind().name());
        p.put("state", o.state().name());
        p.put("from", from == null ? null : from.name());
        if (o.offered() != null) {
            p.put("offeringId", o.offered().id());
            p.put("offeringCode", o.offered().code());
            p.put("offeringVersion", o.offered().version());
            p.put("name", o.name());
        }
        p.put("quantity", o.quantity());
        p.put("actor", actor);
        p.put("detail", detail == null ? "" : detail);
        p.put("vmIds", o.kind() == OrderKind.PROVISION ? o.vmIds() : o.targetVmIds());
        outbox.add(c, TOPIC, new DomainEvent(java.util.UUID.randomUUID(), eventType, o.updatedAt(), o.tenantId(), p));
    }

    // --- compute's answers -----------------------------------------------------------------------

    /**
     * Handles an event of {@code compute.events}: the answers to fulfilment commands
     * ({@code vm.provisioned}, {@code vm.provision-failed}, {@code vm.decommissioned},
     * {@code vm.decommission-failed}) and {@code vm.deleted} (the VM's reservation is released).
     * Idempotent by event id; an answer for an order that is no longer PROVISIONING changes nothing.
     */
    void onComputeEvent(DomainEvent e) {
        switch (e.type()) {
            case "vm.provisioned", "vm.provision-failed", "vm.decommissioned", "vm.decommission-failed" -> answer(e);
            case "vm.deleted" -> db.inTransaction(c -> {
                if (e.payload().get("vmId") instanceof String vmId && CatalogStore.markProcessed(c, e.eventId().toString(),
                        clock.instant())) {
                    CatalogStore.removeVmReservation(c, vmId).ifPresent(ledger::release);
                }
                return null;
            });
            default -> {
                // other compute events do not concern the catalogue
            }
        }
    }

    private void answer(DomainEvent e) {
        if (!(e.payload().get("orderId") instanceof String orderId)) {
            LOG.warn("ignoring {} {} without orderId", e.type(), e.eventId());
            return;
        }
        db.inTransaction(c -> {
            Optional<Order> found = CatalogStore.order(c, orderId, true);
            if (!CatalogStore.markProcessed(c, e.eventId().toString(), clock.instant())) {
                return null;
            }
            if (found.isEmpty() || found.get().state() != OrderState.PROVISIONING) {
                LOG.warn("ignoring {} for order {}: it is {}", e.type(), orderId, found.map(o -> o.state().name()).orElse("unknown"));
                return null;
            }
            Order o = found.get();
            switch (e.type()) {
                case "vm.provisioned" -> {
                    List<String> vmIds = ((List<?>) e.payload().get("vmIds")).stream().map(String::valueOf).toList();
                    Order f = with(o, OrderState.FULFILLED, o.approvals(), null, vmIds);
                    CatalogStore.updateOrder(c, f);
                    for (int k = 1; k <= vmIds.size(); k++) {
                        CatalogStore.insertVmReservation(c, vmIds.get(k - 1), o.id(), reference(o.id(), k));
                    }
                    changed(c, f, o.state(), SYSTEM, "VMs " + names(o.name(), o.quantity()) + " running: " + vmIds,
                            "order.fulfilled");
                }
                case "vm.decommissioned" -> {
                    for (String vmId : o.targetVmIds()) {
                        CatalogStore.removeVmReservation(c, vmId).ifPresent(ledger::release);
                    }
                    Order f = with(o, OrderState.FULFILLED, o.approvals(), null, o.vmIds());
                    CatalogStore.updateOrder(c, f);
                    changed(c, f, o.state(), SYSTEM, "VMs deleted: " + o.targetVmIds(), "order.fulfilled");
                }
                default -> failed(c, o, String.valueOf(e.payload().getOrDefault("reason", "compute gave no reason")));
            }
            return null;
        });
    }
}

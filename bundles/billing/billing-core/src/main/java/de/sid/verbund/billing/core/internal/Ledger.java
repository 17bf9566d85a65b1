package de.sid.verbund.billing.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.billing.MeterReading;
import de.sid.verbund.billing.NewUsage;
import de.sid.verbund.billing.ParkedEvent;
import de.sid.verbund.billing.UsageKind;
import de.sid.verbund.billing.UsageRecord;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.persistence.Inserts;
import de.sid.verbund.persistence.Database;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The usage ledger: metering of compute's {@code vm.*} events into VM segments, quantities from
 * other sources (the {@link de.sid.verbund.billing.UsageRecorder} SPI), cumulative meter readings,
 * parked events, and reading it back.
 *
 * <p>Rules of the metering (issue #6):
 * <ul>
 * <li>Each event is applied once: its id is marked processed in the transaction that applies it,
 *     under the VM's meter row lock, so a replay or a second consumer adds nothing.</li>
 * <li>Billable state: RUNNING counts VM-hours, vCPU-hours and GiB-RAM-hours; the disk counts while
 *     the VM exists in any state (it occupies storage when stopped) until DELETED or FAILED.</li>
 * <li>Order: events of a VM are applied in their sequence order: the payload's {@code seq} when it
 *     has one (an event whose seq is not above the last applied one is parked), else arrival order
 *     (compute's outbox publishes a VM's events in the order they were written, under its row lock).
 *     An event time before the open segment's start is clamped to that start, so a stop before its
 *     start bills zero, never a negative length.</li>
 * <li>An event that changes neither sizing nor billable state (a repeated start) is ignored.</li>
 * <li>A malformed event is parked ({@code billing_parked}) and acknowledged; the events after it go on.</li>
 * <li>Usage in a period that was closed (a FINAL document) more than the correction horizon ago is
 *     parked for review instead of recorded.</li>
 * </ul>
 */
final class Ledger {
    private static final Logger LOG = LoggerFactory.getLogger(Ledger.class);
    static final String COMPUTE = "compute";
    static final long HOUR_MS = 3_600_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USAGE_COLUMNS = "id, kind, authority_id, service, resource_id, resource_name, "
            + "offering_code, vcpu, ram_mib, disk_gib, running, metric, quantity, unit, start_ms, end_ms, event_id, recorded_at";

    private final Database db;
    private final Clock clock;
    private final int horizonMonths;

    Ledger(Database db, Clock clock, int horizonMonths) {
        this.db = db;
        this.clock = clock;
        this.horizonMonths = horizonMonths;
    }

    /** A {@code vm.*} event's facts, or the reason it cannot be metered. */
    record VmChange(String vmId, String authorityId, String name, String offeringCode, String state, int vcpu,
            long ramMib, long diskGib, Long seq) {
        boolean running() {
            return "RUNNING".equals(state);
        }

        boolean gone() {
            return "DELETED".equals(state) || "FAILED".equals(state);
        }

        static VmChange of(DomainEvent e) {
            Map<String, Object> p = e.payload();
            String tenant = e.tenantId();
            if (tenant == null || tenant.isBlank()) {
                throw new IllegalArgumentException("tenantId missing");
            }
            String state = "vm.deleted".equals(e.type()) ? "DELETED" : text(p, "state");
            return new VmChange(text(p, "vmId"), tenant, optionalText(p, "name"), optionalText(p, "offeringId"), state,
                    (int) number(p, "vcpu"), number(p, "ramMib"), number(p, "diskGib"),
                    p.get("seq") == null ? null : number(p, "seq"));
        }

        private static String text(Map<String, Object> p, String key) {
            if (!(p.get(key) instanceof String s) || s.isBlank()) {
                throw new IllegalArgumentException("payload." + key + " missing or not text");
            }
            return s;
        }

        private static String optionalText(Map<String, Object> p, String key) {
            Object v = p.get(key);
            if (v != null && !(v instanceof String)) {
                throw new IllegalArgumentException("payload." + key + " is not text");
            }
            return (String) v;
        }

        private static long number(Map<String, Object> p, String key) {
            Object v = p.get(key);
            if (!(v instanceof Number n) || n instanceof Double || n instanceof Float || n.longValue() < 0) {
                throw new IllegalArgumentException("payload." + key + " missing or not a whole number >= 0: " + v);
            }
            return n.longValue();
        }
    }

    /** The open segment of a VM. */
    private record Meter(String vmId, String authorityId, String name, String offeringCode, int vcpu, long ramMib,
            long diskGib, String state, boolean running, long sinceMs, Long lastSeq, boolean deleted) {
    }

    /**
     * The command replies compute publishes on the same topic ({@code vm.provisioned},
     * {@code vm.provision-failed}, {@code vm.decommissioned}, {@code vm.decommission-failed}: answers
     * to the catalogue's orders, payload {@code orderId}, no {@code vmId}). They are not usage: the
     * VMs they name have their own lifecycle events. (Parked as malformed, they filled
     * {@code billing_parked} with one entry per order.)
     */
    static final java.util.Set<String> COMMAND_REPLIES = java.util.Set.of("vm.provisioned", "vm.provision-failed",
            "vm.decommissioned", "vm.decommission-failed");

    /**
     * Meters one compute event. Events other than {@code vm.*}, and compute's command replies
     * ({@link #COMMAND_REPLIES}), are ignored.
     *
     * @return whether the event changed the ledger or a meter (false for duplicates, parked and ignored events)
     */
    boolean apply(DomainEvent e) {
        if (!e.type().startsWith("vm.") || COMMAND_REPLIES.contains(e.type())) {
            return false;
        }
        VmChange ch;
        try {
            ch = VmChange.of(e);
        } catch (IllegalArgumentException ex) {
            park(e.eventId().toString(), e.type(), ex.getMessage(), body(e));
            return false;
        }
        return Retry.onUniqueViolation(() -> db.inTransaction(c -> apply(c, e, ch)));
    }

    private boolean apply(Connection c, DomainEvent e, VmChange ch) throws SQLException {
        lockLedger(c);
        Meter m = lockMeter(c, ch.vmId());
        if (!Sql.markProcessed(c, e.eventId().toString(), clock.instant())) {
            return false;
        }
        if (m != null && !m.authorityId().equals(ch.authorityId())) {
            return park(c, e, "VM " + ch.vmId() + " belongs to authority " + m.authorityId() + ", event names "
                    + ch.authorityId());
        }
        if (m != null && ch.seq() != null && m.lastSeq() != null && ch.seq() <= m.lastSeq()) {
            return park(c, e, "seq " + ch.seq() + " arrived after seq " + m.lastSeq() + " of VM " + ch.vmId());
        }
        long at = e.occurredAt().toEpochMilli();
        if (m != null && m.deleted()) {
            return park(c, e, "VM " + ch.vmId() + " was already deleted");
        }
        long t = m == null ? at : Math.max(at, m.sinceMs());
        if (beyondHorizon(c, ch.authorityId(), Instant.ofEpochMilli(t))) {
            return park(c, e, "usage at " + Instant.ofEpochMilli(t) + " falls in a period closed more than "
                    + horizonMonths + " month(s) ago");
        }
        if (m == null) {
            insertMeter(c, ch, t, ch.gone());
            return true;
        }
        boolean same = !ch.gone() && ch.running() == m.running() && ch.vcpu() == m.vcpu() && ch.ramMib() == m.ramMib()
                && ch.diskGib() == m.diskGib() && java.util.Objects.equals(ch.offeringCode(), m.offeringCode());
        if (same) {
            updateMeter(c, ch, m.sinceMs(), m.running(), false);
            return false;
        }
        if (t > m.sinceMs()) {
            appendSegments(c, List.of(new Segment(m.authorityId(), m.vmId(), m.name(), m.offeringCode(), m.vcpu(),
                    m.ramMib(), m.diskGib(), m.running(), m.sinceMs(), t, e.eventId().toString())));
        }
        updateMeter(c, ch, t, ch.running(), ch.gone());
        return true;
    }

    private Meter lockMeter(Connection c, String vmId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT vm_id, authority_id, name, offering_code, vcpu, ram_mib, "
                + "disk_gib, state, running, since_ms, last_seq, deleted FROM billing_vm_meter WHERE vm_id = ? FOR UPDATE")) {
            ps.setString(1, vmId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Meter(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getLong(6), rs.getLong(7), rs.getString(8), rs.getBoolean(9), rs.getLong(10),
                        Sql.longOrNull(rs, "last_seq"), rs.getBoolean(12));
            }
        }
    }

    private static void insertMeter(Connection c, VmChange ch, long since, boolean deleted) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing_vm_meter (vm_id, authority_id, name, "
                + "offering_code, vcpu, ram_mib, disk_gib, state, running, since_ms, last_seq, deleted) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, ch.vmId());
            ps.setString(2, ch.authorityId());
            ps.setString(3, ch.name());
            ps.setString(4, ch.offeringCode());
            ps.setInt(5, ch.vcpu());
            ps.setLong(6, ch.ramMib());
            ps.setLong(7, ch.diskGib());
            ps.setString(8, ch.state());
            ps.setBoolean(9, ch.running());
            ps.setLong(10, since);
            Sql.setLongOrNull(ps, 11, ch.seq());
            ps.setBoolean(12, deleted);
            ps.executeUpdate();
        }
    }

    private static void updateMeter(Connection c, VmChange ch, long since, boolean running, boolean deleted)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE billing_vm_meter SET name = COALESCE(?, name), "
                + "offering_code = ?, vcpu = ?, ram_mib = ?, disk_gib = ?, state = ?, running = ?, since_ms = ?, "
                + "last_seq = COALESCE(?, last_seq), deleted = ? WHERE vm_id = ?")) {
            ps.setString(1, ch.name());
            ps.setString(2, ch.offeringCode());
            ps.setInt(3, ch.vcpu());
            ps.setLong(4, ch.ramMib());
            ps.setLong(5, ch.diskGib());
            ps.setString(6, ch.state());
            ps.setBoolean(7, running);
            ps.setLong(8, since);
            Sql.setLongOrNull(ps, 9, ch.seq());
            ps.setBoolean(10, deleted);
            ps.setString(11, ch.vmId());
            ps.executeUpdate();
        }
    }

    /** Appends closed VM segments in batches (zero-length ones are left out). */
    static void appendSegments(Connection c, List<Segment> segments) throws SQLException {
        Instant now = Instant.now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing_usage (kind, authority_id, service, "
                + "resource_id, resource_name, offering_code, vcpu, ram_mib, disk_gib, running, start_ms, end_ms, "
                + "event_id, recorded_at) VALUES ('SEGMENT', ?, 'compute', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (Segment s : segments) {
                if (s.endMs() <= s.startMs()) {
                    continue;
                }
                ps.setString(1, s.authorityId());
                ps.setString(2, s.vmId());
                ps.setString(3, s.name());
                ps.setString(4, s.offeringCode());
                ps.setInt(5, s.vcpu());
                ps.setLong(6, s.ramMib());
                ps.setLong(7, s.diskGib());
                ps.setBoolean(8, s.running());
                ps.setLong(9, s.startMs());
                ps.setLong(10, s.endMs());
                ps.setString(11, s.eventId());
                ps.setObject(12, Sql.ts(now));
                ps.addBatch();
                if (++n % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            if (n % 1000 != 0) {
                ps.executeBatch();
            }
        }
        rollUp(c, segments);
    }

    /** Key of an hourly roll-up row. */
    private record HourKey(long hourMs, String authorityId, String offeringCode, boolean running) {
    }

    /**
     * Adds segments to {@code billing_usage_hour}: each is split at full hours, its parts summed per
     * hour, authority, offering and billable state, and merged into the rows in batches.
     */
    private static void rollUp(Connection c, List<Segment> segments) throws SQLException {
        Map<HourKey, long[]> sums = new java.util.HashMap<>();
        for (Segment s : segments) {
            for (long from = s.startMs(); from < s.endMs();) {
                long hour = Math.floorDiv(from, HOUR_MS) * HOUR_MS;
                long to = Math.min(s.endMs(), hour + HOUR_MS);
                long ms = to - from;
                long[] v = sums.computeIfAbsent(new HourKey(hour, s.authorityId(),
                        s.offeringCode() == null ? "" : s.offeringCode(), s.running()), k -> new long[4]);
                v[0] += ms;
                v[1] += ms * s.vcpu();
                v[2] += ms * s.ramMib();
                v[3] += ms * s.diskGib();
                from = to;
            }
        }
        if (sums.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("MERGE INTO billing_usage_hour t USING (VALUES (CAST(? AS BIGINT), "
                + "CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(100)), CAST(? AS BOOLEAN), CAST(? AS BIGINT), CAST(? AS BIGINT), "
                + "CAST(? AS BIGINT), CAST(? AS BIGINT))) AS s (hour_ms, authority_id, offering_code, running, ms, vcpu_ms, "
                + "ram_mib_ms, disk_gib_ms) ON t.hour_ms = s.hour_ms AND t.authority_id = s.authority_id AND "
                + "t.offering_code = s.offering_code AND t.running = s.running WHEN MATCHED THEN UPDATE SET ms = t.ms + s.ms, "
                + "vcpu_ms = t.vcpu_ms + s.vcpu_ms, ram_mib_ms = t.ram_mib_ms + s.ram_mib_ms, disk_gib_ms = t.disk_gib_ms + "
                + "s.disk_gib_ms WHEN NOT MATCHED THEN INSERT (hour_ms, authority_id, offering_code, running, ms, vcpu_ms, "
                + "ram_mib_ms, disk_gib_ms) VALUES (s.hour_ms, s.authority_id, s.offering_code, s.running, s.ms, s.vcpu_ms, "
                + "s.ram_mib_ms, s.disk_gib_ms)")) {
            int n = 0;
            for (Map.Entry<HourKey, long[]> e : sums.entrySet()) {
                HourKey k = e.getKey();
                long[] v = e.getValue();
                ps.setLong(1, k.hourMs());
                ps.setString(2, k.authorityId());
                ps.setString(3, k.offeringCode());
                ps.setBoolean(4, k.running());
                ps.setLong(5, v[0]);
                ps.setLong(6, v[1]);
                ps.setLong(7, v[2]);
                ps.setLong(8, v[3]);
                ps.addBatch();
                if (++n % 1000 == 0) {
                    ps.executeBatch();
                }
            }
            if (n % 1000 != 0) {
                ps.executeBatch();
            }
        }
    }

    /**
     * Closes the books of VM meters at a period end: every open segment that started before
     * {@code endMs} is appended up to it and continues from it. So no open segment reaches into a
     * period that is rated as ended, and a FINAL invoice's usage is all in the ledger.
     *
     * @return how many segments were cut
     */
    static int cut(Connection c, BillingPeriod period) throws SQLException {
        lockLedger(c);
        long end = period.end().toEpochMilli();
        List<Segment> cut = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT vm_id, authority_id, name, offering_code, vcpu, ram_mib, "
                + "disk_gib, running, since_ms FROM billing_vm_meter WHERE deleted = FALSE AND since_ms < ? FOR UPDATE")) {
            ps.setLong(1, end);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    cut.add(new Segment(rs.getString(2), rs.getString(1), rs.getString(3), rs.getString(4), rs.getInt(5),
                            rs.getLong(6), rs.getLong(7), rs.getBoolean(8), rs.getLong(9), end,
                            "cut:" + period + ":" + rs.getString(1)));
                }
            }
        }
        if (cut.isEmpty()) {
            return 0;
        }
        appendSegments(c, cut);
        try (PreparedStatement ps = c.prepareStatement("UPDATE billing_vm_meter SET since_ms = ? WHERE vm_id = ?")) {
            for (Segment s : cut) {
                ps.setLong(1, end);
                ps.setString(2, s.vmId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return cut.size();
    }

    /**
     * Takes the ledger's write lock until the transaction ends. Every writer takes it before it
     * writes, so when a reader holds it no ledger write is uncommitted.
     */
    static void lockLedger(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM billing_ledger_lock WHERE id = 1 FOR UPDATE");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
        }
    }

    /**
     * The highest ledger id, read under the ledger's write lock: every record up to it is committed
     * (or written by this transaction), so a rating up to it misses nothing that commits later.
     *
     * @return the highest ledger id, 0 when empty
     */
    static long watermark(Connection c) throws SQLException {
        lockLedger(c);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(id) FROM billing_usage")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    // --- other sources --------------------------------------------------------------------------------------

    Optional<UsageRecord> record(NewUsage u) {
        List<String> errors = new ArrayList<>();
        require(errors, "eventId", u.eventId());
        require(errors, "authorityId", u.authorityId());
        require(errors, "service", u.service());
        require(errors, "resourceId", u.resourceId());
        require(errors, "metric", u.metric());
        require(errors, "unit", u.unit());
        if (u.quantity() == null || u.quantity().signum() < 0) {
            errors.add("quantity must be given and not negative");
        }
        if (u.start() == null || u.end() == null || u.end().isBefore(u.start())) {
            errors.add("start and end must be given, end not before start");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(de.sid.verbund.core.ProblemType.BAD_REQUEST, "invalid usage: "
                    + String.join("; ", errors), errors, null);
        }
        return Retry.onUniqueViolation(() -> db.inTransaction(c -> {
            lockLedger(c);
            if (!Sql.markProcessed(c, u.eventId(), clock.instant())) {
                return Optional.<UsageRecord>empty();
            }
            if (beyondHorizon(c, u.authorityId(), u.end())) {
                parkUsage(c, u.eventId(), "usage", "usage ending " + u.end() + " falls in a period closed more than "
                        + horizonMonths + " month(s) ago", u);
                return Optional.<UsageRecord>empty();
            }
            long id = insertQuantity(c, u);
            return Optional.of(usage(c, id));
        }));
    }

    Optional<UsageRecord> reading(MeterReading r) {
        List<String> errors = new ArrayList<>();
        require(errors, "eventId", r.eventId());
        require(errors, "authorityId", r.authorityId());
        require(errors, "service", r.service());
        require(errors, "resourceId", r.resourceId());
        require(errors, "metric", r.metric());
        require(errors, "unit", r.unit());
        if (r.value() == null || r.value().signum() < 0) {
            errors.add("value must be given and not negative");
        }
        if (r.at() == null) {
            errors.add("at must be given");
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(de.sid.verbund.core.ProblemType.BAD_REQUEST, "invalid meter reading: "
                    + String.join("; ", errors), errors, null);
        }
        String key = r.authorityId() + "|" + r.service() + "|" + r.resourceId() + "|" + r.metric();
        return Retry.onUniqueViolation(() -> db.inTransaction(c -> {
            lockLedger(c);
            BigDecimal last = null;
            long lastMs = 0;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT last_value, last_ms FROM billing_meter_reading WHERE meter_key = ? FOR UPDATE")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        last = rs.getBigDecimal(1);
                        lastMs = rs.getLong(2);
                    }
                }
            }
            if (!Sql.markProcessed(c, r.eventId(), clock.instant())) {
                return Optional.<UsageRecord>empty();
            }
            long at = r.at().toEpochMilli();
            if (last != null && at < lastMs) {
                parkUsage(c, r.eventId(), "reading", "reading at " + r.at() + " is older than the last one ("
                        + Instant.ofEpochMilli(lastMs) + ")", r);
                return Optional.<UsageRecord>empty();
            }
            BigDecimal delta = CumulativeMeter.delta(last, r.value());
            Instant start = last == null ? r.at() : Instant.ofEpochMilli(lastMs);
            NewUsage u = new NewUsage(r.eventId(), r.authorityId(), r.service(), r.resourceId(), null, r.metric(),
                    delta, r.unit(), start, r.at());
            if (beyondHorizon(c, u.authorityId(), u.end())) {
                parkUsage(c, r.eventId(), "reading", "reading at " + r.at() + " falls in a period closed more than "
                        + horizonMonths + " month(s) ago", r);
                return Optional.<UsageRecord>empty();
            }
            long id = insertQuantity(c, u);
            String upsert = last == null
                    ? "INSERT INTO billing_meter_reading (last_value, last_ms, meter_key) VALUES (?, ?, ?)"
                    : "UPDATE billing_meter_reading SET last_value = ?, last_ms = ? WHERE meter_key = ?";
            try (PreparedStatement ps = c.prepareStatement(upsert)) {
                ps.setBigDecimal(1, r.value());
                ps.setLong(2, at);
                ps.setString(3, key);
                ps.executeUpdate();
            }
            return Optional.of(usage(c, id));
        }));
    }

    private static void require(List<String> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field + " must not be blank");
        } else if (value.length() > 200) {
            errors.add(field + " must be at most 200 characters");
        }
    }

    private long insertQuantity(Connection c, NewUsage u) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing_usage (kind, authority_id, service, "
                + "resource_id, resource_name, vcpu, ram_mib, disk_gib, running, metric, quantity, unit, start_ms, "
                + "end_ms, event_id, recorded_at) VALUES ('QUANTITY', ?, ?, ?, ?, 0, 0, 0, FALSE, ?, ?, ?, ?, ?, ?, ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, u.authorityId());
            ps.setString(2, u.service());
            ps.setString(3, u.resourceId());
            ps.setString(4, u.resourceName());
            ps.setString(5, u.metric());
            ps.setBigDecimal(6, u.quantity());
            ps.setString(7, u.unit());
            ps.setLong(8, u.start().toEpochMilli());
            ps.setLong(9, u.end().toEpochMilli());
            ps.setString(10, u.eventId());
            ps.setObject(11, Sql.ts(clock.instant()));
            ps.executeUpdate();
            try (ResultSet rs = ps.getGeneratedKeys()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * @return whether the authority has a FINAL document for the period of {@code at}, and that period
     *         lies more than the horizon before the current one
     */
    private boolean beyondHorizon(Connection c, String authorityId, Instant at) throws SQLException {
        BillingPeriod p = BillingPeriod.containing(at);
        BillingPeriod limit = new BillingPeriod(BillingPeriod.containing(clock.instant()).month().minusMonths(horizonMonths));
        if (!p.month().isBefore(limit.month())) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM billing_invoice WHERE authority_id = ? AND "
                + "period = ? AND state = 'FINAL' AND kind <> 'CREDIT_NOTE'")) {
            ps.setString(1, authorityId);
            ps.setString(2, p.toString());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    // --- parking ---------------------------------------------------------------------------------------------

    private void park(String eventId, String type, String reason, String body) {
        Retry.onUniqueViolation(() -> db.inTransaction(c -> {
            insertParked(c, eventId, type, reason, body);
            return null;
        }));
    }

    private boolean park(Connection c, DomainEvent e, String reason) throws SQLException {
        insertParked(c, e.eventId().toString(), e.type(), reason, body(e));
        return false;
    }

    private void parkUsage(Connection c, String eventId, String type, String reason, Object report) throws SQLException {
        String body;
        try {
            body = JSON.writeValueAsString(report);
        } catch (JsonProcessingException ex) {
            body = String.valueOf(report);
        }
        insertParked(c, eventId, type, reason, body);
    }

    private void insertParked(Connection c, String eventId, String type, String reason, String body) throws SQLException {
        LOG.warn("Billing parked {} {} for review: {}", type, eventId, reason);
        Inserts.once(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing_parked (event_id, type, reason, body, "
                    + "parked_at) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, eventId);
                ps.setString(2, type);
                ps.setString(3, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
                ps.setString(4, body);
                ps.setObject(5, Sql.ts(clock.instant()));
                ps.executeUpdate();
            }
        });
    }

    static String body(DomainEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", e.eventId().toString());
        m.put("type", e.type());
        m.put("occurredAt", e.occurredAt().toString());
        m.put("tenantId", e.tenantId());
        m.put("payload", e.payload());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException ex) {
            return m.toString();
        }
    }

    Page<ParkedEvent> parked(int limit, String cursor) {
        int lim = Page.limit(limit);
        long after = Sql.afterId(cursor);
        return db.inTransaction(c -> {
            List<ParkedEvent> items = new ArrayList<>();
            long last = after;
            boolean more = false;
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, event_id, type, reason, body, parked_at FROM "
                    + "billing_parked WHERE seq > ? ORDER BY seq LIMIT ?")) {
                ps.setLong(1, after);
                ps.setInt(2, lim + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (items.size() == lim) {
                            more = true;
                            break;
                        }
                        last = rs.getLong(1);
                        items.add(new ParkedEvent(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                                Sql.instant(rs, "parked_at")));
                    }
                }
            }
            return new Page<>(items, more ? Long.toString(last) : null);
        });
    }

    // --- reading ---------------------------------------------------------------------------------------------

    Page<UsageRecord> usage(String authorityId, Instant from, Instant to, int limit, String cursor) {
        if (from == null || to == null || !to.isAfter(from)) {
            throw ProblemException.badRequest("from and to must be given, to after from: " + from + " – " + to);
        }
        int lim = Page.limit(limit);
        long after = Sql.afterId(cursor);
        return db.inTransaction(c -> {
            String sql = "SELECT " + USAGE_COLUMNS + " FROM billing_usage WHERE id > ? AND start_ms < ? AND "
                    + "(end_ms > ? OR (end_ms = start_ms AND end_ms >= ?))"
                    + (authorityId == null ? "" : " AND authority_id = ?") + " ORDER BY id LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setLong(i++, after);
                ps.setLong(i++, to.toEpochMilli());
                ps.setLong(i++, from.toEpochMilli());
                ps.setLong(i++, from.toEpochMilli());
                if (authorityId != null) {
                    ps.setString(i++, authorityId);
                }
                ps.setInt(i, lim + 1);
                return page(ps, lim);
            }
        });
    }

    static Page<UsageRecord> page(PreparedStatement ps, int lim) throws SQLException {
        List<UsageRecord> items = new ArrayList<>();
        boolean more = false;
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                if (items.size() == lim) {
                    more = true;
                    break;
                }
                items.add(usage(rs));
            }
        }
        return new Page<>(items, more ? Long.toString(items.get(items.size() - 1).id()) : null);
    }

    static String usageColumns() {
        return USAGE_COLUMNS;
    }

    private static UsageRecord usage(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + USAGE_COLUMNS + " FROM billing_usage WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return usage(rs);
            }
        }
    }

    static UsageRecord usage(ResultSet rs) throws SQLException {
        return new UsageRecord(rs.getLong("id"), UsageKind.valueOf(rs.getString("kind")), rs.getString("authority_id"),
                rs.getString("service"), rs.getString("resource_id"), rs.getString("resource_name"),
                rs.getString("offering_code"), rs.getInt("vcpu"), rs.getLong("ram_mib"), rs.getLong("disk_gib"),
                rs.getBoolean("running"), rs.getString("metric"), rs.getBigDecimal("quantity"), rs.getString("unit"),
                Instant.ofEpochMilli(rs.getLong("start_ms")), Instant.ofEpochMilli(rs.getLong("end_ms")),
                rs.getString("event_id"), Sql.instant(rs, "recorded_at"));
    }
}

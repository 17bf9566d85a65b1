package de.sid.verbund.billing.core.internal;

import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.PriceSheet;
import de.sid.verbund.billing.UsageRecord;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.ProblemException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rates the ledger: set-based SQL aggregation of the usage of a period, per price-sheet window, into
 * lines. A whole period's segments are read from their hourly roll-up ({@code billing_usage_hour},
 * kept as segments are appended), corrections from the segments themselves (by ledger id). The period [start, end) of Europe/Berlin is cut into windows at every change of the sheet
 * in force, so a price change in the month splits the charge there. Per window and authority:
 * <ul>
 * <li>VM-hours per offering, vCPU-hours and GiB-RAM-hours: the RUNNING segments' milliseconds in
 *     the window (× vCPUs, × MiB / 1024), / 3,600,000;</li>
 * <li>GiB-disk-months: every segment's GiB × milliseconds / (3,600,000 × the month's hours);</li>
 * <li>service subscriptions: milliseconds subscribed / (3,600,000 × the month's hours);</li>
 * <li>other quantities: their sum, for the quantities whose end lies in (window start, window end].</li>
 * </ul>
 * A line's amount is {@code quantity × unit price} computed exactly and rounded once to cents
 * HALF_UP ({@link Money#ROUNDING}); its quantity is shown with 10 decimals. A metric the sheet
 * has no price for is not charged. Usage in a part of the period that no sheet covers is refused
 * (CONFLICT), never billed at zero silently.
 */
final class Rater {
    static final BigDecimal MS_PER_HOUR = BigDecimal.valueOf(3_600_000L);
    private static final BigDecimal MIB_PER_GIB = BigDecimal.valueOf(1024);
    private static final int QUANTITY_SCALE = 10;
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(BillingPeriod.ZONE);

    private Rater() {
    }

    /** A window of the period with one sheet in force. */
    record Window(long startMs, long endMs, PriceSheet sheet) {
    }

    /** Per authority: what its segments add up to in one window. */
    private static final class SegmentSums {
        final Map<String, BigDecimal> runningMsByOffering = new TreeMap<>();
        BigDecimal vcpuMs = BigDecimal.ZERO;
        BigDecimal ramMibMs = BigDecimal.ZERO;
        BigDecimal diskGibMs = BigDecimal.ZERO;

        void add(String offering, boolean running, BigDecimal ms, BigDecimal vcpuMs, BigDecimal ramMs, BigDecimal diskMs) {
            if (running) {
                if (offering != null) {
                    runningMsByOffering.merge(offering, ms, BigDecimal::add);
                }
                this.vcpuMs = this.vcpuMs.add(vcpuMs);
                this.ramMibMs = this.ramMibMs.add(ramMs);
            }
            this.diskGibMs = this.diskGibMs.add(diskMs);
        }
    }

    /**
     * @param authorityId one authority, or {@code null} for all
     * @param period the period rated
     * @param fromId ledger ids above this one count (0 for all)
     * @param toId ledger ids up to this one count (the watermark)
     * @param openUntilMs when &gt; 0, the open VM segments (not yet in the ledger) count up to this instant
     * @param correctionOf the period the lines correct (then they refer to it), or {@code null}
     * @return lines per authority, in a stable order (window, service, resource)
     */
    static Map<String, List<LineDraft>> rate(Connection c, String authorityId, BillingPeriod period, long fromId, long toId,
            long openUntilMs, BillingPeriod correctionOf) throws SQLException {
        long pStart = period.start().toEpochMilli();
        long pEnd = period.end().toEpochMilli();
        BigDecimal monthMs = MS_PER_HOUR.multiply(BigDecimal.valueOf(period.hours()));
        List<Window> windows = new ArrayList<>();
        long cursor = pStart;
        for (PriceSheet s : PriceSheets.inForce(c, pStart, pEnd, false)) {
            long ws = Math.max(pStart, s.validFrom().toEpochMilli());
            long we = s.validTo() == null ? pEnd : Math.min(pEnd, s.validTo().toEpochMilli());
            if (ws > cursor) {
                refuseUnpriced(c, authorityId, cursor, ws, fromId, toId, openUntilMs);
            }
            windows.add(new Window(ws, we, s));
            cursor = we;
        }
        if (cursor < pEnd) {
            refuseUnpriced(c, authorityId, cursor, pEnd, fromId, toId, openUntilMs);
        }
        Map<String, List<LineDraft>> out = new TreeMap<>();
        for (Window w : windows) {
            boolean whole = w.startMs() == pStart && w.endMs() == pEnd;
            String suffix = whole ? "" : " (" + SHORT.format(Instant.ofEpochMilli(w.startMs())) + " – "
                    + SHORT.format(Instant.ofEpochMilli(w.endMs())) + ")";
            String prefix = correctionOf == null ? "" : "Correction " + correctionOf + ": ";
            Map<String, SegmentSums> segs = segments(c, authorityId, w, fromId, toId, openUntilMs);
            for (Map.Entry<String, SegmentSums> e : segs.entrySet()) {
                String a = e.getKey();
                SegmentSums s = e.getValue();
                List<LineDraft> lines = out.computeIfAbsent(a, k -> new ArrayList<>());
                for (Map.Entry<String, BigDecimal> o : s.runningMsByOffering.entrySet()) {
                    line(lines, w, a, "compute", o.getKey(), prefix + "VM hours " + o.getKey() + suffix, o.getValue(),
                            MS_PER_HOUR, Metric.VM_HOUR, o.getKey(), "HUR", fromId, toId, correctionOf);
                }
                line(lines, w, a, "compute", "vcpu", prefix + "vCPU hours" + suffix, s.vcpuMs, MS_PER_HOUR,
                        Metric.VCPU_HOUR, null, "HUR", fromId, toId, correctionOf);
                line(lines, w, a, "compute", "ram", prefix + "RAM GiB hours" + suffix, s.ramMibMs,
                        MS_PER_HOUR.multiply(MIB_PER_GIB), Metric.RAM_GIB_HOUR, null, "HUR", fromId, toId, correctionOf);
                line(lines, w, a, "compute", "disk", prefix + "Disk GiB months" + suffix, s.diskGibMs, monthMs,
                        Metric.DISK_GIB_MONTH, null, "MON", fromId, toId, correctionOf);
            }
            quantities(c, authorityId, w, fromId, toId, monthMs, prefix, suffix, correctionOf, out);
        }
        out.values().removeIf(List::isEmpty);
        return out;
    }

    private static void line(List<LineDraft> lines, Window w, String authority, String service, String resource,
            String description, BigDecimal numerator, BigDecimal denominator, Metric metric, String qualifier, String unit,
            long fromId, long toId, BillingPeriod correctionOf) {
        if (numerator.signum() == 0) {
            return;
        }
        Optional<Money> price = PriceSheets.price(w.sheet(), metric, qualifier);
        if (price.isEmpty()) {
            return;
        }
        BigDecimal quantity = numerator.divide(denominator, QUANTITY_SCALE, RoundingMode.HALF_UP);
        Money amount = Money.eur(numerator.multiply(price.get().amount()).divide(denominator, Money.CENT_SCALE,
                Money.ROUNDING));
        lines.add(new LineDraft(service, resource, description, quantity, unit, price.get(), amount, correctionOf,
                w.sheet().id(), metric, qualifier, authority, w.startMs(), w.endMs(), fromId, toId));
    }

    private static Map<String, SegmentSums> segments(Connection c, String authorityId, Window w, long fromId, long toId,
            long openUntilMs) throws SQLException {
        Map<String, SegmentSums> sums = fromId == 0 ? hourly(c, authorityId, w) : ledger(c, authorityId, w, fromId, toId);
        long until = Math.min(w.endMs(), openUntilMs);
        if (openUntilMs > 0 && fromId == 0 && until > w.startMs()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT authority_id, offering_code, running, since_ms, vcpu, "
                    + "ram_mib, disk_gib FROM billing_vm_meter WHERE deleted = FALSE AND since_ms < ?"
                    + (authorityId == null ? "" : " AND authority_id = ?"))) {
                ps.setLong(1, until);
                if (authorityId != null) {
                    ps.setString(2, authorityId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        BigDecimal ms = BigDecimal.valueOf(until - Math.max(rs.getLong(4), w.startMs()));
                        sums.computeIfAbsent(rs.getString(1), k -> new SegmentSums()).add(rs.getString(2),
                                rs.getBoolean(3), ms, ms.multiply(BigDecimal.valueOf(rs.getInt(5))),
                                ms.multiply(BigDecimal.valueOf(rs.getLong(6))), ms.multiply(BigDecimal.valueOf(rs.getLong(7))));
                    }
                }
            }
        }
        return sums;
    }

    /**
     * Sums the segments from the hourly roll-up (whole-ledger ratings: the caller read the watermark
     * under the ledger lock in this transaction, so the roll-up holds exactly the records up to it).
     * Windows are whole hours: price sheets start and end on full hours, periods at midnight.
     */
    private static Map<String, SegmentSums> hourly(Connection c, String authorityId, Window w) throws SQLException {
        Map<String, SegmentSums> sums = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT authority_id, offering_code, running, SUM(ms), SUM(vcpu_ms), "
                + "SUM(ram_mib_ms), SUM(disk_gib_ms) FROM billing_usage_hour WHERE hour_ms >= ? AND hour_ms < ?"
                + (authorityId == null ? "" : " AND authority_id = ?") + " GROUP BY authority_id, offering_code, running")) {
            ps.setLong(1, w.startMs());
            ps.setLong(2, w.endMs());
            if (authorityId != null) {
                ps.setString(3, authorityId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String offering = rs.getString(2);
                    sums.computeIfAbsent(rs.getString(1), k -> new SegmentSums()).add(offering.isEmpty() ? null : offering,
                            rs.getBoolean(3), rs.getBigDecimal(4), rs.getBigDecimal(5), rs.getBigDecimal(6),
                            rs.getBigDecimal(7));
                }
            }
        }
        return sums;
    }

    /** Sums the ledger's segments with ids in {@code (fromId, toId]} (corrections: few records). */
    private static Map<String, SegmentSums> ledger(Connection c, String authorityId, Window w, long fromId, long toId)
            throws SQLException {
        String clip = "(LEAST(end_ms, ?) - GREATEST(start_ms, ?))";
        String sql = "SELECT authority_id, offering_code, running, SUM(" + clip + "), SUM(" + clip + " * vcpu), SUM("
                + clip + " * ram_mib), SUM(" + clip + " * disk_gib) FROM billing_usage WHERE kind <> 'QUANTITY' AND "
                + "start_ms < ? AND end_ms > ? AND id > ? AND id <= ?"
                + (authorityId == null ? "" : " AND authority_id = ?")
                + " GROUP BY authority_id, offering_code, running";
        Map<String, SegmentSums> sums = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (int k = 0; k < 4; k++) {
                ps.setLong(i++, w.endMs());
                ps.setLong(i++, w.startMs());
            }
            ps.setLong(i++, w.endMs());
            ps.setLong(i++, w.startMs());
            ps.setLong(i++, fromId);
            ps.setLong(i++, toId);
            if (authorityId != null) {
                ps.setString(i, authorityId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    sums.computeIfAbsent(rs.getString(1), k -> new SegmentSums()).add(rs.getString(2), rs.getBoolean(3),
                            rs.getBigDecimal(4), rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getBigDecimal(7));
                }
            }
        }
        return sums;
    }

    private static void quantities(Connection c, String authorityId, Window w, long fromId, long toId, BigDecimal monthMs,
            String prefix, String suffix, BillingPeriod correctionOf, Map<String, List<LineDraft>> out) throws SQLException {
        String sql = "SELECT authority_id, service, metric, unit, SUM(quantity), SUM(LEAST(end_ms, ?) - GREATEST(start_ms, ?)) "
                + "FROM billing_usage WHERE kind = 'QUANTITY' AND end_ms > ? AND id > ? AND id <= ? AND ((metric = ? AND "
                + "start_ms < ?) OR (metric <> ? AND end_ms <= ?))"
                + (authorityId == null ? "" : " AND authority_id = ?")
                + " GROUP BY authority_id, service, metric, unit ORDER BY authority_id, service, metric, unit";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setLong(i++, w.endMs());
            ps.setLong(i++, w.startMs());
            ps.setLong(i++, w.startMs());
            ps.setLong(i++, fromId);
            ps.setLong(i++, toId);
            ps.setString(i++, UsageRecord.SUBSCRIPTION);
            ps.setLong(i++, w.endMs());
            ps.setString(i++, UsageRecord.SUBSCRIPTION);
            ps.setLong(i++, w.endMs());
            if (authorityId != null) {
                ps.setString(i, authorityId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String a = rs.getString(1);
                    String service = rs.getString(2);
                    String metric = rs.getString(3);
                    List<LineDraft> lines = out.computeIfAbsent(a, k -> new ArrayList<>());
                    if (UsageRecord.SUBSCRIPTION.equals(metric)) {
                        line(lines, w, a, service, metric, prefix + "Subscription " + service + suffix, rs.getBigDecimal(6),
                                monthMs, Metric.SERVICE_MONTH, service, "MON", fromId, toId, correctionOf);
                    } else {
                        line(lines, w, a, service, metric, prefix + service + " " + metric + suffix, rs.getBigDecimal(5),
                                BigDecimal.ONE, Metric.QUANTITY, metric, rs.getString(4), fromId, toId, correctionOf);
                    }
                }
            }
        }
    }

    private static void refuseUnpriced(Connection c, String authorityId, long from, long to, long fromId, long toId,
            long openUntilMs) throws SQLException {
        String sql = "SELECT authority_id FROM billing_usage WHERE id > ? AND id <= ? AND start_ms < ? AND end_ms > ?"
                + (authorityId == null ? "" : " AND authority_id = ?") + " LIMIT 1";
        String found = null;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, fromId);
            ps.setLong(2, toId);
            ps.setLong(3, to);
            ps.setLong(4, from);
            if (authorityId != null) {
                ps.setString(5, authorityId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    found = rs.getString(1);
                }
            }
        }
        if (found == null && openUntilMs > from && fromId == 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT authority_id FROM billing_vm_meter WHERE deleted = FALSE "
                    + "AND since_ms < ?" + (authorityId == null ? "" : " AND authority_id = ?") + " LIMIT 1")) {
                ps.setLong(1, Math.min(to, openUntilMs));
                if (authorityId != null) {
                    ps.setString(2, authorityId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        found = rs.getString(1);
                    }
                }
            }
        }
        if (found != null) {
            throw ProblemException.conflict("no price sheet covers " + Instant.ofEpochMilli(from) + " – "
                    + Instant.ofEpochMilli(to) + ", but authority " + found + " has usage then; create a price sheet first");
        }
    }
}

package de.sid.verbund.billing.core.internal;

import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.NewPriceSheet;
import de.sid.verbund.billing.Price;
import de.sid.verbund.billing.PriceSheet;
import de.sid.verbund.billing.PriceSheetService;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The price sheets in the database ({@code billing_price_sheet}, {@code billing_price}). */
final class PriceSheets implements PriceSheetService {
    /** The largest unit price stored (NUMERIC(19,4)), EUR. */
    static final java.math.BigDecimal MAX_UNIT_PRICE = new java.math.BigDecimal("999999999999999.9999");

    private static final String COLUMNS = "id, sheet_id, version, name, valid_from_ms, valid_to_ms, superseded_by, created_at";

    private final Database db;
    private final Clock clock;

    PriceSheets(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public PriceSheet create(NewPriceSheet sheet) {
        List<String> errors = new ArrayList<>();
        if (sheet.name() == null || sheet.name().isBlank()) {
            errors.add("name must not be blank");
        } else if (sheet.name().length() > 200) {
            errors.add("name must be at most 200 characters");
        }
        if (sheet.validFrom() == null) {
            errors.add("validFrom must be given");
        } else if (sheet.validTo() != null && !sheet.validTo().isAfter(sheet.validFrom())) {
            errors.add("validTo " + sheet.validTo() + " must be after validFrom " + sheet.validFrom());
        }
        for (var t : new Instant[] {sheet.validFrom(), sheet.validTo()}) {
            if (t != null && t.toEpochMilli() % Ledger.HOUR_MS != 0) {
                errors.add("validity must start and end on a full hour, not at " + t);
            }
        }
        List<Price> prices = validate(sheet.prices(), errors);
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid price sheet: " + String.join("; ", errors),
                    errors, null);
        }
        long from = sheet.validFrom().toEpochMilli();
        long to = sheet.validTo() == null ? Long.MAX_VALUE : sheet.validTo().toEpochMilli();
        return db.inTransaction(c -> {
            for (PriceSheet s : inForce(c, Long.MIN_VALUE, Long.MAX_VALUE, true)) {
                long sFrom = s.validFrom().toEpochMilli();
                long sTo = s.validTo() == null ? Long.MAX_VALUE : s.validTo().toEpochMilli();
                if (sFrom >= to || from >= sTo) {
                    continue;
                }
                if (s.validTo() == null && sFrom < from) {
                    endAt(c, s, from);
                } else {
                    throw ProblemException.conflict("price sheet '" + sheet.name() + "' (" + sheet.validFrom() + " – "
                            + (sheet.validTo() == null ? "open" : sheet.validTo()) + ") overlaps '" + s.name() + "' v"
                            + s.version() + " (" + s.validFrom() + " – " + (s.validTo() == null ? "open" : s.validTo())
                            + ")");
                }
            }
            String id = UUID.randomUUID().toString();
            insert(c, id, id, 1, sheet.name(), from, sheet.validTo() == null ? null : to, prices);
            return find(c, id).orElseThrow();
        });
    }

    /** Ends an open-ended sheet at {@code at}, unless FINAL documents were rated with it after {@code at}. */
    private static void endAt(Connection c, PriceSheet s, long at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT i.period FROM billing_invoice_line l JOIN billing_invoice i "
                + "ON i.id = l.invoice_id WHERE l.price_sheet_id = ? AND l.window_end_ms > ? AND i.state = 'FINAL'")) {
            ps.setString(1, s.id());
            ps.setLong(2, at);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw ProblemException.conflict("price sheet '" + s.name() + "' v" + s.version() + " priced the FINAL "
                            + "invoices of " + rs.getString(1) + " after " + Instant.ofEpochMilli(at)
                            + "; a new sheet can only start after what has been invoiced");
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE billing_price_sheet SET valid_to_ms = ? WHERE id = ?")) {
            ps.setLong(1, at);
            ps.setString(2, s.id());
            ps.executeUpdate();
        }
    }

    private static List<Price> validate(List<Price> prices, List<String> errors) {
        if (prices == null || prices.isEmpty()) {
            errors.add("at least one price must be given");
            return List.of();
        }
        List<Price> valid = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Price p : prices) {
            if (p == null || p.metric() == null || p.unitPrice() == null) {
                errors.add("every price needs a metric and a unitPrice");
                continue;
            }
            String q = p.qualifier() == null || p.qualifier().isBlank() ? null : p.qualifier().trim();
            if (p.metric().qualified() && q == null) {
                errors.add(p.metric() + " needs a qualifier (" + (p.metric() == Metric.VM_HOUR ? "offering code"
                        : p.metric() == Metric.SERVICE_MONTH ? "service" : "usage metric") + ")");
                continue;
            }
            if (!p.metric().qualified() && q != null) {
                errors.add(p.metric() + " takes no qualifier, got '" + q + "'");
                continue;
            }
            if (q != null && q.length() > 100) {
                errors.add("qualifier must be at most 100 characters");
                continue;
            }
            Money price;
            try {
                price = Money.unitPrice(p.unitPrice().amount());
            } catch (ProblemException e) {
                errors.add(e.getMessage());
                continue;
            }
            if (price.isNegative()) {
                errors.add(p.metric() + (q == null ? "" : " " + q) + ": unit price must not be negative");
                continue;
            }
            if (price.amount().compareTo(MAX_UNIT_PRICE) > 0) {
                // the column is NUMERIC(19,4): 15 digits before the point
                errors.add(p.metric() + (q == null ? "" : " " + q) + ": unit price must be at most "
                        + MAX_UNIT_PRICE.toPlainString() + " EUR");
                continue;
            }
            if (!seen.add(p.metric() + "|" + (q == null ? "" : q))) {
                errors.add("two prices for " + p.metric() + (q == null ? "" : " " + q));
                continue;
            }
            valid.add(new Price(p.metric(), q, price));
        }
        return valid;
    }

    @Override
    public PriceSheet correct(String id, List<Price> prices) {
        List<String> errors = new ArrayList<>();
        List<Price> valid = validate(prices, errors);
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid prices: " + String.join("; ", errors), errors,
                    null);
        }
        return db.inTransaction(c -> {
            PriceSheet old = lock(c, id).orElseThrow(() -> ProblemException.notFound("no price sheet " + id));
            if (old.supersededBy() != null) {
                throw ProblemException.conflict("price sheet '" + old.name() + "' v" + old.version()
                        + " is already corrected by " + old.supersededBy());
            }
            String newId = UUID.randomUUID().toString();
            insert(c, newId, old.sheetId(), old.version() + 1, old.name(), old.validFrom().toEpochMilli(),
                    old.validTo() == null ? null : old.validTo().toEpochMilli(), valid);
            try (PreparedStatement ps = c.prepareStatement("UPDATE billing_price_sheet SET superseded_by = ? WHERE id = ?")) {
                ps.setString(1, newId);
                ps.setString(2, id);
                ps.executeUpdate();
            }
            return find(c, newId).orElseThrow();
        });
    }

    private void insert(Connection c, String id, String sheetId, int version, String name, long from, Long to,
            List<Price> prices) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing_price_sheet (" + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, NULL, ?)")) {
            ps.setString(1, id);
            ps.setString(2, sheetId);
            ps.setInt(3, version);
            ps.setString(4, name);
            ps.setLong(5, from);
            Sql.setLongOrNull(ps, 6, to);
            ps.setObject(7, Sql.ts(clock.instant()));
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO billing_price (price_sheet_id, metric, qualifier, unit_price) VALUES (?, ?, ?, ?)")) {
            for (Price p : prices) {
                ps.setString(1, id);
                ps.setString(2, p.metric().name());
                ps.setString(3, p.qualifier() == null ? "" : p.qualifier());
                ps.setBigDecimal(4, p.unitPrice().amount());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public List<PriceSheet> list() {
        return db.inTransaction(c -> sheets(c, "SELECT " + COLUMNS + " FROM billing_price_sheet ORDER BY valid_from_ms, "
                + "sheet_id, version", ps -> { }));
    }

    @Override
    public Optional<PriceSheet> find(String id) {
        return db.inTransaction(c -> find(c, id));
    }

    @Override
    public Optional<PriceSheet> validAt(Instant at) {
        long ms = at.toEpochMilli();
        return db.inTransaction(c -> inForce(c, ms, ms + 1, false).stream().findFirst());
    }

    static Optional<PriceSheet> find(Connection c, String id) throws SQLException {
        return sheets(c, "SELECT " + COLUMNS + " FROM billing_price_sheet WHERE id = ?", ps -> ps.setString(1, id))
                .stream().findFirst();
    }

    private static Optional<PriceSheet> lock(Connection c, String id) throws SQLException {
        return sheets(c, "SELECT " + COLUMNS + " FROM billing_price_sheet WHERE id = ? FOR UPDATE",
                ps -> ps.setString(1, id)).stream().findFirst();
    }

    /** @return the sheets in force (not superseded) overlapping {@code [fromMs, toMs)}, by validFrom */
    static List<PriceSheet> inForce(Connection c, long fromMs, long toMs, boolean lock) throws SQLException {
        return sheets(c, "SELECT " + COLUMNS + " FROM billing_price_sheet WHERE superseded_by IS NULL AND valid_from_ms < ? "
                + "AND (valid_to_ms IS NULL OR valid_to_ms > ?) ORDER BY valid_from_ms" + (lock ? " FOR UPDATE" : ""),
                ps -> {
                    ps.setLong(1, toMs);
                    ps.setLong(2, fromMs);
                });
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private static List<PriceSheet> sheets(Connection c, String sql, Binder binder) throws SQLException {
        Map<String, Object[]> rows = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long to = Sql.longOrNull(rs, "valid_to_ms");
                    rows.put(rs.getString("id"), new Object[] {rs.getString("sheet_id"), rs.getInt("version"),
                        rs.getString("name"), Instant.ofEpochMilli(rs.getLong("valid_from_ms")),
                        to == null ? null : Instant.ofEpochMilli(to), rs.getString("superseded_by"),
                        Sql.instant(rs, "created_at")});
                }
            }
        }
        List<PriceSheet> out = new ArrayList<>();
        for (Map.Entry<String, Object[]> e : rows.entrySet()) {
            Object[] r = e.getValue();
            out.add(new PriceSheet(e.getKey(), (String) r[0], (Integer) r[1], (String) r[2], (Instant) r[3],
                    (Instant) r[4], prices(c, e.getKey()), (String) r[5], (Instant) r[6]));
        }
        return out;
    }

    private static List<Price> prices(Connection c, String sheetId) throws SQLException {
        List<Price> prices = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT metric, qualifier, unit_price FROM billing_price WHERE "
                + "price_sheet_id = ? ORDER BY metric, qualifier")) {
            ps.setString(1, sheetId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String q = rs.getString(2);
                    prices.add(new Price(Metric.valueOf(rs.getString(1)), q.isEmpty() ? null : q,
                            Money.unitPrice(rs.getBigDecimal(3))));
                }
            }
        }
        return prices;
    }

    /** @return the sheet's price for a metric and qualifier, or empty when it has none */
    static Optional<Money> price(PriceSheet sheet, Metric metric, String qualifier) {
        for (Price p : sheet.prices()) {
            if (p.metric() == metric && java.util.Objects.equals(p.qualifier(), qualifier)) {
                return Optional.of(p.unitPrice());
            }
        }
        return Optional.empty();
    }
}

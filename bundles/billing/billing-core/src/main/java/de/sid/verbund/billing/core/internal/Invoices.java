package de.sid.verbund.billing.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.billing.CreditLine;
import de.sid.verbund.billing.Invoice;
import de.sid.verbund.billing.InvoiceFilter;
import de.sid.verbund.billing.InvoiceKind;
import de.sid.verbund.billing.InvoiceLine;
import de.sid.verbund.billing.InvoiceRun;
import de.sid.verbund.billing.InvoiceService;
import de.sid.verbund.billing.InvoiceState;
import de.sid.verbund.billing.Metric;
import de.sid.verbund.billing.Party;
import de.sid.verbund.billing.PaymentInstructions;
import de.sid.verbund.billing.UsageRecord;
import de.sid.verbund.core.BillingPeriod;
import de.sid.verbund.core.Money;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.Inserts;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.tenancy.Authority;
import de.sid.verbund.tenancy.AuthorityService;
import de.sid.verbund.tenancy.BillingMode;
import de.sid.verbund.tenancy.Contact;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Invoices, cost allocations and credit notes in the database, and the rating runs that make them.
 *
 * <p>A FINAL document never changes: every statement that writes a document or its lines is
 * conditional on {@code state = 'DRAFT'} (checked under the row lock), numbers are given in the
 * finalising transaction from {@code billing_invoice_number} (the year's row is locked until the
 * commit, so a rolled-back finalisation leaves no gap), and the one document per authority, period
 * and kind is a unique key ({@code period_key}), so two nodes running the same period cannot make
 * two.
 */
final class Invoices implements InvoiceService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Invoices.class);
    static final BigDecimal VAT_RATE = new BigDecimal("19");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, number, kind, state, authority_id, period, issue_date, seller_json, "
            + "buyer_json, buyer_reference, cost_centre, preceding_number, reason, net, vat_rate, vat, gross, iban, bic, "
            + "account_name, due_date, payment_terms, watermark, rated_at, finalized_at";

    private final Database db;
    private final Clock clock;
    private final Supplier<AuthorityService> authorities;
    private final Seller seller;

    Invoices(Database db, Clock clock, Supplier<AuthorityService> authorities, Seller seller) {
        this.db = db;
        this.clock = clock;
        this.authorities = authorities;
        this.seller = seller;
    }

    /** A stored document's header facts needed for decisions. */
    private record Doc(String id, String authorityId, BillingPeriod period, InvoiceKind kind, InvoiceState state,
            String number, Instant ratedAt) {
    }

    // --- runs --------------------------------------------------------------------------------------------------

    @Override
    public InvoiceRun run(BillingPeriod period) {
        Instant started = clock.instant();
        if (period.start().isAfter(started)) {
            throw ProblemException.badRequest("period " + period + " has not started yet");
        }
        long t0 = System.nanoTime();
        int cut = cutIfEnded(period);
        return Retry.onUniqueViolation(() -> db.inTransaction(c -> {
            Instant now = clock.instant();
            boolean ended = !now.isBefore(period.end());
            long w = Ledger.watermark(c);
            long t1 = System.nanoTime();
            Map<String, List<LineDraft>> lines = Rater.rate(c, null, period, 0, w, ended ? 0 : now.toEpochMilli(), null);
            long t2 = System.nanoTime();
            Map<String, List<LineDraft>> corrections = corrections(c, null, period, w);
            long t3 = System.nanoTime();
            Map<String, Doc> existing = new HashMap<>();
            for (Doc d : docs(c, period)) {
                existing.put(d.authorityId(), d);
            }
            TreeSet<String> ids = new TreeSet<>(lines.keySet());
            ids.addAll(corrections.keySet());
            existing.values().stream().filter(d -> d.state() == InvoiceState.DRAFT).forEach(d -> ids.add(d.authorityId()));
            ids.remove(seller.authorityId());
            List<String> drafts = new ArrayList<>();
            int finals = 0;
            for (String a : ids) {
                Doc d = existing.get(a);
                if (d != null && d.state() == InvoiceState.FINAL) {
                    finals++;
                    continue;
                }
                List<LineDraft> all = new ArrayList<>(lines.getOrDefault(a, List.of()));
                all.addAll(corrections.getOrDefault(a, List.of()));
                drafts.add(saveDraft(c, d == null ? null : d.id(), authority(a), period, all, w, now));
            }
            String counter = counterEntry(c, period, w, now);
            if (counter != null) {
                drafts.add(counter);
            }
            LOG.info("Billing run of {}: {} draft(s), {} final left unchanged; {} open segment(s) cut in {} ms, rating "
                    + "{} ms, corrections {} ms, documents {} ms", period, drafts.size(), finals, cut, (t1 - t0) / 1_000_000,
                    (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
            return new InvoiceRun(period, started, clock.instant(), drafts, finals);
        }));
    }

    /**
     * Closes the books of the VM meters at the end of a period that has ended, in a transaction of its
     * own (committed before the rating reads the ledger: it is harmless on its own, and a rating pass
     * over a table with fresh uncommitted rows of the same transaction is much slower on H2).
     *
     * @return how many open segments were cut
     */
    private int cutIfEnded(BillingPeriod period) {
        if (clock.instant().isBefore(period.end())) {
            return 0;
        }
        return Retry.onUniqueViolation(() -> db.inTransaction(c -> Ledger.cut(c, period)));
    }

    /**
     * Correction lines for usage recorded after earlier FINAL periods were rated (within the horizon):
     * per FINAL document, the ledger records above what it and earlier corrections of its period
     * already billed, rated with that period's sheets, as lines referring to that period.
     */
    private Map<String, List<LineDraft>> corrections(Connection c, String authorityId, BillingPeriod period, long w)
            throws SQLException {
        BillingPeriod oldest = new BillingPeriod(period.month().minusMonths(seller.correctionHorizonMonths()));
        List<Object[]> finals = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT authority_id, period, watermark FROM billing_invoice WHERE "
                + "state = 'FINAL' AND kind <> 'CREDIT_NOTE' AND authority_id <> ? AND period < ? AND period >= ?"
                + (authorityId == null ? "" : " AND authority_id = ?") + " ORDER BY period, authority_id")) {
            ps.setString(1, seller.authorityId());
            ps.setString(2, period.toString());
            ps.setString(3, oldest.toString());
            if (authorityId != null) {
                ps.setString(4, authorityId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    finals.add(new Object[] {rs.getString(1), BillingPeriod.parse(rs.getString(2)), rs.getLong(3)});
                }
            }
        }
        Map<String, List<LineDraft>> out = new TreeMap<>();
        for (Object[] f : finals) {
            String a = (String) f[0];
            BillingPeriod q = (BillingPeriod) f[1];
            long base = (Long) f[2];
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(l.usage_to_id) FROM billing_invoice_line l JOIN "
                    + "billing_invoice i ON i.id = l.invoice_id WHERE l.correction_of = ? AND l.trace_authority = ? "
                    + "AND i.period <> ? AND i.kind <> 'CREDIT_NOTE'")) {
                ps.setString(1, q.toString());
                ps.setString(2, a);
                ps.setString(3, period.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        base = Math.max(base, rs.getLong(1));
                    }
                }
            }
            if (base >= w) {
                continue;
            }
            Rater.rate(c, a, q, base, w, 0, q).forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        }
        return out;
    }

    private Authority authority(String id) {
        AuthorityService s = authorities.get();
        if (s == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE, "the authorities (tenancy) are not available; "
                    + "invoices need the buyers' data");
        }
        return s.find(id).orElseThrow(() -> ProblemException.conflict("usage of authority " + id
                + " cannot be billed: no such authority in tenancy"));
    }

    /** Creates or replaces (same id) the DRAFT of an authority for a period. */
    private String saveDraft(Connection c, String existingId, Authority a, BillingPeriod period, List<LineDraft> lines,
            long watermark, Instant now) throws SQLException {
        InvoiceKind kind = a.billingMode() == BillingMode.INTERNAL ? InvoiceKind.COST_ALLOCATION : InvoiceKind.INVOICE;
        BigDecimal rate = kind == InvoiceKind.INVOICE && a.vatLiable() ? VAT_RATE : BigDecimal.ZERO;
        Party buyer = buyer(a);
        String reference = kind == InvoiceKind.INVOICE ? a.leitwegId() : a.costCentre();
        return save(c, existingId, kind, a.id(), period, a.id() + "|" + period, buyer, reference, a.costCentre(), null,
                null, rate, kind == InvoiceKind.INVOICE, lines, watermark, now);
    }

    /**
     * The SID's counter-entry statement of a period: one line per internal cost allocation with its
     * net negated, so the period's allocations and this statement add up to zero on the SID's cost
     * centre. Left alone once FINAL.
     *
     * @return its id when it was written, else {@code null}
     */
    /**
     * Sets the columns net … rated_at, shared by the INSERT and the UPDATE of a draft: amounts in
     * EUR (net and gross in cents), the seller's payment data when the document is payable.
     *
     * @return the next parameter index
     */
    private int setTotalsAndPayment(PreparedStatement ps, int i, Money net, BigDecimal vatRate, Money vat, Money gross,
            boolean payable, long watermark, Instant now) throws SQLException {
        ps.setBigDecimal(i++, net.amount().setScale(2, RoundingMode.UNNECESSARY));
        ps.setBigDecimal(i++, vatRate);
        ps.setBigDecimal(i++, vat.amount());
        ps.setBigDecimal(i++, gross.amount().setScale(2, RoundingMode.UNNECESSARY));
        ps.setString(i++, payable ? seller.iban() : null);
        ps.setString(i++, payable ? seller.bic() : null);
        ps.setString(i++, payable ? seller.accountName() : null);
        ps.setString(i++, payable ? seller.paymentTerms() : null);
        ps.setLong(i++, watermark);
        ps.setObject(i++, Sql.ts(now));
        return i;
    }

    private String counterEntry(Connection c, BillingPeriod period, long watermark, Instant now) throws SQLException {
        String key = "counter|" + period;
        String existingId = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, state FROM billing_invoice WHERE period_key = ? FOR UPDATE")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    if ("FINAL".equals(rs.getString(2))) {
                        return null;
                    }
                    existingId = rs.getString(1);
                }
            }
        }
        List<LineDraft> lines = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT authority_id, buyer_json, cost_centre, net FROM billing_invoice "
                + "WHERE period = ? AND kind = 'COST_ALLOCATION' AND authority_id <> ? ORDER BY authority_id")) {
            ps.setString(1, period.toString());
            ps.setString(2, seller.authorityId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    BigDecimal net = rs.getBigDecimal(4);
                    Party buyer = party(rs.getString(2));
                    lines.add(new LineDraft("allocation", rs.getString(1), "Counter-entry: cost allocation to "
                            + buyer.name() + " (cost centre " + rs.getString(3) + ")", BigDecimal.ONE, "C62",
                            Money.unitPrice(net.negate()), Money.eur(net.negate()), null, null, null, null,
                            rs.getString(1), period.start().toEpochMilli(), period.end().toEpochMilli(), 0, watermark));
                }
            }
        }
        if (lines.isEmpty() && existingId == null) {
            return null;
        }
        return save(c, existingId, InvoiceKind.COST_ALLOCATION, seller.authorityId(), period, key, seller.party(),
                seller.costCentre(), seller.costCentre(), null, null, BigDecimal.ZERO, false, lines, watermark, now);
    }

    private String save(Connection c, String existingId, InvoiceKind kind, String authorityId, BillingPeriod period,
            String periodKey, Party buyer, String buyerReference, String costCentre, String preceding, String reason,
            BigDecimal vatRate, boolean payable, List<LineDraft> lines, long watermark, Instant now) throws SQLException {
        Money net = Money.ZERO;
        for (LineDraft l : lines) {
            net = net.plus(l.amount());
        }
        Money vat = Money.eur(net.amount().multiply(vatRate).divide(BigDecimal.valueOf(100), Money.CENT_SCALE,
                Money.ROUNDING));
        Money gross = net.plus(vat);
        String id = existingId == null ? UUID.randomUUID().toString() : existingId;
        if (existingId == null) {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing_invoice (" + COLUMNS
                    + ", period_key) VALUES (?, NULL, ?, 'DRAFT', ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, "
                    + "?, ?, ?, NULL, ?)")) {
                int i = 1;
                ps.setString(i++, id);
                ps.setString(i++, kind.name());
                ps.setString(i++, authorityId);
                ps.setString(i++, period.toString());
                ps.setString(i++, json(seller.party()));
                ps.setString(i++, json(buyer));
                ps.setString(i++, buyerReference);
                ps.setString(i++, costCentre);
                ps.setString(i++, preceding);
                ps.setString(i++, reason);
                i = setTotalsAndPayment(ps, i, net, vatRate, vat, gross, payable, watermark, now);
                ps.setString(i, periodKey);
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("UPDATE billing_invoice SET kind = ?, period_key = ?, "
                    + "seller_json = ?, buyer_json = ?, buyer_reference = ?, cost_centre = ?, net = ?, vat_rate = ?, vat = ?, "
                    + "gross = ?, iban = ?, bic = ?, account_name = ?, payment_terms = ?, watermark = ?, rated_at = ? "
                    + "WHERE id = ? AND state = 'DRAFT'")) {
                int i = 1;
                ps.setString(i++, kind.name());
                ps.setString(i++, periodKey);
                ps.setString(i++, json(seller.party()));
                ps.setString(i++, json(buyer));
                ps.setString(i++, buyerReference);
                ps.setString(i++, costCentre);
                i = setTotalsAndPayment(ps, i, net, vatRate, vat, gross, payable, watermark, now);
                ps.setString(i, id);
                if (ps.executeUpdate() != 1) {
                    throw ProblemException.conflict("document " + id + " is FINAL and cannot change");
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM billing_invoice_line WHERE invoice_id = ? AND "
                    + "EXISTS (SELECT 1 FROM billing_invoice i WHERE i.id = invoice_id AND i.state = 'DRAFT')")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
        }
        insertLines(c, id, lines, List.of());
        return id;
    }

    private static void insertLines(Connection c, String id, List<LineDraft> lines, List<Integer> credited)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO billing_invoice_line (invoice_id, pos, service, resource, "
                + "description, quantity, unit, unit_price, amount, correction_of, price_sheet_id, metric, qualifier, "
                + "trace_authority, window_start_ms, window_end_ms, usage_from_id, usage_to_id, credited_line) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int pos = 0;
            for (LineDraft l : lines) {
                int i = 1;
                ps.setString(i++, id);
                ps.setInt(i++, ++pos);
                ps.setString(i++, l.service());
                ps.setString(i++, l.resource());
                ps.setString(i++, l.description().length() > 500 ? l.description().substring(0, 500) : l.description());
                ps.setBigDecimal(i++, l.quantity());
                ps.setString(i++, l.unit());
                ps.setBigDecimal(i++, l.unitPrice().amount());
                ps.setBigDecimal(i++, l.amount().amount());
                ps.setString(i++, l.correctionOf() == null ? null : l.correctionOf().toString());
                ps.setString(i++, l.priceSheetId());
                ps.setString(i++, l.metric() == null ? null : l.metric().name());
                ps.setString(i++, l.qualifier());
                ps.setString(i++, l.traceAuthority());
                ps.setLong(i++, l.windowStart());
                ps.setLong(i++, l.windowEnd());
                ps.setLong(i++, l.usageFrom());
                ps.setLong(i++, l.usageTo());
                if (credited.isEmpty()) {
                    ps.setNull(i, java.sql.Types.INTEGER);
                } else {
                    ps.setInt(i, credited.get(pos - 1));
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Party buyer(Authority a) {
        Contact contact = a.contacts().stream().filter(x -> "billing".equalsIgnoreCase(x.role())).findFirst()
                .orElse(a.contacts().isEmpty() ? null : a.contacts().get(0));
        var addr = a.billingAddress();
        return new Party(a.name(), addr == null ? null : addr.line1(), addr == null ? null : addr.line2(),
                addr == null ? null : addr.postalCode(), addr == null ? null : addr.city(),
                addr == null ? null : addr.countryCode(), null, contact == null ? null : contact.email(),
                contact == null ? null : contact.name(), contact == null ? null : contact.phone(),
                contact == null ? null : contact.email());
    }

    // --- lifecycle ---------------------------------------------------------------------------------------------

    @Override
    public Invoice finalizeInvoice(String id) {
        return Retry.onUniqueViolation(() -> db.inTransaction(c -> {
            Doc d = lock(c, id).orElseThrow(() -> ProblemException.notFound("no invoice " + id));
            if (d.state() == InvoiceState.FINAL) {
                throw ProblemException.conflict("invoice " + d.number() + " is already FINAL");
            }
            if (d.kind() != InvoiceKind.CREDIT_NOTE && d.ratedAt().isBefore(d.period().end())) {
                throw ProblemException.conflict("the draft of " + d.period() + " was rated on " + d.ratedAt()
                        + ", before the period ended; run the period again first");
            }
            if (seller.authorityId().equals(d.authorityId())) {
                try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM billing_invoice WHERE period = ? AND "
                        + "kind = 'COST_ALLOCATION' AND authority_id <> ? AND state = 'DRAFT'")) {
                    ps.setString(1, d.period().toString());
                    ps.setString(2, seller.authorityId());
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getInt(1) > 0) {
                            throw ProblemException.conflict(rs.getInt(1) + " cost allocation(s) of " + d.period()
                                    + " are still DRAFT; finalise them before the SID's counter-entry");
                        }
                    }
                }
            }
            Instant now = clock.instant();
            LocalDate today = now.atZone(BillingPeriod.ZONE).toLocalDate();
            String number = String.format("%d-%06d", today.getYear(), nextNumber(c, today.getYear()));
            boolean pays = d.kind() == InvoiceKind.INVOICE;
            try (PreparedStatement ps = c.prepareStatement("UPDATE billing_invoice SET state = 'FINAL', number = ?, "
                    + "issue_date = ?, due_date = ?, finalized_at = ? WHERE id = ? AND state = 'DRAFT'")) {
                ps.setString(1, number);
                ps.setDate(2, Date.valueOf(today));
                ps.setDate(3, pays ? Date.valueOf(today.plusDays(seller.paymentDays())) : null);
                ps.setObject(4, Sql.ts(now));
                ps.setString(5, id);
                ps.executeUpdate();
            }
            return load(c, id).orElseThrow();
        }));
    }

    /** The next number of the year, taken under the year row's lock (released at commit or rollback). */
    private static int nextNumber(Connection c, int year) throws SQLException {
        for (int attempt = 0; attempt < 2; attempt++) {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE billing_invoice_number SET last_number = last_number + 1 WHERE number_year = ?")) {
                ps.setInt(1, year);
                if (ps.executeUpdate() == 1) {
                    try (PreparedStatement q = c.prepareStatement(
                            "SELECT last_number FROM billing_invoice_number WHERE number_year = ?")) {
                        q.setInt(1, year);
                        try (ResultSet rs = q.executeQuery()) {
                            rs.next();
                            return rs.getInt(1);
                        }
                    }
                }
            }
            if (Inserts.once(c, () -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO billing_invoice_number (number_year, last_number) VALUES (?, 1)")) {
                    ps.setInt(1, year);
                    ps.executeUpdate();
                }
            })) {
                return 1;
            }
        }
        throw new IllegalStateException("invoice number of " + year + " could not be taken");
    }

    @Override
    public Invoice rerate(String id) {
        find(id).ifPresent(d -> cutIfEnded(d.period()));
        return Retry.onUniqueViolation(() -> db.inTransaction(c -> {
            long w = Ledger.watermark(c);
            Doc d = lock(c, id).orElseThrow(() -> ProblemException.notFound("no invoice " + id));
            if (d.state() == InvoiceState.FINAL) {
                throw ProblemException.conflict("invoice " + d.number() + " is FINAL and never changes; correct it with "
                        + "a credit note");
            }
            if (d.kind() == InvoiceKind.CREDIT_NOTE) {
                throw ProblemException.conflict("a credit note is not rated from usage; discard it and make a new one");
            }
            Instant now = clock.instant();
            BillingPeriod period = d.period();
            boolean ended = !now.isBefore(period.end());
            if (!seller.authorityId().equals(d.authorityId())) {
                List<LineDraft> lines = new ArrayList<>(Rater.rate(c, d.authorityId(), period, 0, w,
                        ended ? 0 : now.toEpochMilli(), null).getOrDefault(d.authorityId(), List.of()));
                lines.addAll(corrections(c, d.authorityId(), period, w).getOrDefault(d.authorityId(), List.of()));
                saveDraft(c, id, authority(d.authorityId()), period, lines, w, now);
            }
            counterEntry(c, period, w, now);
            return load(c, id).orElseThrow();
        }));
    }

    @Override
    public Invoice creditNote(String invoiceNumber, String reason, List<CreditLine> lines) {
        if (reason == null || reason.isBlank()) {
            throw ProblemException.badRequest("a credit note needs a reason");
        }
        return db.inTransaction(c -> {
            Invoice original = byNumber(c, invoiceNumber)
                    .orElseThrow(() -> ProblemException.notFound("no FINAL invoice " + invoiceNumber));
            if (original.kind() == InvoiceKind.CREDIT_NOTE) {
                throw ProblemException.badRequest(invoiceNumber + " is a credit note itself");
            }
            if (seller.authorityId().equals(original.authorityId())) {
                // its lines are the counter-entries of the allocations: credit those, and the month still nets to zero
                throw ProblemException.conflict(invoiceNumber + " is the SID's counter-entry statement: credit the "
                        + "authority's cost allocation instead");
            }
            Doc d = lock(c, original.id()).orElseThrow();
            Map<Integer, BigDecimal> credited = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT l.credited_line, SUM(l.quantity) FROM billing_invoice_line l "
                    + "JOIN billing_invoice i ON i.id = l.invoice_id WHERE i.preceding_number = ? AND i.kind = 'CREDIT_NOTE' "
                    + "GROUP BY l.credited_line")) {
                ps.setString(1, invoiceNumber);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        credited.put(rs.getInt(1), rs.getBigDecimal(2));
                    }
                }
            }
            List<CreditLine> wanted = lines == null || lines.isEmpty()
                    ? original.lines().stream().map(l -> new CreditLine(l.position(), l.quantity())).toList() : lines;
            List<LineDraft> drafts = new ArrayList<>();
            List<Integer> positions = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            java.util.Set<Integer> listed = new java.util.HashSet<>();
            for (CreditLine cl : wanted) {
                if (!listed.add(cl.position())) {
                    errors.add("line " + cl.position() + " is listed more than once: give its whole quantity once");
                    continue;
                }
                InvoiceLine l = cl.position() >= 1 && cl.position() <= original.lines().size()
                        ? original.lines().get(cl.position() - 1) : null;
                if (l == null) {
                    errors.add("invoice " + invoiceNumber + " has no line " + cl.position());
                    continue;
                }
                if (cl.quantity() == null || cl.quantity().signum() <= 0 || cl.quantity().compareTo(l.quantity()) > 0) {
                    errors.add("line " + cl.position() + ": quantity must be above 0 and at most " + l.quantity());
                    continue;
                }
                BigDecimal already = credited.getOrDefault(cl.position(), BigDecimal.ZERO).negate();
                if (already.add(cl.quantity()).compareTo(l.quantity()) > 0) {
                    throw ProblemException.conflict("line " + cl.position() + " of " + invoiceNumber + ": "
                            + already.toPlainString() + " of " + l.quantity().toPlainString() + " already credited");
                }
                Money amount = cl.quantity().compareTo(l.quantity()) == 0 ? l.amount().negate()
                        : l.unitPrice().times(cl.quantity()).negate().roundToCents();
                drafts.add(new LineDraft(l.service(), l.resource(), "Credit: " + l.description(), cl.quantity().negate(),
                        l.unit(), l.unitPrice(), amount, l.correctionOf(), l.priceSheetId(), null, null, null, 0, 0, 0, 0));
                positions.add(cl.position());
            }
            if (!errors.isEmpty()) {
                throw new ProblemException(ProblemType.BAD_REQUEST, "invalid credit note: " + String.join("; ", errors),
                        errors, null);
            }
            String id = save(c, null, InvoiceKind.CREDIT_NOTE, d.authorityId(), d.period(), null, original.buyer(),
                    original.buyerReference(), original.costCentre(), invoiceNumber, reason.trim(),
                    original.vatRatePercent(), original.kind() == InvoiceKind.INVOICE, List.of(), 0, clock.instant());
            insertLines(c, id, drafts, positions);
            Money net = drafts.stream().map(LineDraft::amount).reduce(Money.ZERO, Money::plus);
            Money vat = Money.eur(net.amount().multiply(original.vatRatePercent()).divide(BigDecimal.valueOf(100),
                    Money.CENT_SCALE, Money.ROUNDING));
            try (PreparedStatement ps = c.prepareStatement("UPDATE billing_invoice SET net = ?, vat = ?, gross = ? "
                    + "WHERE id = ? AND state = 'DRAFT'")) {
                ps.setBigDecimal(1, net.amount());
                ps.setBigDecimal(2, vat.amount());
                ps.setBigDecimal(3, net.plus(vat).amount());
                ps.setString(4, id);
                ps.executeUpdate();
            }
            return load(c, id).orElseThrow();
        });
    }

    // --- reading -----------------------------------------------------------------------------------------------

    @Override
    public Page<Invoice> list(InvoiceFilter filter, int limit, String cursor) {
        int lim = Page.limit(limit);
        int offset = Sql.offset(cursor);
        InvoiceFilter f = filter == null ? InvoiceFilter.ALL : filter;
        return db.inTransaction(c -> {
            StringBuilder sql = new StringBuilder("SELECT id FROM billing_invoice WHERE 1 = 1");
            List<String> args = new ArrayList<>();
            if (f.authorityId() != null) {
                sql.append(" AND authority_id = ?");
                args.add(f.authorityId());
            }
            if (f.period() != null) {
                sql.append(" AND period = ?");
                args.add(f.period().toString());
            }
            if (f.kind() != null) {
                sql.append(" AND kind = ?");
                args.add(f.kind().name());
            }
            if (f.state() != null) {
                sql.append(" AND state = ?");
                args.add(f.state().name());
            }
            sql.append(" ORDER BY period DESC, authority_id, kind, id LIMIT ? OFFSET ?");
            List<String> ids = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                for (String a : args) {
                    ps.setString(i++, a);
                }
                ps.setInt(i++, lim + 1);
                ps.setInt(i, offset);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            boolean more = ids.size() > lim;
            List<Invoice> items = new ArrayList<>();
            for (String id : more ? ids.subList(0, lim) : ids) {
                load(c, id).ifPresent(items::add);
            }
            return new Page<>(items, more ? Integer.toString(offset + lim) : null);
        });
    }

    @Override
    public Optional<Invoice> find(String id) {
        return db.inTransaction(c -> load(c, id));
    }

    @Override
    public Optional<Invoice> findByNumber(String number) {
        return db.inTransaction(c -> byNumber(c, number));
    }

    private static Optional<Invoice> byNumber(Connection c, String number) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM billing_invoice WHERE number = ?")) {
            ps.setString(1, number);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? load(c, rs.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public List<BillingPeriod> closedPeriods() {
        return db.inTransaction(c -> {
            List<BillingPeriod> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT period FROM billing_invoice WHERE kind <> 'CREDIT_NOTE' "
                    + "GROUP BY period HAVING SUM(CASE WHEN state = 'DRAFT' THEN 1 ELSE 0 END) = 0 ORDER BY period DESC");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(BillingPeriod.parse(rs.getString(1)));
                }
            }
            return out;
        });
    }

    @Override
    public Page<UsageRecord> lineUsage(String invoiceId, int position, int limit, String cursor) {
        int lim = Page.limit(limit);
        long after = Sql.afterId(cursor);
        return db.inTransaction(c -> {
            String metric;
            String qualifier;
            String authority;
            long ws;
            long we;
            long from;
            long to;
            try (PreparedStatement ps = c.prepareStatement("SELECT metric, qualifier, trace_authority, window_start_ms, "
                    + "window_end_ms, usage_from_id, usage_to_id FROM billing_invoice_line WHERE invoice_id = ? AND pos = ?")) {
                ps.setString(1, invoiceId);
                ps.setInt(2, position);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound("invoice " + invoiceId + " has no line " + position);
                    }
                    metric = rs.getString(1);
                    qualifier = rs.getString(2);
                    authority = rs.getString(3);
                    ws = rs.getLong(4);
                    we = rs.getLong(5);
                    from = rs.getLong(6);
                    to = rs.getLong(7);
                }
            }
            if (metric == null) {
                return new Page<UsageRecord>(List.of(), null);
            }
            String match = switch (Metric.valueOf(metric)) {
                case VM_HOUR -> "kind = 'SEGMENT' AND running = TRUE AND offering_code = ? AND start_ms < ? AND end_ms > ?";
                case VCPU_HOUR, RAM_GIB_HOUR -> "kind = 'SEGMENT' AND running = TRUE AND start_ms < ? AND end_ms > ?";
                case DISK_GIB_MONTH -> "kind = 'SEGMENT' AND start_ms < ? AND end_ms > ?";
                case SERVICE_MONTH -> "kind = 'QUANTITY' AND metric = '" + UsageRecord.SUBSCRIPTION
                        + "' AND service = ? AND start_ms < ? AND end_ms > ?";
                case QUANTITY -> "kind = 'QUANTITY' AND metric = ? AND end_ms > ? AND end_ms <= ?";
            };
            Metric m = Metric.valueOf(metric);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Ledger.usageColumns() + " FROM billing_usage WHERE "
                    + "authority_id = ? AND id > ? AND id <= ? AND " + match + " ORDER BY id LIMIT ?")) {
                int i = 1;
                ps.setString(i++, authority);
                ps.setLong(i++, Math.max(from, after));
                ps.setLong(i++, to);
                if (m.qualified()) {
                    ps.setString(i++, qualifier);
                }
                if (m == Metric.QUANTITY) {
                    ps.setLong(i++, ws);
                    ps.setLong(i++, we);
                } else {
                    ps.setLong(i++, we);
                    ps.setLong(i++, ws);
                }
                ps.setInt(i, lim + 1);
                return Ledger.page(ps, lim);
            }
        });
    }

    // --- month to date -----------------------------------------------------------------------------------------

    /** @return the net of the current period per authority (unstored rating up to now), or one authority's */
    Map<String, Money> monthToDate(String authorityId) {
        Instant now = clock.instant();
        BillingPeriod p = BillingPeriod.containing(now);
        return db.inTransaction(c -> {
            long w = Ledger.watermark(c);
            Map<String, Money> out = new TreeMap<>();
            Rater.rate(c, authorityId, p, 0, w, now.toEpochMilli(), null).forEach((a, lines) -> out.put(a,
                    lines.stream().map(LineDraft::amount).reduce(Money.ZERO, Money::plus)));
            return out;
        });
    }

    // --- rows --------------------------------------------------------------------------------------------------

    private List<Doc> docs(Connection c, BillingPeriod period) throws SQLException {
        List<Doc> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, authority_id, period, kind, state, number, rated_at FROM "
                + "billing_invoice WHERE period = ? AND kind <> 'CREDIT_NOTE' AND authority_id <> ? FOR UPDATE")) {
            ps.setString(1, period.toString());
            ps.setString(2, seller.authorityId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(doc(rs));
                }
            }
        }
        return out;
    }

    private static Optional<Doc> lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, authority_id, period, kind, state, number, rated_at FROM "
                + "billing_invoice WHERE id = ? FOR UPDATE")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(doc(rs)) : Optional.empty();
            }
        }
    }

    private static Doc doc(ResultSet rs) throws SQLException {
        return new Doc(rs.getString("id"), rs.getString("authority_id"), BillingPeriod.parse(rs.getString("period")),
                InvoiceKind.valueOf(rs.getString("kind")), InvoiceState.valueOf(rs.getString("state")),
                rs.getString("number"), Sql.instant(rs, "rated_at"));
    }

    static Optional<Invoice> load(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM billing_invoice WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Date issue = rs.getDate("issue_date");
                Date due = rs.getDate("due_date");
                String iban = rs.getString("iban");
                PaymentInstructions pay = iban == null ? null : new PaymentInstructions(iban, rs.getString("bic"),
                        rs.getString("account_name"), due == null ? null : due.toLocalDate(), rs.getString("payment_terms"));
                String kind = rs.getString("kind");
                BillingPeriod period = BillingPeriod.parse(rs.getString("period"));
                Object[] header = {rs.getString("number"), InvoiceKind.valueOf(kind),
                    InvoiceState.valueOf(rs.getString("state")), rs.getString("authority_id"), period,
                    issue == null ? null : issue.toLocalDate(), party(rs.getString("seller_json")),
                    party(rs.getString("buyer_json")), rs.getString("buyer_reference"), rs.getString("cost_centre"),
                    rs.getString("preceding_number"), Money.eur(rs.getBigDecimal("net")), rs.getBigDecimal("vat_rate"),
                    Money.eur(rs.getBigDecimal("vat")), Money.eur(rs.getBigDecimal("gross")), pay,
                    Sql.instant(rs, "rated_at"), Sql.instant(rs, "finalized_at")};
                List<InvoiceLine> lines = lines(c, id);
                return Optional.of(new Invoice(id, (String) header[0], (InvoiceKind) header[1], (InvoiceState) header[2],
                        (String) header[3], (BillingPeriod) header[4], (LocalDate) header[5], (Party) header[6],
                        (Party) header[7], (String) header[8], (String) header[9], (String) header[10], lines,
                        (Money) header[11], (BigDecimal) header[12], (Money) header[13], (Money) header[14],
                        (PaymentInstructions) header[15], (Instant) header[16], (Instant) header[17]));
            }
        }
    }

    private static List<InvoiceLine> lines(Connection c, String id) throws SQLException {
        List<InvoiceLine> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT pos, service, resource, description, quantity, unit, "
                + "unit_price, amount, correction_of, price_sheet_id FROM billing_invoice_line WHERE invoice_id = ? ORDER BY pos")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String corr = rs.getString(9);
                    out.add(new InvoiceLine(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            plain(rs.getBigDecimal(5)), rs.getString(6), Money.unitPrice(rs.getBigDecimal(7)),
                            Money.eur(rs.getBigDecimal(8)), corr == null ? null : BillingPeriod.parse(corr),
                            rs.getString(10)));
                }
            }
        }
        return out;
    }

    /** @return the value without trailing zeros, never in exponent form (744, not 7.44E+2) */
    private static BigDecimal plain(BigDecimal v) {
        BigDecimal s = v.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    private static String json(Party p) {
        try {
            return JSON.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Party party(String json) {
        try {
            return JSON.readValue(json, Party.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored party is not readable: " + e.getMessage(), e);
        }
    }
}

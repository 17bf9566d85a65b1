package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.security.AuditEntry;
import de.sid.verbund.security.AuditLog;
import de.sid.verbund.security.AuditQuery;
import de.sid.verbund.security.AuditVerification;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The audit log in table {@code audit}, append-only and hash-chained. Each entry stores
 * {@code prev_hash} (the previous entry's hash; 64 zeros before the first) and
 * {@code hash = SHA-256(prev_hash + canonical content)}, hex, where the canonical content is
 * id, time (ISO-8601 UTC, microseconds), subject, action, target, outcome and detail, each written
 * as {@code <length>:<text>;} so no two different entries share it. Appends lock the one row of
 * {@code audit_chain} first ({@code SELECT … FOR UPDATE}), so they are chained one at a time, also
 * from several nodes. The only delete is retention ({@link #deleteOlderThan}), from the old end,
 * which records the hash the first kept entry links to as the chain's anchor.
 */
final class JdbcAuditLog implements AuditLog {
    static final String GENESIS = "0".repeat(64);
    private final Database db;
    private final Clock clock;

    JdbcAuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    private record Head(Long lastId, String lastHash, Long anchorId, String anchorPrevHash) {
        String prev() {
            return lastHash != null ? lastHash : anchorPrevHash != null ? anchorPrevHash : GENESIS;
        }
    }

    private static Head head(Connection c, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT last_id, last_hash, anchor_id, anchor_prev_hash FROM audit_chain "
                + "WHERE id = 1" + (lock ? " FOR UPDATE" : "")); ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("audit_chain has no head row (migration security V4 missing)");
            }
            return new Head(longOrNull(rs, 1), rs.getString(2), longOrNull(rs, 3), rs.getString(4));
        }
    }

    private static void setHead(Connection c, long lastId, String lastHash) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_chain SET last_id = ?, last_hash = ? WHERE id = 1")) {
            ps.setLong(1, lastId);
            ps.setString(2, lastHash);
            ps.executeUpdate();
        }
    }

    /**
     * Chains the entries written before the hash chain existed (hash still empty), in id order.
     *
     * @return how many were chained
     */
    int chainUnchained() {
        return db.inTransaction(c -> {
            Head h = head(c, true);
            String prev = h.prev();
            long last = -1;
            int n = 0;
            List<AuditEntry> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, at, subject, action, target, outcome, detail FROM audit "
                    + "WHERE hash IS NULL ORDER BY id"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(entry(rs));
                }
            }
            try (PreparedStatement up = c.prepareStatement("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?")) {
                for (AuditEntry e : rows) {
                    String hash = hash(prev, e);
                    up.setString(1, prev);
                    up.setString(2, hash);
                    up.setLong(3, e.id());
                    up.executeUpdate();
                    prev = hash;
                    last = e.id();
                    n++;
                }
            }
            if (n > 0) {
                setHead(c, last, prev);
            }
            return n;
        });
    }

    @Override
    public void record(String subject, String action, String target, String outcome, String detail) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        String s = cut(subject == null ? "anonymous" : subject, 64);
        String a = cut(action, 200);
        String t = cut(target, 500);
        String o = cut(outcome, 40);
        String d = cut(detail == null ? "" : detail, 2000);
        db.inTransaction(c -> {
            Head h = head(c, true);
            long id;
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit (at, subject, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)", new String[] {"id"})) {
                ps.setObject(1, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
                ps.setString(2, s);
                ps.setString(3, a);
                ps.setString(4, t);
                ps.setString(5, o);
                ps.setString(6, d);
                ps.executeUpdate();
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            String prev = h.prev();
            String hash = hash(prev, new AuditEntry(id, at, s, a, t, o, d));
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit SET prev_hash = ?, hash = ? WHERE id = ?")) {
                ps.setString(1, prev);
                ps.setString(2, hash);
                ps.setLong(3, id);
                ps.executeUpdate();
            }
            setHead(c, id, hash);
            return null;
        });
    }

    /** @return SHA-256 (hex) of {@code prev} followed by the entry's canonical content */
    static String hash(String prev, AuditEntry e) {
        StringBuilder b = new StringBuilder(prev);
        for (String part : new String[] {Long.toString(e.id()), e.at().toString(), e.subject(), e.action(), e.target(),
                e.outcome(), e.detail()}) {
            b.append(part.length()).append(':').append(part).append(';');
        }
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 missing from the JDK", ex);
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public Page<AuditEntry> list(int limit, String cursor) {
        return query(AuditQuery.ALL, limit, cursor);
    }

    @Override
    public Page<AuditEntry> query(AuditQuery q, int limit, String cursor) {
        long before;
        try {
            before = cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("invalid cursor: " + cursor);
        }
        AuditQuery query = q == null ? AuditQuery.ALL : q;
        StringBuilder sql = new StringBuilder("SELECT id, at, subject, action, target, outcome, detail FROM audit WHERE id < ?");
        List<Object> args = new ArrayList<>();
        args.add(before);
        if (query.subject() != null) {
            sql.append(" AND subject = ?");
            args.add(query.subject());
        }
        if (query.action() != null) {
            sql.append(" AND action LIKE ? ESCAPE '!'");
            args.add(likePrefix(query.action()));
        }
        if (query.outcome() != null) {
            sql.append(" AND outcome LIKE ? ESCAPE '!'");
            args.add(likePrefix(query.outcome()));
        }
        if (query.from() != null) {
            sql.append(" AND at >= ?");
            args.add(OffsetDateTime.ofInstant(query.from(), ZoneOffset.UTC));
        }
        if (query.to() != null) {
            sql.append(" AND at < ?");
            args.add(OffsetDateTime.ofInstant(query.to(), ZoneOffset.UTC));
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit + 1);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<AuditEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(rs));
                    }
                }
                String next = null;
                if (out.size() > limit) {
                    out = out.subList(0, limit);
                    next = Long.toString(out.get(limit - 1).id());
                }
                return new Page<>(out, next);
            }
        });
    }

    private static String likePrefix(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
    }

    private static AuditEntry entry(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7));
    }

    /**
     * Walks the chain from the anchor (or the first entry) up to the head as it was when the walk
     * began; entries appended meanwhile are left for the next verification.
     */
    @Override
    public AuditVerification verify() {
        return db.inTransaction(c -> {
            Head h = head(c, false);
            if (h.lastId() == null) {
                try (PreparedStatement ps = c.prepareStatement("SELECT MIN(id) FROM audit"); ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long outside = rs.getLong(1);
                    return rs.wasNull() ? new AuditVerification(true, 0, null, null)
                            : broken(0, outside, "the entry is not in the chain (written past it)");
                }
            }
            String expectedPrev = h.anchorPrevHash() != null ? h.anchorPrevHash() : GENESIS;
            long checked = 0;
            long lastSeen = -1;
            try (PreparedStatement ps = c.prepareStatement("SELECT id, at, subject, action, target, outcome, detail, prev_hash, hash "
                    + "FROM audit WHERE id <= ? ORDER BY id")) {
                ps.setLong(1, h.lastId());
                ps.setFetchSize(500);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        AuditEntry e = entry(rs);
                        String prev = rs.getString(8);
                        String hash = rs.getString(9);
                        checked++;
                        if (checked == 1 && h.anchorId() != null && e.id() != h.anchorId()) {
                            return broken(checked, e.id(), "the oldest kept entry should be " + h.anchorId()
                                    + ": entries after the retention anchor were removed");
                        }
                        if (hash == null || prev == null) {
                            return broken(checked, e.id(), "the entry carries no hash");
                        }
                        if (!prev.equals(expectedPrev)) {
                            return broken(checked, e.id(), "it does not link to the entry before it: an entry before it "
                                    + "was removed or inserted, or its link was changed");
                        }
                        if (!hash(prev, e).equals(hash)) {
                            return broken(checked, e.id(), "its content does not match its hash: the entry was changed");
                        }
                        expectedPrev = hash;
                        lastSeen = e.id();
                    }
                }
            }
            if (lastSeen != h.lastId() || !expectedPrev.equals(h.lastHash())) {
                return broken(checked, h.lastId(), "the newest entry does not match the chain's head: entries at the "
                        + "end were removed or changed");
            }
            // appends store their hash in the transaction that inserts them: a committed entry
            // without one was written past the chain
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(id) FROM audit WHERE hash IS NULL")) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long outside = rs.getLong(1);
                    if (!rs.wasNull()) {
                        return broken(checked, outside, "the entry is not in the chain (written past it)");
                    }
                }
            }
            return new AuditVerification(true, checked, null, null);
        });
    }

    private static AuditVerification broken(long checked, long id, String why) {
        return new AuditVerification(false, checked, id, "entry " + id + ": " + why);
    }

    /**
     * Deletes the entries older than {@code retention} from the old end of the chain and anchors
     * the chain at the first kept entry (the hash of the last deleted one). The newest entry is
     * never deleted, so the chain's head stays checkable.
     *
     * @return how many entries were deleted
     */
    int deleteOlderThan(Duration retention) {
        OffsetDateTime cutoff = OffsetDateTime.ofInstant(clock.instant().minus(retention), ZoneOffset.UTC);
        return db.inTransaction(c -> {
            Head h = head(c, true);
            if (h.lastId() == null) {
                return 0;
            }
            long lastOld;
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(id) FROM audit WHERE at < ? AND id < ?")) {
                ps.setObject(1, cutoff);
                ps.setLong(2, h.lastId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    lastOld = rs.getLong(1);
                    if (rs.wasNull()) {
                        return 0;
                    }
                }
            }
            String anchorPrev;
            long firstKept;
            try (PreparedStatement ps = c.prepareStatement("SELECT hash FROM audit WHERE id = ?")) {
                ps.setLong(1, lastOld);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    anchorPrev = rs.getString(1);
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT MIN(id) FROM audit WHERE id > ?")) {
                ps.setLong(1, lastOld);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    firstKept = rs.getLong(1);
                }
            }
            int n;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM audit WHERE id <= ?")) {
                ps.setLong(1, lastOld);
                n = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_chain SET anchor_id = ?, anchor_prev_hash = ? WHERE id = 1")) {
                ps.setLong(1, firstKept);
                ps.setString(2, anchorPrev);
                ps.executeUpdate();
            }
            return n;
        });
    }

    private static Long longOrNull(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }
}

package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.security.AuditEntry;
import de.sid.verbund.security.AuditLog;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The audit log in table {@code audit}; append-only (no update or delete path exists). */
final class JdbcAuditLog implements AuditLog {
    private final Database db;

    JdbcAuditLog(Database db) {
        this.db = db;
    }

    @Override
    public void record(String subject, String action, String target, String outcome, String detail) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit (at, subject, action, target, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, OffsetDateTime.now(ZoneOffset.UTC));
                ps.setString(2, cut(subject == null ? "anonymous" : subject, 64));
                ps.setString(3, cut(action, 200));
                ps.setString(4, cut(target, 500));
                ps.setString(5, cut(outcome, 40));
                ps.setString(6, cut(detail == null ? "" : detail, 2000));
                return ps.executeUpdate();
            }
        });
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    @Override
    public Page<AuditEntry> list(int limit, String cursor) {
        long before;
        try {
            before = cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("invalid cursor: " + cursor);
        }
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, at, subject, action, target, outcome, detail "
                    + "FROM audit WHERE id < ? ORDER BY id DESC LIMIT ?")) {
                ps.setLong(1, before);
                ps.setInt(2, limit + 1);
                List<AuditEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new AuditEntry(rs.getLong(1), rs.getObject(2, OffsetDateTime.class).toInstant(),
                                rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7)));
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
}

package de.sid.verbund.billing.core.internal;

import de.sid.verbund.core.ProblemException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Small JDBC helpers shared by the billing stores (H2 in PostgreSQL mode and PostgreSQL alike). */
final class Sql {

    private Sql() {
    }

    /** @return whether the event id was new (and is now marked processed in this transaction) */
    static boolean markProcessed(Connection c, String eventId, Instant now) throws SQLException {
        return de.sid.verbund.persistence.Inserts.once(c, () -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO billing_processed_event (event_id, processed_at) VALUES (?, ?)")) {
                ps.setString(1, eventId);
                ps.setObject(2, ts(now));
                ps.executeUpdate();
            }
        });
    }

    static boolean processed(Connection c, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM billing_processed_event WHERE event_id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static OffsetDateTime ts(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    static void setLongOrNull(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    /** @return the offset a paging cursor stands for */
    static int offset(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            int o = Integer.parseInt(cursor);
            if (o < 0) {
                throw new NumberFormatException();
            }
            return o;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("not a cursor of this list: " + cursor);
        }
    }

    /** @return the ledger id a paging cursor stands for (the last id of the previous page) */
    static long afterId(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("not a cursor of this list: " + cursor);
        }
    }
}

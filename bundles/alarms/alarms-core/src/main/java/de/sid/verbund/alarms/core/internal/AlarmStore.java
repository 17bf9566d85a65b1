package de.sid.verbund.alarms.core.internal;

import de.sid.verbund.alarms.Alarm;
import de.sid.verbund.alarms.AlarmFilter;
import de.sid.verbund.alarms.AlarmHistoryEntry;
import de.sid.verbund.alarms.AlarmState;
import de.sid.verbund.alarms.Severity;
import de.sid.verbund.alarms.SourceKind;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.persistence.Inserts;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Alarms, their history and the processed event ids in the database (tables {@code alarm},
 * {@code alarm_history}, {@code alarm_processed_event}). Every method works in the caller's
 * transaction.
 */
final class AlarmStore {
    static final String COLUMNS = "id, dedupe_key, source_kind, source_id, source_name, site, alarm_type, severity, "
            + "state, description, occurrences, first_seen, last_seen, acknowledged_by, acknowledged_at, "
            + "acknowledge_note, cleared_at, cleared_by, clear_reason, escalated_at, escalation_level, expires_at";

    /** @return the open alarm with this key, locked for the rest of the transaction; empty if none is open */
    Optional<Alarm> lockOpen(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alarm WHERE open_key = ? FOR UPDATE")) {
            ps.setString(1, key);
            return one(ps);
        }
    }

    /** @return the alarm, locked for the rest of the transaction; empty for an unknown id */
    Optional<Alarm> lock(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alarm WHERE id = ? FOR UPDATE")) {
            ps.setString(1, id);
            return one(ps);
        }
    }

    Optional<Alarm> get(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alarm WHERE id = ?")) {
            ps.setString(1, id);
            return one(ps);
        }
    }

    /**
     * Inserts a new open alarm.
     *
     * @return false when another open alarm with its key exists (the insert is undone to a
     *         savepoint, the transaction goes on)
     */
    boolean insertOpen(Connection c, Alarm a) throws SQLException {
        return Inserts.once(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alarm (" + COLUMNS + ", open_key) VALUES "
                    + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, a.id());
                ps.setString(2, a.key());
                ps.setString(3, a.sourceKind().name());
                ps.setString(4, a.sourceId());
                ps.setString(5, a.sourceName());
                ps.setString(6, a.site());
                ps.setString(7, a.type());
                ps.setString(8, a.severity().name());
                ps.setString(9, a.state().name());
                ps.setString(10, a.description());
                ps.setLong(11, a.count());
                ps.setObject(12, ts(a.firstSeen()));
                ps.setObject(13, ts(a.lastSeen()));
                ps.setString(14, a.acknowledgedBy());
                ps.setObject(15, ts(a.acknowledgedAt()));
                ps.setString(16, a.acknowledgeNote());
                ps.setObject(17, ts(a.clearedAt()));
                ps.setString(18, a.clearedBy());
                ps.setString(19, a.clearReason());
                ps.setObject(20, ts(a.escalatedAt()));
                ps.setInt(21, a.escalationLevel());
                ps.setObject(22, ts(a.expiresAt()));
                ps.setString(23, a.key());
                ps.executeUpdate();
            }
        });
    }

    /** Writes every changeable column of an existing alarm; a CLEARED alarm gives up its open key. */
    void update(Connection c, Alarm a) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE alarm SET severity = ?, state = ?, description = ?, "
                + "occurrences = ?, last_seen = ?, acknowledged_by = ?, acknowledged_at = ?, acknowledge_note = ?, "
                + "cleared_at = ?, cleared_by = ?, clear_reason = ?, escalated_at = ?, escalation_level = ?, "
                + "expires_at = ?, open_key = ? WHERE id = ?")) {
            ps.setString(1, a.severity().name());
            ps.setString(2, a.state().name());
            ps.setString(3, a.description());
            ps.setLong(4, a.count());
            ps.setObject(5, ts(a.lastSeen()));
            ps.setString(6, a.acknowledgedBy());
            ps.setObject(7, ts(a.acknowledgedAt()));
            ps.setString(8, a.acknowledgeNote());
            ps.setObject(9, ts(a.clearedAt()));
            ps.setString(10, a.clearedBy());
            ps.setString(11, a.clearReason());
            ps.setObject(12, ts(a.escalatedAt()));
            ps.setInt(13, a.escalationLevel());
            ps.setObject(14, ts(a.expiresAt()));
            ps.setString(15, a.state().isOpen() ? a.key() : null);
            ps.setString(16, a.id());
            ps.executeUpdate();
        }
    }

    void history(Connection c, String alarmId, AlarmHistoryEntry e) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alarm_history (alarm_id, occurred_at, action, actor, "
                + "severity, note) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, alarmId);
            ps.setObject(2, ts(e.at()));
            ps.setString(3, e.action().name());
            ps.setString(4, e.by());
            ps.setString(5, e.severity().name());
            ps.setString(6, e.note());
            ps.executeUpdate();
        }
    }

    List<AlarmHistoryEntry> history(Connection c, String alarmId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT occurred_at, action, actor, severity, note FROM alarm_history "
                + "WHERE alarm_id = ? ORDER BY seq")) {
            ps.setString(1, alarmId);
            List<AlarmHistoryEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new AlarmHistoryEntry(instant(rs, "occurred_at"),
                            AlarmHistoryEntry.Action.valueOf(rs.getString("action")), rs.getString("actor"),
                            Severity.valueOf(rs.getString("severity")), rs.getString("note")));
                }
            }
            return out;
        }
    }

    /** Keyset-paged, newest first by (first_seen, id). */
    Page<Alarm> list(Connection c, AlarmFilter f, int limit, String cursor) throws SQLException {
        Cursor after = cursor == null ? null : Cursor.decode(cursor);
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM alarm WHERE 1 = 1");
        List<Object> args = new ArrayList<>();
        if (!f.states().isEmpty() && f.states().size() < AlarmState.values().length) {
            sql.append(" AND state IN (").append(marks(f.states().size())).append(')');
            f.states().stream().sorted().forEach(s -> args.add(s.name()));
        }
        if (!f.severities().isEmpty() && f.severities().size() < Severity.values().length) {
            sql.append(" AND severity IN (").append(marks(f.severities().size())).append(')');
            f.severities().stream().sorted().forEach(s -> args.add(s.name()));
        }
        if (f.source() != null) {
            sql.append(" AND (source_id = ? OR source_name = ?)");
            args.add(f.source());
            args.add(f.source());
        }
        if (f.type() != null) {
            sql.append(" AND alarm_type = ?");
            args.add(f.type());
        }
        if (after != null) {
            sql.append(" AND (first_seen < ? OR (first_seen = ? AND id < ?))");
            args.add(ts(after.firstSeen()));
            args.add(ts(after.firstSeen()));
            args.add(after.id());
        }
        sql.append(" ORDER BY first_seen DESC, id DESC LIMIT ?");
        args.add(limit + 1);
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            List<Alarm> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(alarm(rs));
                }
            }
            String next = null;
            if (out.size() > limit) {
                out = out.subList(0, limit);
                Alarm last = out.get(limit - 1);
                next = new Cursor(last.firstSeen(), last.id()).encode();
            }
            return new Page<>(out, next);
        }
    }

    Set<String> openKeys(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT open_key FROM alarm WHERE open_key IS NOT NULL");
             ResultSet rs = ps.executeQuery()) {
            Set<String> out = new HashSet<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        }
    }

    /** @return open alarms by severity and state, every combination present (0 when none) */
    Map<Severity, Map<AlarmState, Long>> openCounts(Connection c) throws SQLException {
        Map<Severity, Map<AlarmState, Long>> out = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            Map<AlarmState, Long> m = new EnumMap<>(AlarmState.class);
            m.put(AlarmState.ACTIVE, 0L);
            m.put(AlarmState.ACKNOWLEDGED, 0L);
            out.put(s, m);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT severity, state, COUNT(*) FROM alarm "
                + "WHERE state IN ('ACTIVE', 'ACKNOWLEDGED') GROUP BY severity, state"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.get(Severity.valueOf(rs.getString(1))).put(AlarmState.valueOf(rs.getString(2)), rs.getLong(3));
            }
        }
        return out;
    }

    /** @return ids of ACTIVE condition alarms below critical whose last escalation (or raise) is at or before {@code due} */
    List<String> dueForEscalation(Connection c, Instant due) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM alarm WHERE state = 'ACTIVE' "
                + "AND severity <> 'CRITICAL' AND expires_at IS NULL AND COALESCE(escalated_at, first_seen) <= ? "
                + "ORDER BY first_seen")) {
            ps.setObject(1, ts(due));
            return ids(ps);
        }
    }

    /** @return ids of open alarms whose expiry is at or before {@code now} */
    List<String> expired(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM alarm WHERE state IN ('ACTIVE', 'ACKNOWLEDGED') "
                + "AND expires_at <= ? ORDER BY first_seen")) {
            ps.setObject(1, ts(now));
            return ids(ps);
        }
    }

    /**
     * Records that an event was acted upon.
     *
     * @return false when it had been already (the transaction goes on; act on nothing)
     */
    boolean markProcessed(Connection c, UUID eventId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM alarm_processed_event WHERE event_id = ?")) {
            ps.setString(1, eventId.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return false;
                }
            }
        }
        // false: the same event handled at the same moment elsewhere (a redelivery to another node)
        return Inserts.once(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alarm_processed_event (event_id, processed_at) "
                    + "VALUES (?, ?)")) {
                ps.setString(1, eventId.toString());
                ps.setObject(2, ts(now));
                ps.executeUpdate();
            }
        });
    }

    /** @return how many processed-event records older than {@code before} were removed */
    int pruneProcessed(Connection c, Instant before) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM alarm_processed_event WHERE processed_at < ?")) {
            ps.setObject(1, ts(before));
            return ps.executeUpdate();
        }
    }

    private static List<String> ids(PreparedStatement ps) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String marks(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> "?").collect(Collectors.joining(", "));
    }

    private static Optional<Alarm> one(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(alarm(rs)) : Optional.empty();
        }
    }

    private static Alarm alarm(ResultSet rs) throws SQLException {
        return new Alarm(rs.getString("id"), rs.getString("dedupe_key"), SourceKind.valueOf(rs.getString("source_kind")),
                rs.getString("source_id"), rs.getString("source_name"), rs.getString("site"), rs.getString("alarm_type"),
                Severity.valueOf(rs.getString("severity")), AlarmState.valueOf(rs.getString("state")),
                rs.getString("description"), rs.getLong("occurrences"), instant(rs, "first_seen"),
                instant(rs, "last_seen"), rs.getString("acknowledged_by"), instant(rs, "acknowledged_at"),
                rs.getString("acknowledge_note"), instant(rs, "cleared_at"), rs.getString("cleared_by"),
                rs.getString("clear_reason"), instant(rs, "escalated_at"), rs.getInt("escalation_level"),
                instant(rs, "expires_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime ts(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    /** Position in the list: the last alarm of a page. */
    private record Cursor(Instant firstSeen, String id) {
        String encode() {
            return Base64.getUrlEncoder().withoutPadding().encodeToString((firstSeen + "|" + id)
                    .getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String cursor) {
            try {
                String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
                int bar = text.indexOf('|');
                if (bar > 0) {
                    String id = text.substring(bar + 1);
                    UUID.fromString(id);
                    return new Cursor(Instant.parse(text.substring(0, bar)), id);
                }
            } catch (IllegalArgumentException | DateTimeParseException e) {
                // reported below
            }
            throw ProblemException.badRequest("invalid cursor (pass back nextCursor of the previous page): " + cursor);
        }
    }
}

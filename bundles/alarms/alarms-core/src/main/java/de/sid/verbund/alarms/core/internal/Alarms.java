package de.sid.verbund.alarms.core.internal;

import de.sid.verbund.alarms.Alarm;
import de.sid.verbund.alarms.AlarmDetail;
import de.sid.verbund.alarms.AlarmEvents;
import de.sid.verbund.alarms.AlarmFilter;
import de.sid.verbund.alarms.AlarmHistoryEntry;
import de.sid.verbund.alarms.AlarmHistoryEntry.Action;
import de.sid.verbund.alarms.AlarmService;
import de.sid.verbund.alarms.AlarmState;
import de.sid.verbund.alarms.NewAlarm;
import de.sid.verbund.alarms.Severity;
import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.messaging.Outbox;
import de.sid.verbund.persistence.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The {@link AlarmService} over {@link AlarmStore}. Plain Java and public (tests of this and
 * the REST and shell bundles construct it);
 * {@link AlarmsComponent} runs it in OSGi.
 *
 * <p>Every change runs in one transaction: the alarm row (locked first: {@code SELECT … FOR
 * UPDATE}), its history entry and its event in the {@link Outbox}. A raise of a key with no open
 * alarm inserts one; the unique constraint on the open key makes a racing second insert fail,
 * and that raise then counts a repeat of the first one's alarm (after its commit), so parallel
 * raises give one alarm whose count is their number.
 *
 * <p>Times come from the clock, truncated to microseconds (what both databases keep).
 */
public final class Alarms implements AlarmService {
    static final int TEXT_MAX = 1000;
    static final int ACTOR_MAX = 128;

    private final Database db;
    private final Outbox outbox;
    private final Clock clock;
    private final AlarmStore store = new AlarmStore();

    /**
     * Applies the schema (area {@code alarms}).
     *
     * @throws de.sid.verbund.persistence.PersistenceException when the migration fails
     */
    public Alarms(Database db, Outbox outbox, Clock clock) {
        db.migrate("alarms", Alarms.class.getClassLoader());
        this.db = db;
        this.outbox = outbox;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // --- raise and clear -------------------------------------------------------------------------

    @Override
    public Alarm raise(NewAlarm alarm, String by, String note) {
        Instant now = now();
        return db.inTransaction(c -> raise(c, alarm, by, note, now));
    }

    /** Raises in the caller's transaction. */
    Alarm raise(Connection c, NewAlarm n, String by, String note, Instant now) throws SQLException {
        String actor = cut(by, ACTOR_MAX);
        String description = cut(n.description(), TEXT_MAX);
        Instant expires = n.expiresAfter() == null ? null : now.plus(n.expiresAfter());
        Optional<Alarm> open = store.lockOpen(c, n.key());
        if (open.isEmpty()) {
            Alarm a = new Alarm(UUID.randomUUID().toString(), n.key(), n.sourceKind(), n.sourceId(), cut(n.sourceName(), 255),
                    cut(n.site(), 63), n.type(), n.severity(), AlarmState.ACTIVE, description, 1, now, now, null, null, null,
                    null, null, null, null, 0, expires);
            if (store.insertOpen(c, a)) {
                changed(c, Action.RAISED, AlarmEvents.RAISED, a, actor, cut(note, TEXT_MAX), null, now);
                return a;
            }
            // lost the race to another raise of this key: count a repeat of its alarm
            open = store.lockOpen(c, n.key());
            if (open.isEmpty()) {
                throw new SQLException("alarm key " + n.key() + " is taken by an open alarm that cannot be read", "40001");
            }
        }
        Alarm o = open.get();
        Severity severity = n.severity().compareTo(o.severity()) > 0 ? n.severity() : o.severity();
        Alarm a = new Alarm(o.id(), o.key(), o.sourceKind(), o.sourceId(), o.sourceName(), o.site(), o.type(), severity,
                o.state(), description, o.count() + 1, o.firstSeen(), now, o.acknowledgedBy(), o.acknowledgedAt(),
                o.acknowledgeNote(), null, null, null, o.escalatedAt(), o.escalationLevel(), expires);
        store.update(c, a);
        store.history(c, a.id(), new AlarmHistoryEntry(now, Action.REPEATED, actor, severity, cut(note, TEXT_MAX)));
        if (severity != o.severity()) {
            String why = "repeat with severity " + severity.label() + ": " + o.severity().label() + " → " + severity.label();
            changed(c, Action.ESCALATED, AlarmEvents.ESCALATED, a, actor, why, o.severity(), now);
        }
        return a;
    }

    @Override
    public Optional<Alarm> clear(String key, String by, String reason) {
        Instant now = now();
        return db.inTransaction(c -> clear(c, key, by, reason, now));
    }

    /** Clears the open alarm of a key in the caller's transaction. */
    Optional<Alarm> clear(Connection c, String key, String by, String reason, Instant now) throws SQLException {
        Optional<Alarm> open = store.lockOpen(c, key);
        if (open.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(cleared(c, open.get(), by, reason, now));
    }

    private Alarm cleared(Connection c, Alarm o, String by, String reason, Instant now) throws SQLException {
        String actor = cut(by, ACTOR_MAX);
        String why = cut(reason, TEXT_MAX);
        Alarm a = new Alarm(o.id(), o.key(), o.sourceKind(), o.sourceId(), o.sourceName(), o.site(), o.type(), o.severity(),
                AlarmState.CLEARED, o.description(), o.count(), o.firstSeen(), o.lastSeen(), o.acknowledgedBy(),
                o.acknowledgedAt(), o.acknowledgeNote(), now, actor, why, o.escalatedAt(), o.escalationLevel(),
                o.expiresAt());
        store.update(c, a);
        changed(c, Action.CLEARED, AlarmEvents.CLEARED, a, actor, why, null, now);
        return a;
    }

    // --- operators -------------------------------------------------------------------------------

    @Override
    public Alarm acknowledge(String id, String user, String note) {
        checkText("note", note);
        Instant now = now();
        return db.inTransaction(c -> {
            Alarm o = locked(c, id);
            if (o.state() == AlarmState.CLEARED) {
                throw ProblemException.conflict("alarm " + id + " is cleared (by " + o.clearedBy() + " at "
                        + o.clearedAt() + "): nothing to acknowledge");
            }
            if (o.state() == AlarmState.ACKNOWLEDGED) {
                throw ProblemException.conflict("alarm " + id + " is already acknowledged by " + o.acknowledgedBy()
                        + " at " + o.acknowledgedAt());
            }
            String actor = cut(user, ACTOR_MAX);
            String text = blankToNull(note);
            Alarm a = new Alarm(o.id(), o.key(), o.sourceKind(), o.sourceId(), o.sourceName(), o.site(), o.type(),
                    o.severity(), AlarmState.ACKNOWLEDGED, o.description(), o.count(), o.firstSeen(), o.lastSeen(), actor,
                    now, text, null, null, null, o.escalatedAt(), o.escalationLevel(), o.expiresAt());
            store.update(c, a);
            changed(c, Action.ACKNOWLEDGED, AlarmEvents.ACKNOWLEDGED, a, actor, text, null, now);
            return a;
        });
    }

    @Override
    public Alarm clearAlarm(String id, String user, String reason) {
        checkText("reason", reason);
        Instant now = now();
        return db.inTransaction(c -> {
            Alarm o = locked(c, id);
            if (o.state() == AlarmState.CLEARED) {
                throw ProblemException.conflict("alarm " + id + " is already cleared (by " + o.clearedBy() + " at "
                        + o.clearedAt() + ")");
            }
            return cleared(c, o, user, blankToNull(reason) == null ? "cleared by hand" : reason.trim(), now);
        });
    }

    private Alarm locked(Connection c, String id) throws SQLException {
        return store.lock(c, id).orElseThrow(() -> ProblemException.notFound("no alarm " + id));
    }

    private static void checkText(String what, String text) {
        if (text != null && text.length() > TEXT_MAX) {
            throw ProblemException.badRequest(what + " must have at most " + TEXT_MAX + " characters, has " + text.length());
        }
    }

    // --- reading ---------------------------------------------------------------------------------

    @Override
    public Optional<Alarm> alarm(String id) {
        return db.inTransaction(c -> store.get(c, id));
    }

    @Override
    public Optional<AlarmDetail> detail(String id) {
        return db.inTransaction(c -> {
            Optional<Alarm> a = store.get(c, id);
            return a.isEmpty() ? Optional.<AlarmDetail>empty() : Optional.of(new AlarmDetail(a.get(), store.history(c, id)));
        });
    }

    @Override
    public Page<Alarm> alarms(AlarmFilter filter, int limit, String cursor) {
        return db.inTransaction(c -> store.list(c, filter, limit, cursor == null || cursor.isBlank() ? null : cursor));
    }

    @Override
    public Set<String> openKeys() {
        return db.inTransaction(store::openKeys);
    }

    /** @return open alarms by severity and state (every combination, 0 when none) */
    Map<Severity, Map<AlarmState, Long>> openCounts() {
        return db.inTransaction(store::openCounts);
    }

    // --- events, escalation, expiry --------------------------------------------------------------

    /**
     * Does work once per event id: records the id in the work's transaction, so a redelivered
     * event (same id) does nothing.
     *
     * @return false when the event had been acted upon already
     */
    boolean once(UUID eventId, Work work) {
        Instant now = now();
        return db.inTransaction(c -> {
            if (!store.markProcessed(c, eventId, now)) {
                return false;
            }
            work.run(c, now);
            return true;
        });
    }

    /** Work in a transaction, at a time. */
    @FunctionalInterface
    interface Work {
        void run(Connection c, Instant now) throws SQLException;
    }

    /**
     * Escalates every ACTIVE (unacknowledged) condition alarm below critical whose raise, or last
     * escalation, is at least {@code after} ago, by one severity step. Each alarm is re-checked
     * under its row lock, so several nodes sweeping at once escalate it once.
     *
     * @return how many alarms were escalated
     */
    int escalate(Duration after) {
        Instant now = now();
        Instant due = now.minus(after);
        int n = 0;
        for (String id : db.inTransaction(c -> store.dueForEscalation(c, due))) {
            boolean done = db.inTransaction(c -> {
                Optional<Alarm> l = store.lock(c, id);
                if (l.isEmpty()) {
                    return false;
                }
                Alarm o = l.get();
                Instant since = o.escalatedAt() == null ? o.firstSeen() : o.escalatedAt();
                if (o.state() != AlarmState.ACTIVE || o.severity() == Severity.CRITICAL || o.expiresAt() != null
                        || since.isAfter(due)) {
                    return false;
                }
                Severity up = o.severity().escalated();
                Alarm a = new Alarm(o.id(), o.key(), o.sourceKind(), o.sourceId(), o.sourceName(), o.site(), o.type(), up,
                        o.state(), o.description(), o.count(), o.firstSeen(), o.lastSeen(), o.acknowledgedBy(),
                        o.acknowledgedAt(), o.acknowledgeNote(), o.clearedAt(), o.clearedBy(), o.clearReason(), now,
                        o.escalationLevel() + 1, o.expiresAt());
                store.update(c, a);
                String why = "not acknowledged for " + minutes(Duration.between(since, now)) + ": " + o.severity().label()
                        + " → " + up.label();
                changed(c, Action.ESCALATED, AlarmEvents.ESCALATED, a, "system", why, o.severity(), now);
                return true;
            });
            n += done ? 1 : 0;
        }
        return n;
    }

    /** Clears every open alarm past its expiry (alarms about past events). @return how many */
    int expire() {
        Instant now = now();
        int n = 0;
        for (String id : db.inTransaction(c -> store.expired(c, now))) {
            boolean done = db.inTransaction(c -> {
                Optional<Alarm> l = store.lock(c, id);
                if (l.isEmpty() || !l.get().state().isOpen() || l.get().expiresAt() == null
                        || l.get().expiresAt().isAfter(now)) {
                    return false;
                }
                cleared(c, l.get(), "system", "expired: not raised again since " + l.get().lastSeen(), now);
                return true;
            });
            n += done ? 1 : 0;
        }
        return n;
    }

    /** Forgets processed event ids older than {@code keep}. @return how many */
    int pruneProcessed(Duration keep) {
        Instant before = now().minus(keep);
        return db.inTransaction(c -> store.pruneProcessed(c, before));
    }

    /** A state change of an alarm already written: its history entry and its event, in the same transaction. */
    private void changed(Connection c, Action action, String eventType, Alarm a, String by, String text, Severity previous,
                         Instant now) throws SQLException {
        store.history(c, a.id(), new AlarmHistoryEntry(now, action, by, a.severity(), text));
        publish(c, eventType, a, by, text, previous, now);
    }

    private void publish(Connection c, String type, Alarm a, String by, String note, Severity previous, Instant now)
            throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(AlarmEvents.ALARM_ID, a.id());
        p.put(AlarmEvents.KEY, a.key());
        p.put(AlarmEvents.TYPE, a.type());
        p.put(AlarmEvents.SEVERITY, a.severity().label());
        if (previous != null) {
            p.put(AlarmEvents.PREVIOUS_SEVERITY, previous.label());
        }
        p.put(AlarmEvents.STATE, a.state().name());
        p.put(AlarmEvents.SOURCE_KIND, a.sourceKind().name());
        p.put(AlarmEvents.SOURCE_ID, a.sourceId());
        p.put(AlarmEvents.SOURCE_NAME, a.sourceName());
        p.put(AlarmEvents.SITE, a.site());
        p.put(AlarmEvents.DESCRIPTION, a.description());
        p.put(AlarmEvents.COUNT, a.count());
        p.put(AlarmEvents.FIRST_SEEN, a.firstSeen().toString());
        p.put(AlarmEvents.LAST_SEEN, a.lastSeen().toString());
        p.put(AlarmEvents.BY, by);
        p.put(AlarmEvents.NOTE, note);
        outbox.add(c, AlarmEvents.TOPIC, new DomainEvent(UUID.randomUUID(), type, now, null, p));
    }

    private static String minutes(Duration d) {
        long m = d.toMinutes();
        return m >= 1 ? m + " min" : d.toSeconds() + " s";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}

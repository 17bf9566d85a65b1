package de.sid.verbund.alarms;

import de.sid.verbund.core.Page;
import java.util.Optional;
import java.util.Set;

/**
 * The alarm store and lifecycle. Every change is stored with its history entry and its event
 * ({@link AlarmEvents}) in one database transaction, and changes of one alarm are serialised by
 * its row lock, so parallel raises of one key (also from several cluster nodes on a shared
 * database) give one alarm with the sum of their counts.
 *
 * <p>Errors: {@link de.sid.verbund.core.ProblemException} with NOT_FOUND for an unknown alarm id,
 * CONFLICT for a change its state forbids, UNAVAILABLE while the database is not ready.
 */
public interface AlarmService {
    /**
     * Raises an alarm: opens a new ACTIVE alarm when no alarm with its key is open; otherwise
     * counts a repeat of the open one (count + 1, last seen, description of this raise; an
     * ACKNOWLEDGED alarm stays acknowledged; a higher severity replaces the lower one).
     *
     * @param alarm what is raised
     * @param by who raises it: {@code trap}, {@code rule:<name>}, a user
     * @param note where it comes from, for the history (e.g. the trap's sender), or {@code null}
     * @return the alarm after the raise
     */
    Alarm raise(NewAlarm alarm, String by, String note);

    /**
     * Clears the open alarm with this key, if there is one (a clearing trap, a threshold back to normal).
     *
     * @param by who clears it: {@code trap}, {@code rule:<name>}, a user
     * @param reason why, for the history and the event
     * @return the cleared alarm, empty when none with this key was open
     */
    Optional<Alarm> clear(String key, String by, String reason);

    /**
     * Acknowledges an ACTIVE alarm: an operator has seen it; it no longer escalates.
     *
     * @param user who
     * @param note optional note (at most 1,000 characters)
     * @return the acknowledged alarm
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND for an unknown id, CONFLICT when it is
     *         already acknowledged or cleared
     */
    Alarm acknowledge(String id, String user, String note);

    /**
     * Clears an open alarm by hand.
     *
     * @param user who
     * @param reason optional reason (at most 1,000 characters)
     * @return the cleared alarm
     * @throws de.sid.verbund.core.ProblemException NOT_FOUND for an unknown id, CONFLICT when it is already cleared
     */
    Alarm clearAlarm(String id, String user, String reason);

    /** @return the alarm, empty for an unknown id */
    Optional<Alarm> alarm(String id);

    /** @return the alarm with its history (oldest first), empty for an unknown id */
    Optional<AlarmDetail> detail(String id);

    /**
     * Lists alarms, newest first (by first seen), paged by {@code limit} and {@code cursor}.
     *
     * @param cursor {@code nextCursor} of the previous page, or {@code null}
     * @throws de.sid.verbund.core.ProblemException BAD_REQUEST for a cursor not made by this method
     */
    Page<Alarm> alarms(AlarmFilter filter, int limit, String cursor);

    /** @return the keys of every open alarm (for producers that keep their own view of what they raised) */
    Set<String> openKeys();
}

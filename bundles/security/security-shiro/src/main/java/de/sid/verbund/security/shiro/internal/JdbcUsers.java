package de.sid.verbund.security.shiro.internal;

import de.sid.verbund.core.Ids;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.persistence.Database;
import de.sid.verbund.persistence.PersistenceException;
import de.sid.verbund.security.ApiToken;
import de.sid.verbund.security.NewUser;
import de.sid.verbund.security.Roles;
import de.sid.verbund.security.User;
import de.sid.verbund.security.UserService;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** Users and API tokens in the database (tables {@code app_user}, {@code api_token}). */
final class JdbcUsers implements UserService {
    private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");
    private static final String COLUMNS = "id, username, authority_id, roles, locked, locked_until, created_at";

    private final Database db;
    private final Passwords passwords;
    private final int lockAfterFailures;
    private final Duration lockDuration;
    private final java.time.Clock clock;
    private final PasswordCheck passwordCheck;
    private final Duration slotWait;
    private final Pause pause;
    /**
     * A bcrypt hash (at the configured cost) of a random secret: compared against whenever a
     * password is refused without looking at it (unknown, disabled or locked account), so the
     * answer takes as long as a real check and timing does not tell these cases apart.
     */
    private final String dummyHash;

    /** Compares a password with a stored bcrypt hash; a seam for tests, which count and pace comparisons. */
    @FunctionalInterface
    interface PasswordCheck {
        boolean matches(String hash, String password);
    }

    JdbcUsers(Database db, Passwords passwords, int lockAfterFailures, Duration lockDuration, java.time.Clock clock) {
        this(db, passwords, lockAfterFailures, lockDuration, clock, Passwords::matches);
    }

    JdbcUsers(Database db, Passwords passwords, int lockAfterFailures, Duration lockDuration, java.time.Clock clock,
            PasswordCheck passwordCheck) {
        this(db, passwords, lockAfterFailures, lockDuration, clock, passwordCheck, SLOT_WAIT, Thread::sleep);
    }

    /** For tests: {@code slotWait} instead of {@link #SLOT_WAIT}, {@code pause} between claims of a waiting attempt. */
    JdbcUsers(Database db, Passwords passwords, int lockAfterFailures, Duration lockDuration, java.time.Clock clock,
            PasswordCheck passwordCheck, Duration slotWait, Pause pause) {
        this.db = db;
        this.slotWait = slotWait;
        this.pause = pause;
        this.clock = clock;
        this.lockDuration = lockDuration;
        this.passwords = passwords;
        this.lockAfterFailures = Math.max(1, lockAfterFailures);
        this.passwordCheck = passwordCheck;
        this.dummyHash = passwords.hash(Passwords.newTokenSecret());
    }

    /** @return the hash compared against when a password is refused without a real check */
    String dummyHash() {
        return dummyHash;
    }

    @Override
    public Page<User> list(String authorityId, int limit, String cursor) {
        String after = cursor == null ? "" : decodeCursor(cursor);
        return db.inTransaction(c -> {
            String sql = "SELECT " + COLUMNS + " FROM app_user WHERE username > ?"
                    + (authorityId == null ? "" : " AND authority_id = ?") + " ORDER BY username LIMIT ?";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                ps.setString(i++, after);
                if (authorityId != null) {
                    ps.setString(i++, authorityId);
                }
                ps.setInt(i, limit + 1);
                List<User> users = new ArrayList<>();
                OffsetDateTime now = now();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        users.add(read(rs, now));
                    }
                }
                String next = null;
                if (users.size() > limit) {
                    users = users.subList(0, limit);
                    next = encodeCursor(users.get(limit - 1).username());
                }
                return new Page<>(users, next);
            }
        });
    }

    private static String encodeCursor(String username) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(username.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodeCursor(String cursor) {
        try {
            String after = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (USERNAME.matcher(after).matches()) {
                return after;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ProblemException.badRequest("invalid cursor (pass back nextCursor of the previous page): " + cursor);
    }

    @Override
    public Optional<User> find(String id) {
        return queryOne("SELECT " + COLUMNS + " FROM app_user WHERE id = ?", Ids.parse(id).toString());
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return queryOne("SELECT " + COLUMNS + " FROM app_user WHERE username = ?", username);
    }

    private Optional<User> queryOne(String sql, String arg) {
        OffsetDateTime now = now();
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs, now)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public User create(NewUser u) {
        List<String> errors = new ArrayList<>();
        if (u.username() == null || !USERNAME.matcher(u.username()).matches()) {
            errors.add("username must be 3-64 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        try {
            Passwords.validate(u.password());
        } catch (ProblemException e) {
            errors.add(e.getMessage());
        }
        Set<String> roles = checkRoles(u.roles(), u.authorityId() != null && !u.authorityId().isBlank(), errors);
        String authorityId = null;
        if (u.authorityId() != null && !u.authorityId().isBlank()) {
            try {
                authorityId = Ids.parse(u.authorityId()).toString();
            } catch (ProblemException e) {
                errors.add("authorityId: " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid user: " + String.join("; ", errors), errors, null);
        }
        String id = Ids.newId();
        String hash = passwords.hash(u.password());
        OffsetDateTime now = now();
        String finalAuthority = authorityId;
        try {
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_user (id, username, authority_id, "
                        + "password_hash, roles, locked, failed_logins, created_at, password_changed_at) "
                        + "VALUES (?, ?, ?, ?, ?, FALSE, 0, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setString(2, u.username());
                    ps.setString(3, finalAuthority);
                    ps.setString(4, hash);
                    ps.setString(5, String.join(",", roles));
                    ps.setObject(6, now);
                    ps.setObject(7, now);
                    return ps.executeUpdate();
                }
            });
        } catch (PersistenceException e) {
            if (e.isUniqueViolation()) {
                throw ProblemException.conflict("username '" + u.username() + "' is taken");
            }
            throw e;
        }
        return new User(id, u.username(), authorityId, roles, false, now.toInstant());
    }

    /**
     * The role rules of {@link #create} and {@link #setRoles}: at least one role, each of
     * {@link Roles#ALL}; authority roles ({@link Roles#TENANT_ROLES}) only for a user of an
     * authority, SID roles only for one without; never both kinds.
     *
     * @param roles the roles asked for, may be {@code null}
     * @param hasAuthority whether the user belongs to an authority
     * @param errors receives each problem found
     * @return the roles, sorted, without duplicates
     */
    static Set<String> checkRoles(Set<String> roles, boolean hasAuthority, List<String> errors) {
        Set<String> out = new TreeSet<>();
        if (roles != null) {
            for (String r : roles) {
                if (r == null || r.isBlank()) {
                    errors.add("roles must not contain empty entries");
                } else {
                    out.add(r);
                }
            }
        }
        if (out.isEmpty()) {
            errors.add("roles must name at least one of " + new TreeSet<>(Roles.ALL));
        }
        for (String r : out) {
            if (!Roles.ALL.contains(r)) {
                errors.add("unknown role '" + r + "' (known: " + new TreeSet<>(Roles.ALL) + ")");
            }
        }
        boolean tenantRole = out.stream().anyMatch(Roles.TENANT_ROLES::contains);
        boolean sidRole = out.stream().anyMatch(r -> Roles.ALL.contains(r) && !Roles.TENANT_ROLES.contains(r));
        if (tenantRole && sidRole) {
            errors.add("a user has either SID roles or authority roles, not both");
        }
        if (tenantRole && !hasAuthority) {
            errors.add("authorityId is required for authority roles");
        }
        if (!tenantRole && hasAuthority) {
            errors.add("authorityId must be empty for SID roles");
        }
        return out;
    }

    /**
     * Replaces a user's roles, checked by {@link #checkRoles} against the user's authority. Taking
     * {@link Roles#SID_ADMIN} from the last user holding it is refused.
     *
     * @throws ProblemException NOT_FOUND, BAD_REQUEST (each problem listed), CONFLICT for the last SID admin
     */
    @Override
    public User setRoles(String userId, Set<String> roles) {
        String id = Ids.parse(userId).toString();
        User u = find(id).orElseThrow(() -> ProblemException.notFound("no user " + userId));
        List<String> errors = new ArrayList<>();
        Set<String> checked = checkRoles(roles, u.authorityId() != null, errors);
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid roles: " + String.join("; ", errors), errors, null);
        }
        int n = db.inTransaction(c -> {
            if (!checked.contains(Roles.SID_ADMIN)) {
                refuseLastSidAdmin(c, id, "take sid-admin from");
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET roles = ? WHERE id = ?")) {
                ps.setString(1, String.join(",", checked));
                ps.setString(2, id);
                return ps.executeUpdate();
            }
        });
        if (n == 0) {
            throw ProblemException.notFound("no user " + userId);
        }
        return new User(u.id(), u.username(), u.authorityId(), checked, u.locked(), u.createdAt());
    }

    /**
     * Deletes a user with its API tokens ({@code ON DELETE CASCADE}). Deleting the last user
     * holding {@link Roles#SID_ADMIN} is refused.
     *
     * @throws ProblemException NOT_FOUND, CONFLICT for the last SID admin
     */
    @Override
    public void delete(String userId) {
        String id = Ids.parse(userId).toString();
        int n = db.inTransaction(c -> {
            refuseLastSidAdmin(c, id, "delete");
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM app_user WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate();
            }
        });
        if (n == 0) {
            throw ProblemException.notFound("no user " + userId);
        }
    }

    /**
     * Refuses (CONFLICT) when {@code id} is the only user holding {@link Roles#SID_ADMIN}. The
     * candidates' rows are read {@code FOR UPDATE}, so two transactions removing two different
     * admins at once are serialised and the second sees the first's change.
     */
    private static void refuseLastSidAdmin(Connection c, String id, String what) throws SQLException {
        List<String> admins = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, roles FROM app_user WHERE roles LIKE ? FOR UPDATE")) {
            ps.setString(1, "%" + Roles.SID_ADMIN + "%");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (Arrays.asList(rs.getString("roles").split(",")).contains(Roles.SID_ADMIN)) {
                        admins.add(rs.getString("id"));
                    }
                }
            }
        }
        if (admins.equals(List.of(id))) {
            throw ProblemException.conflict("cannot " + what + " the last user holding " + Roles.SID_ADMIN
                    + ": the platform would have no administrator");
        }
    }

    @Override
    public void setPassword(String userId, String newPassword) {
        Passwords.validate(newPassword);
        String hash = passwords.hash(newPassword);
        String id = Ids.parse(userId).toString();
        int n = db.inTransaction(c -> {
            int updated;
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET password_hash = ?, "
                    + "failed_logins = 0, logins_in_flight = 0, locked_until = NULL, password_changed_at = ? WHERE id = ?")) {
                ps.setString(1, hash);
                ps.setObject(2, now());
                ps.setString(3, id);
                updated = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_token WHERE user_id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_session WHERE user_id = ?")) {
                ps.setString(1, id);
                ps.executeUpdate();
            }
            return updated;
        });
        if (n == 0) {
            throw ProblemException.notFound("no user " + userId);
        }
    }

    /**
     * Checks a user's current password for re-authentication. Counts towards the same lockout as
     * logins (a bearer-token holder must not get unlimited guesses) and is refused while the
     * account is locked or disabled.
     */
    @Override
    public boolean verifyPassword(String userId, String password) {
        return checkPassword(true, Ids.parse(userId).toString(), password).ok();
    }

    @Override
    public void unlock(String userId) {
        int n = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE app_user SET failed_logins = 0, logins_in_flight = 0, locked_until = NULL WHERE id = ?")) {
                ps.setString(1, Ids.parse(userId).toString());
                return ps.executeUpdate();
            }
        });
        if (n == 0) {
            throw ProblemException.notFound("no user " + userId);
        }
    }

    @Override
    public List<ApiToken> tokens(String userId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT id, name, expires_at FROM api_token "
                    + "WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, id")) {
                ps.setString(1, Ids.parse(userId).toString());
                ps.setObject(2, now());
                List<ApiToken> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new ApiToken(rs.getString(1), rs.getString(2),
                                rs.getObject(3, OffsetDateTime.class).toInstant(), null));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void revokeToken(String userId, String tokenId) {
        int n = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_token WHERE id = ? AND user_id = ?")) {
                ps.setString(1, Ids.parse(tokenId).toString());
                ps.setString(2, Ids.parse(userId).toString());
                return ps.executeUpdate();
            }
        });
        if (n == 0) {
            throw ProblemException.notFound("no API token " + tokenId);
        }
    }

    @Override
    public ApiToken createToken(String userId, String name, Duration validFor) {
        if (validFor == null || validFor.compareTo(Duration.ofDays(1)) < 0 || validFor.compareTo(Duration.ofDays(365)) > 0) {
            throw ProblemException.badRequest("token validity must be between 1 and 365 days");
        }
        if (name == null || name.isBlank() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl)) {
            throw ProblemException.badRequest("token name must have 1-100 printable characters");
        }
        if (find(userId).isEmpty()) {
            throw ProblemException.notFound("no user " + userId);
        }
        String owner = Ids.parse(userId).toString();
        String secret = Passwords.newTokenSecret();
        String id = Ids.newId();
        OffsetDateTime now = now();
        OffsetDateTime expires = now.plus(validFor);
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_token (id, user_id, name, secret_sha256, "
                    + "expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, owner);
                ps.setString(3, name);
                ps.setString(4, Passwords.sha256(secret));
                ps.setObject(5, expires);
                ps.setObject(6, now);
                return ps.executeUpdate();
            }
        });
        return new ApiToken(id, name, expires.toInstant(), secret);
    }

    /** Seeds the demo users when the table is empty; @return whether it did. */
    boolean seedDemoUsers() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM app_user"); ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return false;
                }
            }
            for (String[] d : new String[][] {{"admin", Roles.SID_ADMIN}, {"operator", Roles.SID_OPERATOR},
                    {"monitor", Roles.MONITORING}, {"clerk", Roles.BILLING_CLERK}}) {
                insertSeed(c, d[0], d[1]);
            }
            return true;
        });
    }

    private void insertSeed(Connection c, String username, String role) throws SQLException {
        // demo passwords equal the user name: shorter than the policy allows, so set directly
        OffsetDateTime now = now();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_user (id, username, authority_id, password_hash, "
                + "roles, locked, failed_logins, created_at, password_changed_at) VALUES (?, ?, NULL, ?, ?, FALSE, 0, ?, ?)")) {
            ps.setString(1, Ids.newId());
            ps.setString(2, username);
            ps.setString(3, passwords.hash(username));
            ps.setString(4, role);
            ps.setObject(5, now);
            ps.setObject(6, now);
            ps.executeUpdate();
        }
    }

    /**
     * How a password check ended. {@code BUSY}: {@code lockAfterFailures} other attempts were in
     * flight or failed for the whole {@link #SLOT_WAIT}, so this one was refused unchecked.
     */
    enum Outcome { OK, UNKNOWN, DISABLED, LOCKED, BUSY, WRONG }

    /**
     * The result of {@link #checkPassword}.
     *
     * @param user the account, {@code null} when there is none
     * @param detail the true reason of a refusal, for the audit log (never for the caller)
     */
    record Check(Outcome outcome, User user, String detail) {
        boolean ok() {
            return outcome == Outcome.OK;
        }
    }

    /** How long an attempt waits for a free attempt slot before it is refused as {@link Outcome#BUSY}. */
    static final Duration SLOT_WAIT = Duration.ofSeconds(5);
    /** First pause between two claims of a waiting attempt, in ms; it grows by {@link #PAUSE_STEP_MS} up to {@link #PAUSE_MAX_MS}. */
    private static final long PAUSE_MIN_MS = 20;
    private static final long PAUSE_STEP_MS = 5;
    private static final long PAUSE_MAX_MS = 50;
    /**
     * Attempt slots taken while no attempt of the account started or ended for this long belong to
     * checks that can no longer finish (the process died during bcrypt): they count as failures.
     */
    static final Duration STALE_SLOTS = Duration.ofMinutes(1);

    /** Sleeps between two claims of an attempt waiting for a slot; a seam for tests, which watch the waiting. */
    @FunctionalInterface
    interface Pause {
        void sleep(long millis) throws InterruptedException;
    }

    private enum ClaimState {
        /** the attempt took a slot and its password is to be checked */
        COUNTED,
        /** every slot is taken by attempts in flight or failed; nothing was written */
        BUSY,
        /** no password check: unknown, disabled or locked account */
        REFUSED
    }

    /**
     * The outcome of one claim.
     *
     * @param failuresBefore completed failures counted when the slot was taken: those a success forgets
     */
    private record Claim(ClaimState state, User user, String passwordHash, int failuresBefore, boolean disabled,
            OffsetDateTime lockedUntil) {
    }

    /**
     * Claims an attempt slot before the password is looked at. In one transaction the account's
     * row is read {@code FOR UPDATE} (so claims of one account are serialised, on H2 and on
     * PostgreSQL) and decided here:
     * <ul>
     * <li>disabled or locked: refused;
     * <li>an expired lock starts a new window: failures forgotten;
     * <li>completed failures ({@code failed_logins}) plus checks in flight ({@code logins_in_flight})
     * below {@code lockAfterFailures}: a slot is taken ({@code COUNTED});
     * <li>otherwise {@code BUSY}, and nothing is written: a busy claim never locks the account, the
     * lock is set only by the wrong password that brings the failures to the limit.
     * </ul>
     * So however many requests arrive at once, at most {@code lockAfterFailures} password checks
     * run at a time, and no more than that many wrong passwords are checked before the lock.
     * Slots left behind by a process that died during a check ({@link #STALE_SLOTS}) count as
     * failures, which may start the lock.
     *
     * @return {@code null} for an unknown account
     */
    private Claim claim(boolean byId, String key) {
        OffsetDateTime now = now();
        return db.inTransaction(c -> {
            String where = byId ? "id = ?" : "username = ?";
            User user;
            String hash;
            String id;
            boolean disabled;
            OffsetDateTime lockedUntil;
            OffsetDateTime lastAttempt;
            int failed;
            int inFlight;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", password_hash, failed_logins, "
                    + "logins_in_flight, last_login_attempt_at FROM app_user WHERE " + where + " FOR UPDATE")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    user = read(rs, now);
                    id = rs.getString("id");
                    hash = rs.getString("password_hash");
                    disabled = rs.getBoolean("locked");
                    lockedUntil = rs.getObject("locked_until", OffsetDateTime.class);
                    lastAttempt = rs.getObject("last_login_attempt_at", OffsetDateTime.class);
                    failed = rs.getInt("failed_logins");
                    inFlight = rs.getInt("logins_in_flight");
                }
            }
            if (disabled) {
                return new Claim(ClaimState.REFUSED, user, hash, failed, true, lockedUntil);
            }
            if (lockedUntil != null && lockedUntil.isAfter(now)) {
                return new Claim(ClaimState.REFUSED, user, hash, failed, false, lockedUntil);
            }
            boolean changed = false;
            if (lockedUntil != null) {
                lockedUntil = null;
                failed = 0;
                changed = true;
            }
            if (inFlight > 0 && failed + inFlight >= lockAfterFailures
                    && (lastAttempt == null || !lastAttempt.plus(STALE_SLOTS).isAfter(now))) {
                failed += inFlight;
                inFlight = 0;
                changed = true;
            }
            if (failed >= lockAfterFailures) {
                // failures that reached the limit without a lock: lost slots, or a lowered limit
                lockedUntil = now.plus(lockDuration);
                changed = true;
            }
            ClaimState state;
            if (lockedUntil != null) {
                state = ClaimState.REFUSED;
            } else if (failed + inFlight >= lockAfterFailures) {
                state = ClaimState.BUSY;
            } else {
                state = ClaimState.COUNTED;
                inFlight++;
                lastAttempt = now;
                changed = true;
            }
            if (changed) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET failed_logins = ?, "
                        + "logins_in_flight = ?, locked_until = ?, last_login_attempt_at = ? WHERE id = ?")) {
                    ps.setInt(1, failed);
                    ps.setInt(2, inFlight);
                    ps.setObject(3, lockedUntil);
                    ps.setObject(4, lastAttempt);
                    ps.setString(5, id);
                    ps.executeUpdate();
                }
            }
            return new Claim(state, user, hash, failed, false, lockedUntil);
        });
    }

    /**
     * Checks a password against an account looked up by id or user name, with the lockout: the
     * attempt takes one of {@code lockAfterFailures} slots before bcrypt runs (see {@link #claim});
     * when all are taken it waits for one, claiming again after a pause of 20 ms growing to 50 ms,
     * for at most {@link #SLOT_WAIT} ({@code BUSY} after that, without a lock). A wrong password
     * that brings the completed failures to the limit locks password logins for the lock
     * duration; a success forgets the failures completed before it took its slot (sequentially,
     * all of them), not those of attempts running beside it. Refusals without a real check
     * (unknown, disabled, locked, busy) still compare against a dummy hash, so they take as long
     * as a wrong password.
     */
    Check checkPassword(boolean byId, String key, String password) {
        long deadline = System.nanoTime() + slotWait.toNanos();
        long pauseMs = PAUSE_MIN_MS;
        Claim claim = claim(byId, key);
        while (claim != null && claim.state() == ClaimState.BUSY) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                break;
            }
            try {
                pause.sleep(Math.min(pauseMs, left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            pauseMs = Math.min(pauseMs + PAUSE_STEP_MS, PAUSE_MAX_MS);
            claim = claim(byId, key);
        }
        if (claim == null) {
            passwordCheck.matches(dummyHash, password);
            return new Check(Outcome.UNKNOWN, null, "unknown user");
        }
        User u = claim.user();
        if (claim.disabled()) {
            passwordCheck.matches(dummyHash, password);
            return new Check(Outcome.DISABLED, u, "account disabled by an administrator");
        }
        if (claim.lockedUntil() != null) {
            passwordCheck.matches(dummyHash, password);
            return new Check(Outcome.LOCKED, u, "locked after repeated failed logins until "
                    + claim.lockedUntil().toInstant());
        }
        if (claim.state() == ClaimState.BUSY) {
            passwordCheck.matches(dummyHash, password);
            return new Check(Outcome.BUSY, u, "too many concurrent login attempts: " + lockAfterFailures
                    + " in flight or failed for " + slotWait.toMillis() + " ms");
        }
        boolean matches;
        try {
            matches = passwordCheck.matches(claim.passwordHash(), password);
        } catch (RuntimeException | Error e) {
            try {
                releaseSlot(u.id());
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        if (!matches) {
            Instant lockedUntil = recordFailure(u.id());
            return new Check(Outcome.WRONG, u, lockedUntil == null ? "wrong password"
                    : "wrong password; locked until " + lockedUntil);
        }
        recordSuccess(u.id(), claim.failuresBefore());
        return new Check(Outcome.OK, u, "");
    }

    private static final String FREE_SLOT =
            "logins_in_flight = CASE WHEN logins_in_flight > 0 THEN logins_in_flight - 1 ELSE 0 END";

    /**
     * After a wrong password: frees its slot and counts the failure; locks password logins for the
     * lock duration when {@code lockAfterFailures} failures are counted.
     *
     * @return the end of the lock this failure started, or {@code null}
     */
    private Instant recordFailure(String userId) {
        OffsetDateTime now = now();
        OffsetDateTime until = now.plus(lockDuration);
        int n = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET failed_logins = failed_logins + 1, "
                    + FREE_SLOT + ", last_login_attempt_at = ? WHERE id = ?")) {
                ps.setObject(1, now);
                ps.setString(2, userId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET locked_until = ? "
                    + "WHERE id = ? AND locked = FALSE AND locked_until IS NULL AND failed_logins >= ?")) {
                ps.setObject(1, until);
                ps.setString(2, userId);
                ps.setInt(3, lockAfterFailures);
                return ps.executeUpdate();
            }
        });
        return n == 0 ? null : until.toInstant();
    }

    /**
     * After the right password: frees its slot and forgets the failures that had completed when
     * it took the slot (sequentially that resets the count to zero); failures of attempts running
     * beside it stay counted, so a success does not hand out fresh attempts to a parallel burst.
     */
    private void recordSuccess(String userId, int failuresBefore) {
        OffsetDateTime now = now();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET failed_logins = "
                    + "CASE WHEN failed_logins > ? THEN failed_logins - ? ELSE 0 END, " + FREE_SLOT
                    + ", last_login_attempt_at = ? WHERE id = ?")) {
                ps.setInt(1, failuresBefore);
                ps.setInt(2, failuresBefore);
                ps.setObject(3, now);
                ps.setString(4, userId);
                return ps.executeUpdate();
            }
        });
    }

    /** After a check that threw: frees its slot without counting a failure. */
    private void releaseSlot(String userId) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET " + FREE_SLOT + " WHERE id = ?")) {
                ps.setString(1, userId);
                return ps.executeUpdate();
            }
        });
    }

    /** How stale {@code last_seen_at} may get before a request writes it again (one write a minute, not one a request). */
    static final Duration SESSION_TOUCH = Duration.ofMinutes(1);

    /**
     * Opens a web session for a user whose password was just checked.
     *
     * @param maxAge how long it may last at most
     * @return the session secret ({@code vbs_…}) and its latest end
     */
    Map.Entry<String, Instant> createSession(String userId, Duration maxAge) {
        String secret = Passwords.newSessionSecret();
        OffsetDateTime now = now();
        OffsetDateTime expires = now.plus(maxAge);
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO web_session (id, user_id, secret_sha256, "
                    + "created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, Ids.newId());
                ps.setString(2, Ids.parse(userId).toString());
                ps.setString(3, Passwords.sha256(secret));
                ps.setObject(4, now);
                ps.setObject(5, now);
                ps.setObject(6, expires);
                return ps.executeUpdate();
            }
        });
        return Map.entry(secret, expires.toInstant());
    }

    /**
     * The user of a live session: not past its end, used within {@code idle}, user not
     * administratively locked (a temporary password lockout does not end sessions, like API
     * tokens). Marks the session as used (at most once per {@link #SESSION_TOUCH}).
     */
    Optional<User> userForSession(String secret, Instant at, Duration idle) {
        OffsetDateTime now = at.atOffset(ZoneOffset.UTC);
        String hash = Passwords.sha256(secret);
        return db.inTransaction(c -> {
            Optional<User> user;
            OffsetDateTime lastSeen;
            try (PreparedStatement ps = c.prepareStatement("SELECT u.id, u.username, u.authority_id, u.roles, u.locked, "
                    + "u.locked_until, u.created_at, s.last_seen_at FROM web_session s JOIN app_user u ON u.id = s.user_id "
                    + "WHERE s.secret_sha256 = ? AND s.expires_at > ? AND s.last_seen_at > ?")) {
                ps.setString(1, hash);
                ps.setObject(2, now);
                ps.setObject(3, now.minus(idle));
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || rs.getBoolean("locked")) {
                        return Optional.<User>empty();
                    }
                    user = Optional.of(read(rs, now));
                    lastSeen = rs.getObject("last_seen_at", OffsetDateTime.class);
                }
            }
            if (lastSeen.isBefore(now.minus(SESSION_TOUCH))) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE web_session SET last_seen_at = ? WHERE secret_sha256 = ?")) {
                    ps.setObject(1, now);
                    ps.setString(2, hash);
                    ps.executeUpdate();
                }
            }
            return user;
        });
    }

    /** Ends the session with this secret; @return whether there was one. */
    boolean deleteSession(String secret) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_session WHERE secret_sha256 = ?")) {
                ps.setString(1, Passwords.sha256(secret));
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Deletes sessions past their end or idle longer than {@code idle}; @return how many. */
    int deleteDeadSessions(Instant at, Duration idle) {
        OffsetDateTime now = at.atOffset(ZoneOffset.UTC);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM web_session WHERE expires_at <= ? OR last_seen_at <= ?")) {
                ps.setObject(1, now);
                ps.setObject(2, now.minus(idle));
                return ps.executeUpdate();
            }
        });
    }

    /** @return the user owning an unexpired token with this secret; administratively locked users excluded */
    Optional<User> userForToken(String secret, Instant now) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT u.id, u.username, u.authority_id, u.roles, u.locked, "
                    + "u.locked_until, u.created_at FROM api_token t JOIN app_user u ON u.id = t.user_id "
                    + "WHERE t.secret_sha256 = ? AND t.expires_at > ?")) {
                ps.setString(1, Passwords.sha256(secret));
                ps.setObject(2, now.atOffset(ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && !rs.getBoolean("locked") ? Optional.of(read(rs, now.atOffset(ZoneOffset.UTC)))
                            : Optional.empty();
                }
            }
        });
    }

    private static User read(ResultSet rs, OffsetDateTime now) throws SQLException {
        Set<String> roles = new LinkedHashSet<>(Arrays.asList(rs.getString("roles").split(",")));
        OffsetDateTime until = rs.getObject("locked_until", OffsetDateTime.class);
        boolean locked = rs.getBoolean("locked") || (until != null && until.isAfter(now));
        return new User(rs.getString("id"), rs.getString("username"), rs.getString("authority_id"), roles,
                locked, rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}

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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
        this.db = db;
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
        Set<String> roles = new TreeSet<>();
        if (u.roles() != null) {
            for (String r : u.roles()) {
                if (r == null || r.isBlank()) {
                    errors.add("roles must not contain empty entries");
                } else {
                    roles.add(r);
                }
            }
        }
        if (roles.isEmpty()) {
            errors.add("roles must name at least one of " + new TreeSet<>(Roles.ALL));
        }
        for (String r : roles) {
            if (!Roles.ALL.contains(r)) {
                errors.add("unknown role '" + r + "' (known: " + new TreeSet<>(Roles.ALL) + ")");
            }
        }
        boolean tenantRole = roles.stream().anyMatch(Roles.TENANT_ROLES::contains);
        boolean sidRole = roles.stream().anyMatch(r -> Roles.ALL.contains(r) && !Roles.TENANT_ROLES.contains(r));
        if (tenantRole && sidRole) {
            errors.add("a user has either SID roles or authority roles, not both");
        }
        if (tenantRole && (u.authorityId() == null || u.authorityId().isBlank())) {
            errors.add("authorityId is required for authority roles");
        }
        if (!tenantRole && u.authorityId() != null && !u.authorityId().isBlank()) {
            errors.add("authorityId must be empty for SID roles");
        }
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

    @Override
    public void setPassword(String userId, String newPassword) {
        Passwords.validate(newPassword);
        String hash = passwords.hash(newPassword);
        String id = Ids.parse(userId).toString();
        int n = db.inTransaction(c -> {
            int updated;
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET password_hash = ?, "
                    + "failed_logins = 0, locked_until = NULL, password_changed_at = ? WHERE id = ?")) {
                ps.setString(1, hash);
                ps.setObject(2, now());
                ps.setString(3, id);
                updated = ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM api_token WHERE user_id = ?")) {
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
                    "UPDATE app_user SET failed_logins = 0, locked_until = NULL WHERE id = ?")) {
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

    /** How a password check ended. */
    enum Outcome { OK, UNKNOWN, DISABLED, LOCKED, WRONG }

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

    /**
     * Claims a password attempt before the password is looked at, in one transaction: an UPDATE
     * counts the attempt unless the account is disabled, locked, or already has
     * {@code lockAfterFailures} attempts failed or in flight (then it starts the lock instead), and
     * the row is read back under the row lock that UPDATE holds. So however many requests arrive
     * at once, at most {@code lockAfterFailures} password checks run per lock window. An expired
     * lock starts a new window.
     *
     * <p>Parameters: now, limit, now, limit, until (of a lock it starts), then the id or user name.
     */
    private static final String CLAIM_ATTEMPT = "UPDATE app_user SET "
            + "failed_logins = CASE WHEN locked THEN failed_logins "
            + "WHEN locked_until IS NOT NULL AND locked_until > ? THEN failed_logins "
            + "WHEN locked_until IS NOT NULL THEN 1 "
            + "WHEN failed_logins >= ? THEN failed_logins "
            + "ELSE failed_logins + 1 END, "
            + "locked_until = CASE WHEN locked THEN locked_until "
            + "WHEN locked_until IS NOT NULL AND locked_until > ? THEN locked_until "
            + "WHEN locked_until IS NOT NULL THEN NULL "
            + "WHEN failed_logins >= ? THEN ? "
            + "ELSE NULL END WHERE ";

    /** A claimed (or refused) attempt: the row as the claim left it. */
    private record Claim(User user, String passwordHash, int attempts, boolean disabled, OffsetDateTime lockedUntil) {
    }

    /**
     * Checks a password against an account looked up by id or user name, with the lockout: the
     * attempt is counted before bcrypt runs; a failure that reaches the limit locks password logins
     * for the lock duration; a success forgets the attempts counted up to and including its own.
     * Refusals without a real check (unknown, disabled, locked) still compare against a dummy
     * hash, so they take as long as a wrong password.
     */
    Check checkPassword(boolean byId, String key, String password) {
        OffsetDateTime now = now();
        OffsetDateTime until = now.plus(lockDuration);
        Claim claim = db.inTransaction(c -> {
            String where = byId ? "id = ?" : "username = ?";
            try (PreparedStatement ps = c.prepareStatement(CLAIM_ATTEMPT + where)) {
                ps.setObject(1, now);
                ps.setInt(2, lockAfterFailures);
                ps.setObject(3, now);
                ps.setInt(4, lockAfterFailures);
                ps.setObject(5, until);
                ps.setString(6, key);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", password_hash, failed_logins "
                    + "FROM app_user WHERE " + where)) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    return new Claim(read(rs, now), rs.getString("password_hash"), rs.getInt("failed_logins"),
                            rs.getBoolean("locked"), rs.getObject("locked_until", OffsetDateTime.class));
                }
            }
        });
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
        if (!passwordCheck.matches(claim.passwordHash(), password)) {
            Instant lockedUntil = recordFailure(u.id());
            return new Check(Outcome.WRONG, u, lockedUntil == null ? "wrong password"
                    : "wrong password; locked until " + lockedUntil);
        }
        recordSuccess(u.id(), claim.attempts());
        return new Check(Outcome.OK, u, "");
    }

    /**
     * After a wrong password (already counted when the attempt was claimed): locks password logins
     * for the lock duration when {@code lockAfterFailures} attempts are counted.
     *
     * @return the end of the lock this failure started, or {@code null}
     */
    private Instant recordFailure(String userId) {
        OffsetDateTime until = now().plus(lockDuration);
        int n = db.inTransaction(c -> {
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
     * After the right password: forgets the attempts counted before this one and this one itself
     * (sequentially that resets the count to zero); attempts claimed concurrently after it stay
     * counted, so a success does not hand out fresh attempts to a parallel burst.
     */
    private void recordSuccess(String userId, int attempt) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET failed_logins = "
                    + "CASE WHEN failed_logins > ? THEN failed_logins - ? ELSE 0 END WHERE id = ?")) {
                ps.setInt(1, attempt);
                ps.setInt(2, attempt);
                ps.setString(3, userId);
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

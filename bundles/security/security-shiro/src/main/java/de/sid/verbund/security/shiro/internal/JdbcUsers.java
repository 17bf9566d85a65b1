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
    private static final String COLUMNS = "id, username, authority_id, roles, locked, created_at";

    private final Database db;
    private final Passwords passwords;
    private final int lockAfterFailures;
    private final java.time.Clock clock;

    JdbcUsers(Database db, Passwords passwords, int lockAfterFailures, java.time.Clock clock) {
        this.db = db;
        this.clock = clock;
        this.passwords = passwords;
        this.lockAfterFailures = lockAfterFailures;
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
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        users.add(read(rs));
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
            return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid cursor: " + cursor);
        }
    }

    @Override
    public Optional<User> find(String id) {
        return queryOne("SELECT " + COLUMNS + " FROM app_user WHERE id = ?", id);
    }

    @Override
    public Optional<User> findByUsername(String username) {
        return queryOne("SELECT " + COLUMNS + " FROM app_user WHERE username = ?", username);
    }

    private Optional<User> queryOne(String sql, String arg) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
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
        Set<String> roles = u.roles() == null ? Set.of() : new TreeSet<>(u.roles());
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
        if (!tenantRole && u.authorityId() != null) {
            errors.add("authorityId must be empty for SID roles");
        }
        if (u.authorityId() != null) {
            Ids.parse(u.authorityId());
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "invalid user: " + String.join("; ", errors), errors, null);
        }
        String id = Ids.newId();
        String hash = passwords.hash(u.password());
        OffsetDateTime now = now();
        try {
            db.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO app_user (id, username, authority_id, "
                        + "password_hash, roles, locked, failed_logins, created_at, password_changed_at) "
                        + "VALUES (?, ?, ?, ?, ?, FALSE, 0, ?, ?)")) {
                    ps.setString(1, id);
                    ps.setString(2, u.username());
                    ps.setString(3, u.authorityId());
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
        return new User(id, u.username(), u.authorityId(), roles, false, now.toInstant());
    }

    @Override
    public void setPassword(String userId, String newPassword) {
        Passwords.validate(newPassword);
        String hash = passwords.hash(newPassword);
        int n = db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET password_hash = ?, locked = FALSE, "
                    + "failed_logins = 0, password_changed_at = ? WHERE id = ?")) {
                ps.setString(1, hash);
                ps.setObject(2, now());
                ps.setString(3, userId);
                return ps.executeUpdate();
            }
        });
        if (n == 0) {
            throw ProblemException.notFound("no user " + userId);
        }
    }

    @Override
    public ApiToken createToken(String userId, String name, Duration validFor) {
        if (validFor == null || validFor.compareTo(Duration.ofDays(1)) < 0 || validFor.compareTo(Duration.ofDays(365)) > 0) {
            throw ProblemException.badRequest("token validity must be between 1 and 365 days");
        }
        if (name == null || name.isBlank() || name.length() > 100) {
            throw ProblemException.badRequest("token name must have 1-100 characters");
        }
        if (find(userId).isEmpty()) {
            throw ProblemException.notFound("no user " + userId);
        }
        String secret = Passwords.newTokenSecret();
        String id = Ids.newId();
        OffsetDateTime now = now();
        OffsetDateTime expires = now.plus(validFor);
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO api_token (id, user_id, name, secret_sha256, "
                    + "expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, userId);
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

    /** Stored credentials of a user for login. */
    record Credentials(User user, String passwordHash, int failedLogins) {
    }

    Optional<Credentials> credentials(String username) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", password_hash, failed_logins "
                    + "FROM app_user WHERE username = ?")) {
                ps.setString(1, username);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Credentials(read(rs), rs.getString("password_hash"),
                            rs.getInt("failed_logins"))) : Optional.empty();
                }
            }
        });
    }

    /** Counts a failed login; @return whether the account is now locked. */
    boolean recordFailure(String userId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET failed_logins = failed_logins + 1, "
                    + "locked = (locked OR failed_logins + 1 >= ?) WHERE id = ?")) {
                ps.setInt(1, lockAfterFailures);
                ps.setString(2, userId);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT locked FROM app_user WHERE id = ?")) {
                ps.setString(1, userId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            }
        });
    }

    void recordSuccess(String userId, int failedLogins) {
        if (failedLogins == 0) {
            return;
        }
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE app_user SET failed_logins = 0 WHERE id = ?")) {
                ps.setString(1, userId);
                return ps.executeUpdate();
            }
        });
    }

    /** @return the user owning an unexpired token with this secret */
    Optional<User> userForToken(String secret, Instant now) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT u.id, u.username, u.authority_id, u.roles, u.locked, "
                    + "u.created_at FROM api_token t JOIN app_user u ON u.id = t.user_id "
                    + "WHERE t.secret_sha256 = ? AND t.expires_at > ?")) {
                ps.setString(1, Passwords.sha256(secret));
                ps.setObject(2, now.atOffset(ZoneOffset.UTC));
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(read(rs)) : Optional.empty();
                }
            }
        });
    }

    private static User read(ResultSet rs) throws SQLException {
        Set<String> roles = new LinkedHashSet<>(Arrays.asList(rs.getString("roles").split(",")));
        return new User(rs.getString("id"), rs.getString("username"), rs.getString("authority_id"), roles,
                rs.getBoolean("locked"), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}

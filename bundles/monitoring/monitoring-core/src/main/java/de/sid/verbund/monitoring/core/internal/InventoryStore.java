package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Credential.AuthProtocol;
import de.sid.verbund.monitoring.inventory.Credential.CredentialVersion;
import de.sid.verbund.monitoring.inventory.Credential.PrivProtocol;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.persistence.Database;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Devices and credentials in the database (tables {@code monitoring_device},
 * {@code monitoring_credential}). Secrets are read back only by {@link #secret(String)}.
 */
final class InventoryStore {
    private static final String DEVICE_COLUMNS = "id, name, address, port, site, kind, poll_interval_s, profiles, "
            + "credential_id, created_at, origin";
    private static final String CREDENTIAL_COLUMNS = "id, name, version, usm_user, auth_protocol, priv_protocol, created_at, "
            + "origin";

    /** A credential's secrets, for building a target; never leaves the implementation. */
    record Secret(CredentialVersion version, String community, String user, AuthProtocol auth, String authPassphrase,
                  PrivProtocol priv, String privPassphrase) {
        @Override
        public String toString() {
            return "Secret[" + version + ", ***]";
        }
    }

    private final Database db;

    InventoryStore(Database db) {
        this.db = db;
    }

    // --- credentials -----------------------------------------------------------------------------

    void insertCredential(Credential cr, Secret s) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitoring_credential (version, community, "
                    + "usm_user, auth_protocol, auth_passphrase, priv_protocol, priv_passphrase, id, name, created_at, origin) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                int i = bindSecret(ps, s);
                ps.setString(i++, cr.id());
                ps.setString(i++, cr.name());
                ps.setObject(i++, cr.createdAt().atOffset(ZoneOffset.UTC));
                ps.setString(i, cr.origin().name());
                return ps.executeUpdate();
            }
        });
    }

    /** Replaces a credential's version and secrets (the devices file changed them). @return whether it exists */
    boolean updateCredential(String id, Secret s) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE monitoring_credential SET version = ?, community = ?, "
                    + "usm_user = ?, auth_protocol = ?, auth_passphrase = ?, priv_protocol = ?, priv_passphrase = ? "
                    + "WHERE id = ?")) {
                int i = bindSecret(ps, s);
                ps.setString(i, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Sets parameters 1 to 7: version, community, usm_user, auth_protocol, auth_passphrase, priv_protocol, priv_passphrase. */
    private static int bindSecret(PreparedStatement ps, Secret s) throws SQLException {
        ps.setString(1, s.version().name());
        ps.setString(2, s.community());
        ps.setString(3, s.user());
        ps.setString(4, s.auth() == null ? null : s.auth().name());
        ps.setString(5, s.authPassphrase());
        ps.setString(6, s.priv() == null ? null : s.priv().name());
        ps.setString(7, s.privPassphrase());
        return 8;
    }

    List<Credential> credentials() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CREDENTIAL_COLUMNS
                    + " FROM monitoring_credential ORDER BY name"); ResultSet rs = ps.executeQuery()) {
                List<Credential> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(credential(rs));
                }
                return out;
            }
        });
    }

    Optional<Credential> credential(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CREDENTIAL_COLUMNS
                    + " FROM monitoring_credential WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(credential(rs)) : Optional.empty();
                }
            }
        });
    }

    Optional<Secret> secret(String credentialId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SECRET_COLUMNS + " WHERE id = ?")) {
                ps.setString(1, credentialId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(secret(rs)) : Optional.<Secret>empty();
                }
            }
        });
    }

    /** @return the secrets of every stored credential, ordered by name */
    List<Secret> secrets() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SECRET_COLUMNS + " ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<Secret> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(secret(rs));
                }
                return out;
            }
        });
    }

    private static final String SECRET_COLUMNS = "SELECT version, community, usm_user, auth_protocol, auth_passphrase, "
            + "priv_protocol, priv_passphrase FROM monitoring_credential";

    private static Secret secret(ResultSet rs) throws java.sql.SQLException {
        String auth = rs.getString("auth_protocol");
        String priv = rs.getString("priv_protocol");
        return new Secret(CredentialVersion.valueOf(rs.getString("version")), rs.getString("community"),
                rs.getString("usm_user"), auth == null ? null : AuthProtocol.valueOf(auth), rs.getString("auth_passphrase"),
                priv == null ? null : PrivProtocol.valueOf(priv), rs.getString("priv_passphrase"));
    }

    /** @return whether it was deleted; CONFLICT while devices use it */
    boolean deleteCredential(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT name FROM monitoring_device WHERE credential_id = ? "
                    + "ORDER BY name")) {
                ps.setString(1, id);
                List<String> users = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        users.add(rs.getString(1));
                    }
                }
                if (!users.isEmpty()) {
                    throw ProblemException.conflict("credential " + id + " is used by " + users.size() + " device(s): "
                            + String.join(", ", users.subList(0, Math.min(10, users.size())))
                            + (users.size() > 10 ? ", …" : ""));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM monitoring_credential WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    // --- devices ---------------------------------------------------------------------------------

    void insertDevice(Device d) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitoring_device (" + DEVICE_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, d.id());
                ps.setString(2, d.name());
                ps.setString(3, d.address());
                ps.setInt(4, d.port());
                ps.setString(5, d.site());
                ps.setString(6, d.kind().name());
                ps.setInt(7, d.pollIntervalS());
                ps.setString(8, String.join(",", d.profiles()));
                ps.setString(9, d.credentialId());
                ps.setObject(10, d.createdAt().atOffset(ZoneOffset.UTC));
                ps.setString(11, d.origin().name());
                return ps.executeUpdate();
            }
        });
    }

    /** Writes every field of a device but its id, creation time and origin. @return whether it exists */
    boolean updateDevice(Device d) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE monitoring_device SET name = ?, address = ?, port = ?, "
                    + "site = ?, kind = ?, poll_interval_s = ?, profiles = ?, credential_id = ? WHERE id = ?")) {
                ps.setString(1, d.name());
                ps.setString(2, d.address());
                ps.setInt(3, d.port());
                ps.setString(4, d.site());
                ps.setString(5, d.kind().name());
                ps.setInt(6, d.pollIntervalS());
                ps.setString(7, String.join(",", d.profiles()));
                ps.setString(8, d.credentialId());
                ps.setString(9, d.id());
                return ps.executeUpdate() == 1;
            }
        });
    }

    Optional<Device> device(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM monitoring_device WHERE id = ?")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(device(rs)) : Optional.empty();
                }
            }
        });
    }

    /**
     * @return the device with that name, or with that agent (address and port) and credential, if
     *         any (one agent may serve several devices by community: a simulator, a proxy)
     */
    Optional<Device> clash(String name, String address, int port, String credentialId) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM monitoring_device "
                    + "WHERE name = ? OR (address = ? AND port = ? AND credential_id = ?) ORDER BY name LIMIT 1")) {
                ps.setString(1, name);
                ps.setString(2, address);
                ps.setInt(3, port);
                ps.setString(4, credentialId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(device(rs)) : Optional.empty();
                }
            }
        });
    }

    boolean deleteDevice(String id) {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM monitoring_device WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() == 1;
            }
        });
    }

    /** Keyset-paged by name (unique). */
    Page<Device> devices(int limit, String cursor) {
        String after = cursor == null ? null : decode(cursor);
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM monitoring_device"
                    + (after == null ? "" : " WHERE name > ?") + " ORDER BY name LIMIT ?")) {
                int i = 1;
                if (after != null) {
                    ps.setString(i++, after);
                }
                ps.setInt(i, limit + 1);
                List<Device> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(device(rs));
                    }
                }
                String next = null;
                if (out.size() > limit) {
                    out = out.subList(0, limit);
                    next = Base64.getUrlEncoder().withoutPadding().encodeToString(
                            out.get(limit - 1).name().getBytes(StandardCharsets.UTF_8));
                }
                return new Page<>(out, next);
            }
        });
    }

    List<Device> allDevices() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + DEVICE_COLUMNS + " FROM monitoring_device ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<Device> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(device(rs));
                }
                return out;
            }
        });
    }

    private static String decode(String cursor) {
        try {
            String name = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (Validation.NAME.matcher(name).matches()) {
                return name;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ProblemException.badRequest("invalid cursor (pass back nextCursor of the previous page): " + cursor);
    }

    private static Device device(ResultSet rs) throws SQLException {
        String profiles = rs.getString("profiles");
        return new Device(rs.getString("id"), rs.getString("name"), rs.getString("address"), rs.getInt("port"),
                rs.getString("site"), DeviceKind.valueOf(rs.getString("kind")), rs.getInt("poll_interval_s"),
                profiles.isEmpty() ? List.of() : Arrays.asList(profiles.split(",")), rs.getString("credential_id"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(), Device.Origin.valueOf(rs.getString("origin")));
    }

    private static Credential credential(ResultSet rs) throws SQLException {
        String auth = rs.getString("auth_protocol");
        String priv = rs.getString("priv_protocol");
        return new Credential(rs.getString("id"), rs.getString("name"), CredentialVersion.valueOf(rs.getString("version")),
                rs.getString("usm_user"), auth == null ? null : AuthProtocol.valueOf(auth),
                priv == null ? null : PrivProtocol.valueOf(priv), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                Device.Origin.valueOf(rs.getString("origin")));
    }
}

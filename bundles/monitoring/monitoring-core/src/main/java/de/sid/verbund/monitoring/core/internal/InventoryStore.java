package de.sid.verbund.monitoring.core.internal;

import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
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
 * {@code monitoring_credential}). Secrets are stored encrypted by {@link SecretCipher} (the
 * context of each value names the table, the credential's id and the column) and read back only
 * by {@link #secret(String)} and {@link #secrets()}.
 */
final class InventoryStore {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InventoryStore.class);
    private static final String DEVICE_COLUMNS = "id, name, address, port, site, kind, poll_interval_s, profiles, "
            + "credential_id, created_at";
    private static final String CREDENTIAL_COLUMNS = "id, name, version, usm_user, auth_protocol, priv_protocol, created_at";

    /** A credential's secrets, for building a target; never leaves the implementation. */
    record Secret(CredentialVersion version, String community, String user, AuthProtocol auth, String authPassphrase,
                  PrivProtocol priv, String privPassphrase) {
        @Override
        public String toString() {
            return "Secret[" + version + ", ***]";
        }
    }

    private final Database db;
    private final SecretCipher cipher;

    InventoryStore(Database db, SecretCipher cipher) {
        this.db = db;
        this.cipher = cipher;
    }

    // --- secrets at rest -------------------------------------------------------------------------

    /**
     * Before the store is used: claims the database for this key if no key has claimed it yet
     * (table {@code monitoring_secret_key}), refuses another key, and encrypts the secrets of rows
     * stored in plain text before migration V2.
     *
     * @return how many credentials were encrypted
     * @throws IllegalStateException if the database belongs to another key (naming both key ids
     *         and what to do, never a key)
     */
    int prepareSecrets() {
        return db.inTransaction(c -> {
            String claimed = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT key_id FROM monitoring_secret_key WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    claimed = rs.getString(1);
                }
            }
            if (claimed == null) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitoring_secret_key (id, key_id, claimed_at) "
                        + "VALUES (1, ?, ?)")) {
                    ps.setString(1, cipher.keyId());
                    ps.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
                    ps.executeUpdate();
                }
                claimed = cipher.keyId();
            }
            List<String> otherKeys = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT secret_key_id FROM monitoring_credential "
                    + "WHERE secret_key_id IS NOT NULL AND secret_key_id <> ?")) {
                ps.setString(1, cipher.keyId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        otherKeys.add(rs.getString(1));
                    }
                }
            }
            if (!claimed.equals(cipher.keyId()) || !otherKeys.isEmpty()) {
                throw new IllegalStateException(wrongKey(claimed.equals(cipher.keyId()) ? otherKeys.get(0) : claimed));
            }
            List<String[]> plain = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, community, auth_passphrase, priv_passphrase "
                    + "FROM monitoring_credential WHERE secret_key_id IS NULL");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    plain.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
            int n = 0;
            for (String[] row : plain) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE monitoring_credential SET community = ?, "
                        + "auth_passphrase = ?, priv_passphrase = ?, secret_key_id = ? WHERE id = ? AND secret_key_id IS NULL")) {
                    ps.setString(1, cipher.encrypt(row[1], context(row[0], "community")));
                    ps.setString(2, cipher.encrypt(row[2], context(row[0], "auth_passphrase")));
                    ps.setString(3, cipher.encrypt(row[3], context(row[0], "priv_passphrase")));
                    ps.setString(4, cipher.keyId());
                    ps.setString(5, row[0]);
                    n += ps.executeUpdate();
                }
            }
            return n;
        });
    }

    private String wrongKey(String expected) {
        return "the stored SNMP credentials are encrypted with key " + expected + ", but this node's credential key "
                + "(" + cipher.source() + ") is key " + cipher.keyId() + ": install the key file of the node or backup "
                + "that stored them (every node of a cluster needs the same file)";
    }

    /** @return the associated data of one stored value: table, credential id, column */
    private static String context(String credentialId, String column) {
        return "monitoring_credential/" + credentialId + "/" + column;
    }

    // --- credentials -----------------------------------------------------------------------------

    void insertCredential(Credential cr, Secret s) {
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitoring_credential (id, name, version, community, "
                    + "usm_user, auth_protocol, auth_passphrase, priv_protocol, priv_passphrase, created_at, secret_key_id) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, cr.id());
                ps.setString(2, cr.name());
                ps.setString(3, cr.version().name());
                ps.setString(4, cipher.encrypt(s.community(), context(cr.id(), "community")));
                ps.setString(5, s.user());
                ps.setString(6, s.auth() == null ? null : s.auth().name());
                ps.setString(7, cipher.encrypt(s.authPassphrase(), context(cr.id(), "auth_passphrase")));
                ps.setString(8, s.priv() == null ? null : s.priv().name());
                ps.setString(9, cipher.encrypt(s.privPassphrase(), context(cr.id(), "priv_passphrase")));
                ps.setObject(10, cr.createdAt().atOffset(ZoneOffset.UTC));
                ps.setString(11, cipher.keyId());
                return ps.executeUpdate();
            }
        });
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

    /**
     * @return the secrets of every stored credential, ordered by name; one that does not decrypt
     *         is left out and logged, so it does not take the others with it
     */
    List<Secret> secrets() {
        return db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement(SECRET_COLUMNS + " ORDER BY name");
                 ResultSet rs = ps.executeQuery()) {
                List<Secret> out = new ArrayList<>();
                while (rs.next()) {
                    try {
                        out.add(secret(rs));
                    } catch (ProblemException e) {
                        LOG.error("Left out: {}", e.getMessage());
                    }
                }
                return out;
            }
        });
    }

    private static final String SECRET_COLUMNS = "SELECT id, name, version, community, usm_user, auth_protocol, "
            + "auth_passphrase, priv_protocol, priv_passphrase, secret_key_id FROM monitoring_credential";

    /**
     * @throws ProblemException INTERNAL if the row's secrets are under another key or do not
     *         decrypt (the message names the credential and the keys, no secret)
     */
    private Secret secret(ResultSet rs) throws java.sql.SQLException {
        String id = rs.getString("id");
        String keyId = rs.getString("secret_key_id");
        String auth = rs.getString("auth_protocol");
        String priv = rs.getString("priv_protocol");
        String[] values = {rs.getString("community"), rs.getString("auth_passphrase"), rs.getString("priv_passphrase")};
        String[] columns = {"community", "auth_passphrase", "priv_passphrase"};
        if (keyId != null) {
            if (!keyId.equals(cipher.keyId())) {
                throw new ProblemException(ProblemType.INTERNAL, "credential " + rs.getString("name") + ": " + wrongKey(keyId));
            }
            try {
                for (int i = 0; i < values.length; i++) {
                    values[i] = cipher.decrypt(values[i], context(id, columns[i]));
                }
            } catch (IllegalStateException e) {
                throw new ProblemException(ProblemType.INTERNAL, "credential " + rs.getString("name") + ": " + e.getMessage()
                        + "; store it again");
            }
        }
        return new Secret(CredentialVersion.valueOf(rs.getString("version")), values[0], rs.getString("usm_user"),
                auth == null ? null : AuthProtocol.valueOf(auth), values[1], priv == null ? null : PrivProtocol.valueOf(priv),
                values[2]);
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
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
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
                return ps.executeUpdate();
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
                rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }

    private static Credential credential(ResultSet rs) throws SQLException {
        String auth = rs.getString("auth_protocol");
        String priv = rs.getString("priv_protocol");
        return new Credential(rs.getString("id"), rs.getString("name"), CredentialVersion.valueOf(rs.getString("version")),
                rs.getString("usm_user"), auth == null ? null : AuthProtocol.valueOf(auth),
                priv == null ? null : PrivProtocol.valueOf(priv), rs.getObject("created_at", OffsetDateTime.class).toInstant());
    }
}

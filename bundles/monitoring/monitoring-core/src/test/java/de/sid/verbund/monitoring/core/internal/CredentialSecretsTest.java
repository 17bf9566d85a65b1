package de.sid.verbund.monitoring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets at rest: what the database holds of communities and passphrases (embedded H2 here,
 * PostgreSQL in the subclass), the key file, and what a wrong key or an altered value gives.
 */
class CredentialSecretsTest {
    static final String COMMUNITY = "dc1-r3ad-0nly-community";
    static final String AUTH_PASS = "auth-passphrase-for-monitor";
    static final String PRIV_PASS = "priv-passphrase-for-monitor";

    @TempDir
    Path dir;
    JdbcDatabase db;
    SecretCipher cipher;
    Inventory inventory;

    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        db.migrate("monitoring", Inventory.class.getClassLoader());
        cipher = SecretCipher.loadOrCreate(dir.resolve("etc").resolve("verbund-credentials.key"));
        inventory = new Inventory(db, cipher);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    /** Every stored secret column of every credential, by credential name, as the database has it. */
    Map<String, List<String>> storedColumns() {
        return db.inTransaction(c -> {
            Map<String, List<String>> out = new TreeMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT name, community, auth_passphrase, priv_passphrase, "
                    + "secret_key_id FROM monitoring_credential"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<String> row = new ArrayList<>();
                    for (int i = 2; i <= 5; i++) {
                        row.add(rs.getString(i));
                    }
                    out.put(rs.getString(1), row);
                }
            }
            return out;
        });
    }

    Credential v2c(String name) {
        return inventory.createCredential(new NewCredential(name, "v2c", COMMUNITY, null, null, null, null, null));
    }

    Credential v3(String name) {
        return inventory.createCredential(new NewCredential(name, "v3", null, "monitor", "SHA256", AUTH_PASS, "AES128",
                PRIV_PASS));
    }

    Device device(String name, Credential c) {
        return inventory.createDevice(new NewDevice(name, "127.0.0.1", 161, "dc1", "switch", null, null, c.id()));
    }

    @Test
    void theDatabaseNeverHoldsASecretOnlyCiphertextsWithTheKeyId() {
        Credential a = v2c("a");
        Credential b = v2c("b");
        Credential u = v3("u");

        Map<String, List<String>> stored = storedColumns();
        assertThat(stored.toString()).doesNotContain(COMMUNITY, AUTH_PASS, PRIV_PASS);
        // base64 of 12-byte nonce, ciphertext, 16-byte tag; the same community twice is stored differently
        byte[] raw = Base64.getDecoder().decode(stored.get("a").get(0));
        assertThat(raw).hasSize(12 + COMMUNITY.getBytes(StandardCharsets.UTF_8).length + 16);
        assertThat(stored.get("a").get(0)).isNotEqualTo(stored.get("b").get(0));
        assertThat(stored.get("a").get(1)).isNull();
        assertThat(stored.get("u").get(0)).isNull();
        assertThat(stored.get("u").get(1)).isNotNull().isNotEqualTo(stored.get("u").get(2));
        assertThat(stored.values()).allSatisfy(row -> assertThat(row.get(3)).isEqualTo(cipher.keyId()));
        assertThat(cipher.keyId()).matches("[0-9a-f]{16}");

        // and reads back as given
        assertThat(inventory.target(device("sw-a", a)).credentials()).isEqualTo(new SnmpCredentials.Community(COMMUNITY));
        assertThat(inventory.target(device("sw-u", u)).credentials()).isEqualTo(new SnmpCredentials.Usm("monitor",
                Credential.AuthProtocol.SHA256, AUTH_PASS, Credential.PrivProtocol.AES128, PRIV_PASS));
        assertThat(inventory.trapCredentials()).hasSize(3);
        assertThat(b.id()).isNotNull();
    }

    @Test
    void plaintextStoredBeforeTheMigrationIsEncryptedAtStartAndNoneRemains() {
        // rows as migration V1 left them: plain text, no key id
        String id2 = UUID.randomUUID().toString();
        String id3 = UUID.randomUUID().toString();
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitoring_credential (id, name, version, community, "
                    + "usm_user, auth_protocol, auth_passphrase, priv_protocol, priv_passphrase, created_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (String[] row : List.of(new String[] {id2, "old-v2c", "V2C", COMMUNITY, null, null, null, null, null},
                        new String[] {id3, "old-v3", "V3", null, "monitor", "SHA512", AUTH_PASS, "AES256", PRIV_PASS})) {
                    for (int i = 0; i < row.length; i++) {
                        ps.setString(i + 1, row[i]);
                    }
                    ps.setObject(10, OffsetDateTime.now());
                    ps.executeUpdate();
                }
            }
            return null;
        });
        assertThat(storedColumns().toString()).contains(COMMUNITY, AUTH_PASS, PRIV_PASS);

        Inventory restarted = new Inventory(db, cipher);

        Map<String, List<String>> stored = storedColumns();
        assertThat(stored.toString()).doesNotContain(COMMUNITY, AUTH_PASS, PRIV_PASS);
        assertThat(stored.values()).allSatisfy(row -> assertThat(row.get(3)).isEqualTo(cipher.keyId()));
        assertThat(restarted.trapCredentials()).containsExactly(new SnmpCredentials.Community(COMMUNITY),
                new SnmpCredentials.Usm("monitor", Credential.AuthProtocol.SHA512, AUTH_PASS, Credential.PrivProtocol.AES256,
                        PRIV_PASS));
    }

    @Test
    void anotherKeyIsRefusedWithBothKeyIdsNotWithGarbage() throws Exception {
        v2c("a");
        v3("u");
        SecretCipher other = SecretCipher.loadOrCreate(dir.resolve("other-node").resolve("verbund-credentials.key"));

        IllegalStateException e = catchThrowableOfType(() -> new Inventory(db, other), IllegalStateException.class);

        assertThat(e.getMessage()).isEqualTo("the stored SNMP credentials are encrypted with key " + cipher.keyId()
                + ", but this node's credential key (key file " + dir.resolve("other-node").resolve("verbund-credentials.key")
                + ") is key " + other.keyId() + ": install the key file of the node or backup that stored them (every node "
                + "of a cluster needs the same file)");
        assertThat(other.keyId()).isNotEqualTo(cipher.keyId());
        // the database was not touched: the right key still reads everything
        assertThat(new Inventory(db, cipher).trapCredentials()).hasSize(2);
    }

    @Test
    void aValueUnderAnotherKeyIdOrAlteredFailsClearlyAndTheOthersStillRead() {
        Credential a = v2c("a");
        Credential b = v2c("b");
        Credential u = v3("u");
        Device sw = device("sw-a", a);
        Device ups = device("ups-u", u);
        // b's ciphertext copied into a's row: right key, wrong row
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE monitoring_credential SET community = "
                    + "(SELECT community FROM monitoring_credential WHERE id = ?) WHERE id = ?")) {
                ps.setString(1, b.id());
                ps.setString(2, a.id());
                return ps.executeUpdate();
            }
        });
        // u's row marked as another key's (a row written by a node with another key file)
        db.inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE monitoring_credential SET secret_key_id = ? WHERE id = ?")) {
                ps.setString(1, "00112233445566ff");
                ps.setString(2, u.id());
                return ps.executeUpdate();
            }
        });

        ProblemException altered = catchThrowableOfType(() -> inventory.target(sw), ProblemException.class);
        assertThat(altered.type()).isEqualTo(ProblemType.INTERNAL);
        assertThat(altered.getMessage()).isEqualTo("credential a: monitoring_credential/" + a.id() + "/community does not "
                + "decrypt with key " + cipher.keyId() + ": the stored value was altered, damaged or copied from another "
                + "row; store it again");
        ProblemException otherKey = catchThrowableOfType(() -> inventory.target(ups), ProblemException.class);
        assertThat(otherKey.getMessage()).startsWith("credential u: the stored SNMP credentials are encrypted with key "
                + "00112233445566ff, but this node's credential key");
        assertThat(inventory.trapCredentials()).containsExactly(new SnmpCredentials.Community(COMMUNITY));
    }

    @Test
    void theKeyFileIsMadeOnceOwnerOnlyAndReadAgain() throws Exception {
        Path file = dir.resolve("etc").resolve("verbund-credentials.key");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String text = Files.readString(file);
        assertThat(text).contains("# key id " + cipher.keyId());
        String keyLine = text.lines().filter(l -> !l.startsWith("#")).findFirst().orElseThrow();
        assertThat(Base64.getDecoder().decode(keyLine)).hasSize(32);
        SecretCipher again = SecretCipher.loadOrCreate(file);
        assertThat(again.keyId()).isEqualTo(cipher.keyId());
        assertThat(Files.readString(file)).isEqualTo(text);
        assertThat(again.decrypt(cipher.encrypt(COMMUNITY, "ctx"), "ctx")).isEqualTo(COMMUNITY);
        assertThat(again.toString()).doesNotContain(keyLine);
    }

    @Test
    void aDamagedKeyFileIsNamedAsSuch() throws Exception {
        Path file = dir.resolve("damaged.key");
        Files.writeString(file, "# a key cut short\n" + Base64.getEncoder().encodeToString(new byte[20]) + "\n");
        assertThat(catchThrowableOfType(() -> SecretCipher.loadOrCreate(file), IllegalStateException.class).getMessage())
                .isEqualTo("credential key file " + file + " is damaged: its key has 20 bytes, an AES-256 key 32");
        Files.writeString(file, "not base64 at all!\n");
        assertThat(catchThrowableOfType(() -> SecretCipher.loadOrCreate(file), IllegalStateException.class).getMessage())
                .startsWith("credential key file " + file + " is damaged: it needs one line with the base64 of a 32-byte "
                        + "AES-256 key");
    }

    @Test
    void theDefaultKeyFileIsInKarafsEtcDirectory() {
        String before = System.getProperty("karaf.etc");
        try {
            System.setProperty("karaf.etc", "/opt/verbund/etc");
            assertThat(InventoryComponent.keyFile("")).isEqualTo(Path.of("/opt/verbund/etc/verbund-credentials.key"));
            assertThat(InventoryComponent.keyFile("/srv/keys/verbund.key")).isEqualTo(Path.of("/srv/keys/verbund.key"));
        } finally {
            if (before == null) {
                System.clearProperty("karaf.etc");
            } else {
                System.setProperty("karaf.etc", before);
            }
        }
    }
}

package de.sid.verbund.monitoring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import de.sid.verbund.core.Page;
import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.SnmpVersion;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The device inventory on a real database: embedded H2 here, PostgreSQL in the subclass. */
class InventoryTest {
    private static final String COMMUNITY = "s3cr3t-community";
    private static final String AUTH_PASS = "auth-passphrase-1";
    private static final String PRIV_PASS = "priv-passphrase-2";

    @TempDir
    Path dir;
    JdbcDatabase db;
    Inventory inventory;

    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir), "verbund", "", 4, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        db.migrate("monitoring", Inventory.class.getClassLoader());
        inventory = new Inventory(db);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private Credential v2c(String name) {
        return inventory.createCredential(new NewCredential(name, "v2c", COMMUNITY, null, null, null, null, null));
    }

    private static NewDevice device(String name, String address, int port, String credentialId) {
        return new NewDevice(name, address, port, "dc1-room2", "switch", null, null, credentialId);
    }

    @Test
    void devicesAreStoredWithDefaultsAndReadBack() {
        Credential cr = v2c("dc1-switches");

        Device d = inventory.createDevice(new NewDevice("sw-core-1", "10.1.0.1", null, "dc1-room2", "Switch", null,
                null, cr.id()));
        Device ups = inventory.createDevice(new NewDevice("ups-1", "UPS-1.dc1.example", 1161, "dc1", "ups", 30,
                List.of("system", "ups_mib"), cr.id()));

        assertThat(d.port()).isEqualTo(161);
        assertThat(d.pollIntervalS()).isEqualTo(60);
        assertThat(d.kind()).isEqualTo(DeviceKind.SWITCH);
        assertThat(d.profiles()).isEmpty();
        assertThat(inventory.device(d.id())).contains(d);
        assertThat(inventory.device(ups.id()).orElseThrow().profiles()).containsExactly("system", "ups_mib");
        assertThat(inventory.device(ups.id()).orElseThrow().address()).isEqualTo("ups-1.dc1.example");
        assertThat(inventory.device(UUID.randomUUID().toString())).isEmpty();
        assertThat(inventory.allDevices()).extracting(Device::name).containsExactly("sw-core-1", "ups-1");
    }

    @Test
    void theDeviceListIsPagedByName() {
        Credential cr = v2c("c");
        for (int i = 0; i < 7; i++) {
            inventory.createDevice(device("dev-" + i, "10.0.0." + (i + 1), 161, cr.id()));
        }

        List<String> names = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Page<Device> p = inventory.devices(3, cursor);
            p.items().forEach(x -> names.add(x.name()));
            cursor = p.nextCursor();
            pages++;
        } while (cursor != null);

        assertThat(pages).isEqualTo(3);
        assertThat(names).containsExactly("dev-0", "dev-1", "dev-2", "dev-3", "dev-4", "dev-5", "dev-6");
        assertThat(catchThrowableOfType(() -> inventory.devices(3, "%%%"), ProblemException.class).type())
                .isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(catchThrowableOfType(() -> inventory.devices(0, null), ProblemException.class).type())
                .isEqualTo(ProblemType.BAD_REQUEST);
    }

    @Test
    void aSecondDeviceWithTheSameNameOrAgentAndCredentialIsAConflict() {
        Credential cr = v2c("c");
        Device first = inventory.createDevice(device("sw-1", "10.0.0.1", 161, cr.id()));

        ProblemException sameName = catchThrowableOfType(() -> inventory.createDevice(device("sw-1", "10.0.0.2", 161,
                cr.id())), ProblemException.class);
        ProblemException sameAgent = catchThrowableOfType(() -> inventory.createDevice(device("sw-2", "10.0.0.1", 161,
                cr.id())), ProblemException.class);
        Device otherPort = inventory.createDevice(device("sw-2", "10.0.0.1", 1161, cr.id()));
        // one agent serving several devices by community (a simulator, a proxy) is allowed
        Credential other = inventory.createCredential(new NewCredential("other", "v2c", "other", null, null, null, null, null));
        Device otherCommunity = inventory.createDevice(device("sw-3", "10.0.0.1", 161, other.id()));

        assertThat(sameName.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(sameName.getMessage()).contains("sw-1", first.id());
        assertThat(sameAgent.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(sameAgent.getMessage()).contains("10.0.0.1:161");
        assertThat(otherPort.port()).isEqualTo(1161);
        assertThat(otherCommunity.credentialId()).isEqualTo(other.id());
        assertThat(catchThrowableOfType(() -> v2c("c"), ProblemException.class).type()).isEqualTo(ProblemType.CONFLICT);
    }

    @Test
    void everyWrongDeviceFieldIsNamedInOneBadRequest() {
        ProblemException e = catchThrowableOfType(() -> inventory.createDevice(new NewDevice("-bad name", "300.1.1.1",
                70000, "", "toaster", 5, List.of("UPPER", "ok", "ok"), "nope")), ProblemException.class);

        assertThat(e.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(e.errors()).hasSize(9);
        assertThat(String.join("\n", e.errors())).contains("name '-bad name'", "address '300.1.1.1'", "port must be 1 to 65535",
                "site is required", "kind 'toaster' is unknown: one of switch, router, firewall, ups, pdu, cooling, sensor, "
                        + "server, storage", "pollIntervalS must be 10 to 86400", "profile name 'UPPER'",
                "profiles must not repeat", "credentialId 'nope'");
        assertThat(catchThrowableOfType(() -> inventory.createDevice(null), ProblemException.class).type())
                .isEqualTo(ProblemType.BAD_REQUEST);
        ProblemException unknown = catchThrowableOfType(() -> inventory.createDevice(device("x", "10.0.0.1", 161,
                UUID.randomUUID().toString())), ProblemException.class);
        assertThat(unknown.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(unknown.getMessage()).contains("no credential");
        assertThat(inventory.allDevices()).isEmpty();
    }

    @Test
    void addressesAreIpLiteralsOrDnsNames() {
        assertThat(Validation.isAddress("192.0.2.1")).isTrue();
        assertThat(Validation.isAddress("2001:db8::1")).isTrue();
        assertThat(Validation.isAddress("::1")).isTrue();
        assertThat(Validation.isAddress("switch-1.dc1.example.")).isTrue();
        assertThat(Validation.isAddress("256.0.0.1")).isFalse();
        assertThat(Validation.isAddress("1.2.3")).isFalse();
        assertThat(Validation.isAddress("host_name")).isFalse();
        assertThat(Validation.isAddress("-a.example")).isFalse();
        assertThat(Validation.isAddress("2001:db8::g")).isFalse();
        assertThat(Validation.isAddress("a..b")).isFalse();
    }

    @Test
    void secretsNeverLeaveThroughTheApiTypesOrMessages() throws Exception {
        Credential v2 = v2c("v2");
        NewCredential v3in = new NewCredential("v3", "V3", null, "monitor", "SHA-256", AUTH_PASS, "AES-128", PRIV_PASS);
        Credential v3 = inventory.createCredential(v3in);

        String json = new ObjectMapper().findAndRegisterModules().writeValueAsString(inventory.credentials());
        assertThat(json).doesNotContain(COMMUNITY, AUTH_PASS, PRIV_PASS).contains("\"v2\"", "\"monitor\"", "SHA256", "AES128");
        assertThat(inventory.credentials()).extracting(Credential::name).containsExactly("v2", "v3");
        assertThat(v3.authProtocol()).isEqualTo(Credential.AuthProtocol.SHA256);
        assertThat(v3.privProtocol()).isEqualTo(Credential.PrivProtocol.AES128);
        assertThat(v3in.toString()).doesNotContain(AUTH_PASS, PRIV_PASS).contains("monitor");
        assertThat(inventory.credential(v2.id()).orElseThrow().toString()).doesNotContain(COMMUNITY);

        Device d = inventory.createDevice(device("sw-1", "127.0.0.1", 1161, v2.id()));
        SnmpTarget target = inventory.target(d);
        assertThat(target.version()).isEqualTo(SnmpVersion.V2C);
        assertThat(target.address().getPort()).isEqualTo(1161);
        assertThat(target.toString()).doesNotContain(COMMUNITY);
        // the trap receiver's view: every credential's secret, still masked when printed
        assertThat(inventory.trapCredentials()).containsExactly(new SnmpCredentials.Community(COMMUNITY),
                new SnmpCredentials.Usm("monitor", Credential.AuthProtocol.SHA256, AUTH_PASS, Credential.PrivProtocol.AES128,
                        PRIV_PASS));
        assertThat(inventory.trapCredentials().toString()).doesNotContain(COMMUNITY, AUTH_PASS, PRIV_PASS);

        // a bad passphrase is refused without being echoed
        ProblemException shortPass = catchThrowableOfType(() -> inventory.createCredential(new NewCredential("v3b", "v3",
                null, "u", "SHA1", "short", "DES", "tiny")), ProblemException.class);
        assertThat(shortPass.type()).isEqualTo(ProblemType.BAD_REQUEST);
        assertThat(shortPass.getMessage()).contains("authPassphrase", "privPassphrase").doesNotContain("short", "tiny");
    }

    @Test
    void logLinesCarryNoSecret() {
        PrintStream saved = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            Credential cr = v2c("logged");
            inventory.createCredential(new NewCredential("v3", "v3", null, "u", "SHA512", AUTH_PASS, "AES256", PRIV_PASS));
            Device d = inventory.createDevice(device("sw-1", "10.0.0.1", 161, cr.id()));
            inventory.deleteDevice(d.id());
        } finally {
            System.setErr(saved);
        }
        String log = err.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("Credential logged (V2C) stored", "Device sw-1 registered")
                .doesNotContain(COMMUNITY, AUTH_PASS, PRIV_PASS);
    }

    @Test
    void v3CredentialsAreCheckedStoredAndMadeIntoV3Targets() {
        ProblemException e = catchThrowableOfType(() -> inventory.createCredential(new NewCredential("x", "v3", "c", null,
                "MD5", null, "AES256", "p")), ProblemException.class);
        assertThat(String.join("\n", e.errors())).contains("community belongs to v1/v2c", "user is required",
                "authProtocol 'MD5' is unknown", "privPassphrase is required");
        ProblemException privWithoutAuth = catchThrowableOfType(() -> inventory.createCredential(new NewCredential("x",
                "v3", null, "u", null, null, "DES", PRIV_PASS)), ProblemException.class);
        assertThat(privWithoutAuth.getMessage()).contains("privProtocol needs an authProtocol");
        ProblemException v2WithUser = catchThrowableOfType(() -> inventory.createCredential(new NewCredential("x", "v2c",
                null, "u", null, null, null, null)), ProblemException.class);
        assertThat(v2WithUser.errors()).containsExactly("community is required for v2c",
                "user, authProtocol, authPassphrase, privProtocol and privPassphrase belong to v3 only");
        assertThat(catchThrowableOfType(() -> inventory.createCredential(new NewCredential("x", "v4", "c", null, null, null,
                null, null)), ProblemException.class).getMessage()).contains("version 'v4' is unknown");

        Credential noAuth = inventory.createCredential(new NewCredential("noauth", "v3", null, "u", null, null, null, null));
        assertThat(noAuth.authProtocol()).isEqualTo(Credential.AuthProtocol.NONE);
        Device d = inventory.createDevice(device("sw-3", "10.0.0.3", 161, noAuth.id()));
        SnmpTarget noAuthTarget = inventory.target(d);
        assertThat(noAuthTarget.version()).isEqualTo(SnmpVersion.V3);
        assertThat(noAuthTarget.credentials()).isEqualTo(new SnmpCredentials.Usm("u", Credential.AuthProtocol.NONE, null,
                Credential.PrivProtocol.NONE, null));

        Credential authPriv = inventory.createCredential(new NewCredential("sha512", "v3", null, "monitor", "SHA-512",
                AUTH_PASS, "AES-256", PRIV_PASS));
        Device d2 = inventory.createDevice(device("sw-4", "10.0.0.4", 161, authPriv.id()));
        SnmpTarget target = inventory.target(d2);
        assertThat(target.version()).isEqualTo(SnmpVersion.V3);
        assertThat(target.credentials()).isEqualTo(new SnmpCredentials.Usm("monitor", Credential.AuthProtocol.SHA512,
                AUTH_PASS, Credential.PrivProtocol.AES256, PRIV_PASS));
        assertThat(target.toString()).doesNotContain(AUTH_PASS, PRIV_PASS);
    }

    @Test
    void deletingACredentialInUseIsAConflictAndUnknownIdsAreNotFound() {
        Credential cr = v2c("c");
        Device d = inventory.createDevice(device("sw-1", "10.0.0.1", 161, cr.id()));

        ProblemException inUse = catchThrowableOfType(() -> inventory.deleteCredential(cr.id()), ProblemException.class);
        assertThat(inUse.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(inUse.getMessage()).contains("used by 1 device(s): sw-1");

        inventory.deleteDevice(d.id());
        inventory.deleteCredential(cr.id());
        assertThat(inventory.credentials()).isEmpty();
        assertThat(catchThrowableOfType(() -> inventory.deleteDevice(d.id()), ProblemException.class).type())
                .isEqualTo(ProblemType.NOT_FOUND);
        assertThat(catchThrowableOfType(() -> inventory.deleteCredential(cr.id()), ProblemException.class).type())
                .isEqualTo(ProblemType.NOT_FOUND);
        assertThat(catchThrowableOfType(() -> inventory.device("x"), ProblemException.class).type())
                .isEqualTo(ProblemType.BAD_REQUEST);
    }
}

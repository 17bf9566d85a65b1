package de.sid.verbund.monitoring.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import de.sid.verbund.core.ProblemException;
import de.sid.verbund.core.ProblemType;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Declaration;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.Device.Origin;
import de.sid.verbund.monitoring.inventory.DeviceKind;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.persistence.jdbc.internal.JdbcDatabase;
import de.sid.verbund.testsupport.Configs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices from configuration: the YAML devices file applied to the inventory on a real database
 * (H2 here, PostgreSQL in the subclass): created, updated in place, removed when the file drops
 * them, never touching what came through the API; faults name the file and entry and do not stop
 * the other entries.
 */
class DevicesFileTest {
    @TempDir
    Path dir;
    JdbcDatabase db;
    Inventory inventory;
    Path file;

    protected JdbcDatabase open() {
        return new JdbcDatabase(JdbcDatabase.embeddedH2Url(dir.resolve("db")), "verbund", "", 4, 10_000);
    }

    @BeforeEach
    void setUp() {
        db = open();
        db.migrate("monitoring", Inventory.class.getClassLoader());
        inventory = new Inventory(db);
        file = dir.resolve("verbund-devices.yaml");
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    private static final String FILE = """
            credentials:
            - name: dc1-switches
              version: v2c
              community: s3cret-1
            - name: core-v3
              version: v3
              user: monitor
              auth_protocol: SHA256
              auth_passphrase: auth-pass-123
              priv_protocol: AES128
              priv_passphrase: priv-pass-456
            devices:
            - name: sw-1
              address: 10.1.0.1
              site: dd-rz1
              kind: switch
              credential: dc1-switches
            - name: ups-1
              address: 10.1.0.9
              port: 1161
              site: dd-rz1
              kind: ups
              interval: 30
              profiles: [system, ups_mib]
              credential: dc1-switches
            """;

    private Declaration.Outcome apply(String yaml) throws Exception {
        return inventory.declare(DevicesFile.parse(file.toString(), yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private Map<String, Device> devices() {
        return inventory.allDevices().stream().collect(Collectors.toMap(Device::name, Function.identity()));
    }

    private Map<String, Credential> credentials() {
        return inventory.credentials().stream().collect(Collectors.toMap(Credential::name, Function.identity()));
    }

    private String community(Device d) {
        return ((SnmpCredentials.Community) inventory.target(d).credentials()).community();
    }

    @Test
    void theFileCreatesCredentialsAndDevicesMarkedAsFromTheFile() throws Exception {
        Declaration.Outcome o = apply(FILE);

        assertThat(o.problems()).isEmpty();
        assertThat(o.created()).isEqualTo(4);
        Device sw = devices().get("sw-1");
        Device ups = devices().get("ups-1");
        assertThat(sw.origin()).isEqualTo(Origin.FILE);
        assertThat(sw.port()).isEqualTo(161);
        assertThat(sw.pollIntervalS()).isEqualTo(60);
        assertThat(sw.kind()).isEqualTo(DeviceKind.SWITCH);
        assertThat(ups.port()).isEqualTo(1161);
        assertThat(ups.pollIntervalS()).isEqualTo(30);
        assertThat(ups.profiles()).containsExactly("system", "ups_mib");
        assertThat(credentials().get("dc1-switches").origin()).isEqualTo(Origin.FILE);
        assertThat(credentials().get("core-v3").authProtocol()).isEqualTo(Credential.AuthProtocol.SHA256);
        assertThat(sw.credentialId()).isEqualTo(credentials().get("dc1-switches").id());
        assertThat(community(sw)).isEqualTo("s3cret-1");
        // applying the same file again changes nothing
        assertThat(apply(FILE)).isEqualTo(new Declaration.Outcome(0, 0, 0, 4, List.of()));
    }

    @Test
    void theApiRefusesToDeleteWhatCameFromTheFileWithAReason() throws Exception {
        apply(FILE);
        Device sw = devices().get("sw-1");

        ProblemException device = catchThrowableOfType(() -> inventory.deleteDevice(sw.id()), ProblemException.class);
        ProblemException credential = catchThrowableOfType(
                () -> inventory.deleteCredential(credentials().get("core-v3").id()), ProblemException.class);

        assertThat(device.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(device.getMessage()).contains("sw-1", "devices file", "de.sid.verbund.monitoring.devices.cfg");
        assertThat(credential.type()).isEqualTo(ProblemType.CONFLICT);
        assertThat(devices()).containsKey("sw-1");
        assertThat(credentials()).containsKey("core-v3");
    }

    @Test
    void changesAreAppliedInPlaceAndEntriesRemovedFromTheFileAreRemoved() throws Exception {
        apply(FILE);
        Device before = devices().get("sw-1");

        Declaration.Outcome o = apply("""
                credentials:
                - name: dc1-switches
                  version: v2c
                  community: rotated-2
                devices:
                - name: sw-1
                  address: 10.1.0.2
                  port: 1161
                  site: dd-rz2
                  kind: router
                  interval: 120
                  profiles: [if_mib]
                  credential: dc1-switches
                """);

        assertThat(o.problems()).isEmpty();
        assertThat(o).extracting(Declaration.Outcome::created, Declaration.Outcome::updated, Declaration.Outcome::removed)
                .containsExactly(0, 2, 2);
        Device after = devices().get("sw-1");
        assertThat(after.id()).isEqualTo(before.id());
        assertThat(after.createdAt()).isEqualTo(before.createdAt());
        assertThat(after).extracting(Device::address, Device::port, Device::site, Device::kind, Device::pollIntervalS,
                Device::profiles).containsExactly("10.1.0.2", 1161, "dd-rz2", DeviceKind.ROUTER, 120, List.of("if_mib"));
        assertThat(community(after)).isEqualTo("rotated-2");
        // stored encrypted, as a credential created through the API
        String stored = db.inTransaction(c -> {
            try (var ps = c.prepareStatement("SELECT community, secret_key_id FROM monitoring_credential WHERE name = ?")) {
                ps.setString(1, "dc1-switches");
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1) + " " + rs.getString(2);
                }
            }
        });
        assertThat(stored).doesNotContain("rotated-2").doesNotContain("null");
        assertThat(devices()).doesNotContainKey("ups-1");
        assertThat(credentials()).doesNotContainKey("core-v3");
    }

    @Test
    void whatCameThroughTheApiIsNeverTouchedAndTheClashIsReported() throws Exception {
        Credential api = inventory.createCredential(new NewCredential("dc1-switches", "v2c", "api-community", null, null,
                null, null, null));
        Device apiDevice = inventory.createDevice(new NewDevice("sw-1", "10.9.9.9", null, "api-site", "switch", null, null,
                api.id()));
        Device other = inventory.createDevice(new NewDevice("other-1", "10.9.9.8", null, "api-site", "server", null, null,
                api.id()));

        Declaration.Outcome o = apply(FILE);
        apply("credentials: []\ndevices: []\n");

        assertThat(o.problems()).hasSize(2);
        assertThat(o.problems().get(0)).startsWith("credentials[0] 'dc1-switches': ").contains("through the API");
        assertThat(o.problems().get(1)).startsWith("devices[0] 'sw-1': ").contains("through the API");
        // ups-1 names the API credential by name: that is allowed
        assertThat(devices().get("ups-1")).isNull();
        assertThat(devices().get("sw-1")).isEqualTo(apiDevice);
        assertThat(devices().get("other-1")).isEqualTo(other);
        assertThat(community(apiDevice)).isEqualTo("api-community");
        assertThat(credentials().get("dc1-switches").origin()).isEqualTo(Origin.API);
    }

    @Test
    void aDeviceMayUseACredentialStoredThroughTheApi() throws Exception {
        Credential api = inventory.createCredential(new NewCredential("api-cred", "v1", "api-community", null, null, null,
                null, null));

        Declaration.Outcome o = apply("""
                devices:
                - {name: pdu-1, address: 10.1.0.5, site: dd-rz1, kind: pdu, credential: api-cred}
                """);

        assertThat(o.problems()).isEmpty();
        assertThat(devices().get("pdu-1").credentialId()).isEqualTo(api.id());
        assertThat(devices().get("pdu-1").origin()).isEqualTo(Origin.FILE);
    }

    @Test
    void faultyEntriesAreReportedByEntryAndTheOthersApplied() throws Exception {
        apply(FILE);
        // a device registered through the API uses a credential of the file, which the file then drops
        inventory.createDevice(new NewDevice("api-1", "10.2.0.1", null, "s", "switch", null, null,
                credentials().get("core-v3").id()));

        Declaration.Outcome o = apply("""
                credentials:
                - name: dc1-switches
                  version: v2c
                  community: s3cret-1
                - name: broken
                  version: v4
                  community: never-shown
                devices:
                - name: sw-1
                  address: 10.1.0.1
                  port: 70000
                  site: dd-rz1
                  kind: switch
                  credential: dc1-switches
                - name: ups-1
                  adress: 10.1.0.9
                  site: dd-rz1
                  kind: ups
                  credential: dc1-switches
                - name: new-1
                  address: 10.1.0.7
                  site: dd-rz1
                  kind: toaster
                  credential: nobody
                - name: good-1
                  address: 10.1.0.8
                  site: dd-rz1
                  kind: sensor
                  interval: sixty
                  credential: dc1-switches
                - name: good-2
                  address: 10.1.0.10
                  site: dd-rz1
                  kind: sensor
                  credential: dc1-switches
                - name: good-2
                  address: 10.1.0.11
                  site: dd-rz1
                  kind: sensor
                  credential: dc1-switches
                """);

        assertThat(o.created()).isEqualTo(1);
        assertThat(o.problems()).satisfiesExactly(
                p -> assertThat(p).startsWith("credentials[1] 'broken': ").contains("version 'v4' is unknown")
                        .doesNotContain("never-shown"),
                p -> assertThat(p).startsWith("devices[0] 'sw-1': ").contains("port must be 1 to 65535"),
                p -> assertThat(p).startsWith("devices[1] 'ups-1': ").contains("unknown key 'adress'"),
                p -> assertThat(p).startsWith("devices[2] 'new-1': ").contains("no credential named 'nobody'"),
                p -> assertThat(p).startsWith("devices[3] 'good-1': ").contains("interval must be a whole number"),
                p -> assertThat(p).startsWith("devices[5] 'good-2': ").contains("declared twice"),
                p -> assertThat(p).startsWith("credential 'core-v3' is no longer declared but kept").contains("api-1")
                        .doesNotContain("priv-pass"));
        // faulty entries leave the stored devices as they were; the good one is applied
        assertThat(devices().get("sw-1").port()).isEqualTo(161);
        assertThat(devices().get("ups-1").address()).isEqualTo("10.1.0.9");
        assertThat(devices()).containsKey("good-2").doesNotContainKeys("new-1", "good-1");
        assertThat(devices().get("good-2").address()).isEqualTo("10.1.0.10");
    }

    @Test
    void aFileThatIsNotYamlOrHasAWrongTopLevelIsRefusedWhole() {
        assertThat(catchThrowableOfType(() -> DevicesFile.parse("f.yaml", "devices:\n- name: [\ncommunity: s3cret\n"
                .getBytes(StandardCharsets.UTF_8)), DevicesFile.DevicesFileException.class).getMessage())
                .startsWith("f.yaml: not valid YAML at line").doesNotContain("s3cret");
        assertThat(catchThrowableOfType(() -> DevicesFile.parse("f.yaml", "device:\n- name: x\n"
                .getBytes(StandardCharsets.UTF_8)), DevicesFile.DevicesFileException.class).getMessage())
                .isEqualTo("f.yaml: unknown top-level key 'device' (credentials, devices)");
        assertThat(catchThrowableOfType(() -> DevicesFile.parse("f.yaml", "devices: {name: x}\n"
                .getBytes(StandardCharsets.UTF_8)), DevicesFile.DevicesFileException.class).getMessage())
                .contains("devices must be a list");
    }

    @Test
    void theWatchAppliesTheFileWhenItChangesAndAMissingFileRemovesItsDevices() throws Exception {
        DevicesFileComponent.DevicesFileWatch watch = new DevicesFileComponent.DevicesFileWatch(file, inventory);
        Credential api = inventory.createCredential(new NewCredential("api-cred", "v2c", "c", null, null, null, null, null));
        inventory.createDevice(new NewDevice("api-1", "10.2.0.1", null, "s", "switch", null, null, api.id()));

        watch.check();
        assertThat(devices()).containsOnlyKeys("api-1");

        Files.writeString(file, FILE);
        watch.check();
        assertThat(devices()).containsOnlyKeys("api-1", "sw-1", "ups-1");

        // not YAML: nothing changes
        Files.writeString(file, FILE + "  - [broken\n");
        watch.check();
        assertThat(devices()).containsOnlyKeys("api-1", "sw-1", "ups-1");

        Files.writeString(file, FILE.replace("10.1.0.9", "10.1.0.99"));
        watch.check();
        assertThat(devices().get("ups-1").address()).isEqualTo("10.1.0.99");

        Files.delete(file);
        watch.check();
        assertThat(devices()).containsOnlyKeys("api-1");
        assertThat(credentials()).containsOnlyKeys("api-cred");
    }

    @Test
    void theComponentAppliesTheFileAtStart() throws IOException {
        Files.writeString(file, FILE);
        DevicesFileComponent c = new DevicesFileComponent(inventory, Configs.of(DevicesFileConfig.class, "file",
                file.toString(), "check_interval_s", 1));
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> devices().containsKey("ups-1"));
        } finally {
            c.deactivate();
        }
        assertThat(devices().get("ups-1").origin()).isEqualTo(Origin.FILE);
    }
}

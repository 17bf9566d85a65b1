package de.sid.verbund.monitoring.command.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import de.sid.verbund.monitoring.WalkEnd;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.inventory.Credential;
import de.sid.verbund.monitoring.inventory.Device;
import de.sid.verbund.monitoring.inventory.DevicePoller;
import de.sid.verbund.monitoring.inventory.DeviceWalk;
import de.sid.verbund.monitoring.inventory.NewCredential;
import de.sid.verbund.monitoring.inventory.NewDevice;
import de.sid.verbund.monitoring.inventory.PollSummary;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.monitoring.smi.VarBind;
import de.sid.verbund.testsupport.FakeInventory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.karaf.shell.api.console.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The device and credential commands: names resolved, secrets asked for masked and never printed. */
class DeviceCommandsTest {
    private final FakeInventory inventory = new FakeInventory();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream stdout;

    @BeforeEach
    void captureOutput() {
        stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreOutput() {
        System.setOut(stdout);
    }

    /** A session answering readLine with the given lines, recording prompts and masks. */
    private static Session session(List<String> prompts, String... answers) {
        Deque<String> queue = new ArrayDeque<>(List.of(answers));
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (p, m, args) -> {
                    if (m.getName().equals("readLine")) {
                        prompts.add(args[0] + " mask=" + args[1]);
                        return queue.poll();
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void credentialsAskForTheirSecretsMaskedAndListWithoutThem() throws Exception {
        List<String> prompts = new ArrayList<>();
        CredentialAddCommand v2 = new CredentialAddCommand();
        v2.inventory = inventory;
        v2.session = session(prompts, "s3cret-community");
        v2.name = "dc1";
        v2.execute();
        CredentialAddCommand v3 = new CredentialAddCommand();
        v3.inventory = inventory;
        v3.session = session(prompts, "auth-pass-123", "priv-pass-456");
        v3.name = "dc1-v3";
        v3.version = "v3";
        v3.user = "monitor";
        v3.auth = "SHA256";
        v3.priv = "AES128";
        v3.execute();
        CredentialListCommand list = new CredentialListCommand();
        list.inventory = inventory;
        list.execute();

        assertThat(prompts).containsExactly("Community:  mask=*", "Auth passphrase:  mask=*", "Privacy passphrase:  mask=*");
        assertThat(inventory.secrets.values()).extracting(NewCredential::community).contains("s3cret-community");
        assertThat(inventory.secrets.values()).extracting(NewCredential::privPassphrase).contains("priv-pass-456");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("stored credential dc1", "dc1-v3")
                .doesNotContain("s3cret-community", "auth-pass-123", "priv-pass-456");
    }

    @Test
    void devicesAreAddedByCredentialNameListedPolledAndDeletedByName() throws Exception {
        Credential c = inventory.createCredential(new NewCredential("dc1", "v2c", "secret", null, null, null, null, null));
        DeviceAddCommand add = new DeviceAddCommand();
        add.inventory = inventory;
        add.name = "sw-1";
        add.address = "10.0.0.1";
        add.site = "dc1";
        add.kind = "switch";
        add.credential = "dc1";
        add.execute();
        Device d = inventory.allDevices().get(0);
        DeviceListCommand list = new DeviceListCommand();
        list.inventory = inventory;
        list.execute();
        DevicePollCommand poll = new DevicePollCommand();
        poll.inventory = inventory;
        poll.device = "sw-1";
        assertThatThrownBy(poll::execute).hasMessageContaining("no poller");
        poll.poller = dev -> CompletableFuture.completedFuture(new PollSummary(dev.id(), dev.name(), true, Instant.now(),
                12, 3, 140, 96, null));
        poll.execute();
        DeviceDeleteCommand delete = new DeviceDeleteCommand();
        delete.inventory = inventory;
        delete.device = "sw-1";
        delete.execute();

        assertThat(d.credentialId()).isEqualTo(c.id());
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("registered device sw-1", "(by sysObjectID)",
                "sw-1: up, 12 ms, 3 requests, 140 varbinds, 96 samples", "deleted device sw-1", " api ").doesNotContain("secret");
        assertThat(inventory.allDevices()).isEmpty();
        delete.device = "sw-1";
        assertThatThrownBy(delete::execute).hasMessage("no device named sw-1 (verbund:device-list shows them)");
        add.credential = "nope";
        assertThatThrownBy(add::execute).hasMessageContaining("no credential named nope");
    }

    private static DeviceWalkCommand walk(FakeInventory inventory, String device, String oid) {
        DeviceWalkCommand w = new DeviceWalkCommand();
        w.inventory = inventory;
        w.device = device;
        w.oid = oid;
        return w;
    }

    @Test
    void aWalkPrintsEachRowSafelyAndHowTheWalkEnded() throws Exception {
        Credential c = inventory.createCredential(new NewCredential("dc1", "v2c", "secret", null, null, null, null, null));
        inventory.createDevice(new NewDevice("sw-1", "10.0.0.1", null, "dc1", "switch", null, null, c.id()));
        List<String> asked = new ArrayList<>();
        WalkEnd[] end = {WalkEnd.END_OF_SUBTREE};
        DevicePoller poller = new DevicePoller() {
            @Override
            public CompletionStage<PollSummary> pollNow(Device device) {
                throw new AssertionError("not used");
            }

            @Override
            public CompletionStage<DeviceWalk> walk(Device device, Oid root, int limit) {
                asked.add(device.name() + " " + root + " " + limit);
                List<VarBind> rows = List.of(
                        new VarBind(root.append(1).append(0), SnmpValue.OctetString.ofUtf8("M\u00fcnchen\nRZ 1")),
                        new VarBind(root.append(2).append(0), new SnmpValue.OctetString(new byte[] {(byte) 0xfa, 0x16, 0x3e})),
                        new VarBind(root.append(3).append(0), new SnmpValue.TimeTicks(4938389)),
                        new VarBind(root.append(4).append(0), new SnmpValue.Counter64(-1L)));
                return CompletableFuture.completedFuture(DeviceWalk.of(device.name(), new WalkResult(root, rows, end[0],
                        end[0] == WalkEnd.TIMEOUT ? "no answer from 10.0.0.1:161 after 2 attempts" : "", 2), limit));
            }
        };

        DeviceWalkCommand noPoller = walk(inventory, "sw-1", null);
        assertThatThrownBy(noPoller::execute).hasMessageContaining("no poller");
        DeviceWalkCommand all = walk(inventory, "sw-1", null);
        all.poller = poller;
        all.execute();
        DeviceWalkCommand two = walk(inventory, "sw-1", ".1.3.6.1.4.1.9");
        two.poller = poller;
        two.limit = 2;
        two.execute();
        end[0] = WalkEnd.TIMEOUT;
        DeviceWalkCommand dead = walk(inventory, "sw-1", "1.3.6.1.2.1.2");
        dead.poller = poller;
        dead.execute();

        assertThat(asked).containsExactly("sw-1 1.3.6.1.2.1.1 1000", "sw-1 1.3.6.1.4.1.9 2", "sw-1 1.3.6.1.2.1.2 1000");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1.3.6.1.2.1.1.1.0", "M\u00fcnchen\\x0aRZ 1",
                "0xFA163E", "TimeTicks", "4938389", "18446744073709551615",
                "4 row(s) of 1.3.6.1.2.1.1 from sw-1 in 2 request(s); complete",
                "2 row(s) of 1.3.6.1.4.1.9 from sw-1 in 2 request(s); stopped at the limit of 2 rows, more follow (--limit)",
                "PARTIAL: TIMEOUT (no answer from 10.0.0.1:161 after 2 attempts)").doesNotContain("secret");
        DeviceWalkCommand bad = walk(inventory, "sw-1", "1.3.six");
        bad.poller = poller;
        assertThatThrownBy(bad::execute).hasMessage("'1.3.six' is not a dotted OID such as 1.3.6.1.2.1.1");
        DeviceWalkCommand tooMany = walk(inventory, "sw-1", null);
        tooMany.poller = poller;
        tooMany.limit = 0;
        assertThatThrownBy(tooMany::execute).hasMessage("--limit must be 1 to 10000, was 0");
        assertThatThrownBy(walk(inventory, "nobody", null)::execute).hasMessageContaining("no device named nobody");
    }
}

package de.sid.verbund.monitoring.traps.internal;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.core.DomainEvent;
import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.inventory.Credential.AuthProtocol;
import de.sid.verbund.monitoring.inventory.Credential.PrivProtocol;
import de.sid.verbund.monitoring.trap.TrapEvents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traps and informs sent by net-snmp's real {@code snmptrap} and {@code snmpinform} (Debian {@code snmp}),
 * SNMPv2c and SNMPv3 (USM authPriv SHA-256/AES-128, and AES-256), over UDP on loopback.
 */
class NetSnmpNotificationsTest {
    private static final String USER = "trapper";
    private static final String AUTH = "auth-pass-1234";
    private static final String PRIV = "priv-pass-5678";
    private static final String SENDER_ENGINE = "0x8000000001020304aa";

    @TempDir
    Path dir;
    private final TrapFixture traps = new TrapFixture();
    private NetSnmp netSnmp;

    @BeforeEach
    void start() {
        netSnmp = new NetSnmp(dir);
        traps.community("public");
        traps.inventory.trapCredentials.add(new SnmpCredentials.Usm(USER, AuthProtocol.SHA256, AUTH, PrivProtocol.AES128, PRIV));
        traps.inventory.trapCredentials.add(new SnmpCredentials.Usm("trapper256", AuthProtocol.SHA512, AUTH,
                PrivProtocol.AES256, PRIV));
        traps.inventory.trapCredentials.add(new SnmpCredentials.Usm("sha1des", AuthProtocol.SHA1, AUTH, PrivProtocol.DES, PRIV));
        traps.start();
    }

    @AfterEach
    void stop() {
        traps.close();
    }

    private String target() {
        return "127.0.0.1:" + traps.address.getPort();
    }

    private static String[] args(String... a) {
        return a;
    }

    private List<String> v3(String tool, String user, String authProto, String auth, String privProto, String priv,
                            String level, boolean engine) {
        List<String> a = new ArrayList<>(List.of(tool, "-v3", "-u", user, "-l", level, "-a", authProto, "-A", auth));
        if (privProto != null) {
            a.addAll(List.of("-x", privProto, "-X", priv));
        }
        if (engine) {
            a.addAll(List.of("-e", SENDER_ENGINE));
        }
        if (tool.equals("snmpinform")) {
            a.addAll(List.of("-t", "2", "-r", "1"));
        }
        a.add(target());
        return a;
    }

    @Test
    void v2cLinkDownAndLinkUpCarryTheirIfIndex() {
        NetSnmp.Result down = netSnmp.run("snmptrap", "-v", "2c", "-c", "public", target(), "", "1.3.6.1.6.3.1.1.5.3",
                "1.3.6.1.2.1.2.2.1.1.7", "i", "7", "1.3.6.1.2.1.2.2.1.7.7", "i", "1", "1.3.6.1.2.1.2.2.1.8.7", "i", "2");
        assertThat(down.exit()).as(down.output()).isZero();
        DomainEvent linkDown = traps.awaitEvents(1);
        // linkUp as some agents send it: without the ifIndex varbind, the index only in the instance of ifOperStatus
        NetSnmp.Result up = netSnmp.run("snmptrap", "-v", "2c", "-c", "public", target(), "", "1.3.6.1.6.3.1.1.5.4",
                "1.3.6.1.2.1.2.2.1.8.12", "i", "1", "1.3.6.1.2.1.2.2.1.2.12", "s", "Gi1/0/12");
        assertThat(up.exit()).as(up.output()).isZero();
        DomainEvent linkUp = traps.awaitEvents(2);

        assertThat(linkDown.payload()).containsEntry(TrapEvents.TRAP, TrapEvents.LINK_DOWN)
                .containsEntry(TrapEvents.TRAP_OID, "1.3.6.1.6.3.1.1.5.3").containsEntry(TrapEvents.IF_INDEX, 7)
                .containsEntry(TrapEvents.VERSION, "v2c").containsEntry(TrapEvents.INFORM, false)
                .containsKey(TrapEvents.UPTIME);
        assertThat(TrapFixture.varbinds(linkDown)).extracting(v -> v.get("oid") + "=" + v.get("value"))
                .containsExactly("1.3.6.1.2.1.2.2.1.1.7=7", "1.3.6.1.2.1.2.2.1.7.7=1", "1.3.6.1.2.1.2.2.1.8.7=2");
        assertThat(linkUp.payload()).containsEntry(TrapEvents.TRAP, TrapEvents.LINK_UP).containsEntry(TrapEvents.IF_INDEX, 12);
        assertThat(TrapFixture.varbinds(linkUp).get(1)).containsEntry("type", "OctetString").containsEntry("value", "Gi1/0/12");
    }

    @Test
    void v2cInformIsAnsweredSoSnmpinformSucceeds() {
        NetSnmp.Result r = netSnmp.run("snmpinform", "-v", "2c", "-c", "public", "-t", "2", "-r", "1", target(), "",
                "1.3.6.1.6.3.1.1.5.1");
        assertThat(r.exit()).as("snmpinform gets the response: " + r.output()).isZero();
        assertThat(traps.awaitEvents(1).payload()).containsEntry(TrapEvents.TRAP, TrapEvents.COLD_START)
                .containsEntry(TrapEvents.INFORM, true).containsEntry(TrapEvents.VERSION, "v2c");
    }

    @Test
    void v2cInformWithAnUnknownCommunityIsNotAnswered() {
        NetSnmp.Result r = netSnmp.run("snmpinform", "-v", "2c", "-c", "guess", "-t", "1", "-r", "0", target(), "",
                "1.3.6.1.6.3.1.1.5.1");
        assertThat(r.exit()).as(r.output()).isNotZero();
        assertThat(r.output()).contains("Timeout");
        assertThat(traps.metrics().droppedCount(DropReason.UNKNOWN_COMMUNITY)).isEqualTo(1);
        assertThat(traps.events()).isEmpty();
    }

    @Test
    void v3AuthPrivSha256Aes128TrapFromAnyEngineIsAccepted() {
        List<String> cmd = v3("snmptrap", USER, "SHA-256", AUTH, "AES", PRIV, "authPriv", true);
        cmd.addAll(List.of("", "1.3.6.1.6.3.1.1.5.2", "1.3.6.1.2.1.1.5.0", "s", "ups-a1"));
        NetSnmp.Result r = netSnmp.run(cmd.toArray(String[]::new));
        assertThat(r.exit()).as(r.output()).isZero();

        DomainEvent e = traps.awaitEvents(1);
        assertThat(e.payload()).containsEntry(TrapEvents.TRAP, TrapEvents.WARM_START).containsEntry(TrapEvents.VERSION, "v3")
                .containsEntry(TrapEvents.INFORM, false);
        assertThat(TrapFixture.varbinds(e)).extracting(v -> v.get("value")).containsExactly("ups-a1");
    }

    @Test
    void v3AuthPrivSha256Aes128InformIsAnsweredAfterEngineDiscovery() {
        List<String> cmd = v3("snmpinform", USER, "SHA-256", AUTH, "AES", PRIV, "authPriv", false);
        cmd.addAll(List.of("", "1.3.6.1.6.3.1.1.5.4", "1.3.6.1.2.1.2.2.1.1.3", "i", "3"));
        NetSnmp.Result r = netSnmp.run(cmd.toArray(String[]::new));
        assertThat(r.exit()).as(r.output()).isZero();

        assertThat(traps.awaitEvents(1).payload()).containsEntry(TrapEvents.TRAP, TrapEvents.LINK_UP)
                .containsEntry(TrapEvents.IF_INDEX, 3).containsEntry(TrapEvents.INFORM, true);
        // engine discovery (RFC 3414 section 4: a probe, then a message with boots and time 0) is not a drop
        for (DropReason reason : DropReason.values()) {
            assertThat(traps.metrics().droppedCount(reason)).as(reason.label()).isZero();
        }
    }

    @Test
    void v3Sha512Aes256AndSha1DesTrapsAreAccepted() {
        List<String> aes256 = v3("snmptrap", "trapper256", "SHA-512", AUTH, "AES-256", PRIV, "authPriv", true);
        aes256.addAll(List.of("", "1.3.6.1.4.1.9999.0.1"));
        NetSnmp.Result r = netSnmp.run(aes256.toArray(String[]::new));
        assertThat(r.exit()).as(r.output()).isZero();
        List<String> des = v3("snmptrap", "sha1des", "SHA", AUTH, "DES", PRIV, "authPriv", true);
        des.addAll(List.of("", "1.3.6.1.4.1.9999.0.2"));
        r = netSnmp.run(des.toArray(String[]::new));
        assertThat(r.exit()).as(r.output()).isZero();

        traps.awaitEvents(2);
        assertThat(traps.events()).extracting(e -> e.payload().get(TrapEvents.TRAP_OID))
                .containsExactly("1.3.6.1.4.1.9999.0.2", "1.3.6.1.4.1.9999.0.1");
        assertThat(traps.events()).allSatisfy(e -> assertThat(e.payload()).containsEntry(TrapEvents.TRAP, TrapEvents.RAW));
    }

    @Test
    void v3WrongPassphraseUnknownUserAndTooLittleSecurityAreDroppedByReason() {
        List<String> wrongAuth = v3("snmptrap", USER, "SHA-256", "not-the-pass-1", "AES", PRIV, "authPriv", true);
        wrongAuth.addAll(List.of("", "1.3.6.1.6.3.1.1.5.1"));
        netSnmp.run(wrongAuth.toArray(String[]::new));
        traps.awaitDropped(DropReason.WRONG_DIGEST, 1);

        List<String> wrongPriv = v3("snmptrap", USER, "SHA-256", AUTH, "AES", "not-the-priv-1", "authPriv", true);
        wrongPriv.addAll(List.of("", "1.3.6.1.6.3.1.1.5.1"));
        netSnmp.run(wrongPriv.toArray(String[]::new));
        traps.awaitDropped(DropReason.DECRYPTION_ERROR, 1);

        List<String> unknown = v3("snmptrap", "mallory", "SHA-256", AUTH, "AES", PRIV, "authPriv", true);
        unknown.addAll(List.of("", "1.3.6.1.6.3.1.1.5.1"));
        netSnmp.run(unknown.toArray(String[]::new));
        traps.awaitDropped(DropReason.UNKNOWN_USER, 1);

        // the user's name without its secrets: noAuthNoPriv must not pass for an authPriv credential
        netSnmp.run("snmptrap", "-v3", "-u", USER, "-l", "noAuthNoPriv", "-e", SENDER_ENGINE, target(), "", "1.3.6.1.6.3.1.1.5.1");
        traps.awaitDropped(DropReason.INSUFFICIENT_SECURITY_LEVEL, 1);

        // a wrong privacy passphrase: the message is authentic but decrypts to garbage
        assertThat(traps.metrics().droppedCount(DropReason.DECRYPTION_ERROR)).isEqualTo(1);
        assertThat(traps.metrics().droppedCount(DropReason.MALFORMED)).isZero();
        assertThat(traps.events()).isEmpty();
    }
}

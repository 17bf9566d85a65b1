package de.sid.verbund.monitoring.snmp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import de.sid.verbund.monitoring.PollRequest;
import de.sid.verbund.monitoring.PollResult;
import de.sid.verbund.monitoring.SnmpException;
import de.sid.verbund.monitoring.SnmpTarget;
import de.sid.verbund.monitoring.WalkResult;
import de.sid.verbund.monitoring.smi.Oid;
import de.sid.verbund.monitoring.smi.SnmpValue;
import de.sid.verbund.testsupport.NetSnmpAgent;
import de.sid.verbund.testsupport.NetSnmpAgent.User;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.snmp4j.mp.SnmpConstants;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.security.nonstandard.PrivAES256With3DESKeyExtension;
import org.snmp4j.smi.OctetString;

/**
 * SNMPv3 (RFC 3414 USM) against real net-snmp agents: every authentication and privacy protocol
 * Verbund offers, the reports for wrong users and passphrases, an agent's reboot, two agents with
 * one engine ID, and a replaced agent with a new engine ID at the same address.
 */
@Timeout(180)
class NetSnmpV3Test {
    static final Oid SYS_DESCR = Oid.parse("1.3.6.1.2.1.1.1.0");
    static final Oid IF_DESCR = Oid.parse("1.3.6.1.2.1.2.2.1.2");
    static final Oid IF_HC_IN_OCTETS = Oid.parse("1.3.6.1.2.1.31.1.1.1.6");
    static final PollRequest REQUEST = new PollRequest(List.of(SYS_DESCR), List.of(IF_DESCR, IF_HC_IN_OCTETS));
    /** An engine ID of the enterprise-specific text format (RFC 3411 SnmpEngineID, net-snmp's enterprise 8072). */
    static final String ENGINE_ID = "80001f8804766572620142";

    static final User SHA256_AES128 = User.authPriv("sha256aes", "SHA-256", "auth-pass-256", "AES", "priv-pass-128");
    static final User SHA512_AES256 = User.authPriv("sha512aes256", "SHA-512", "auth-pass-512", "AES-256", "priv-pass-512");
    static final User SHA1_AES256 = User.authPriv("sha1aes256", "SHA", "auth-pass-sha1", "AES-256", "priv-pass-256");
    static final User SHA384_AES128 = User.authPriv("sha384aes", "SHA-384", "auth-pass-384", "AES", "priv-pass-384");
    static final User SHA1_DES = User.authPriv("sha1des", "SHA", "auth-pass-sha1", "DES", "priv-pass-des");
    static final User SHA224_AUTH = User.authNoPriv("sha224auth", "SHA-224", "auth-pass-224");
    static final User SHA256_AUTH = User.authNoPriv("sha256auth", "SHA-256", "auth-pass-256");
    static final User NO_AUTH = User.noAuthNoPriv("noauth");
    static final List<User> USERS = List.of(SHA256_AES128, SHA512_AES256, SHA1_AES256, SHA384_AES128, SHA1_DES, SHA224_AUTH,
            SHA256_AUTH, NO_AUTH);

    static Snmp4jClient client;
    static NetSnmpAgent agent;

    @BeforeAll
    static void start() throws IOException {
        client = new Snmp4jClient(InetAddress.getLoopbackAddress(), 2);
        agent = NetSnmpAgent.start(withUsers(NetSnmpAgent.config().engineId(ENGINE_ID)));
    }

    static NetSnmpAgent.Config withUsers(NetSnmpAgent.Config config) {
        for (User u : USERS) {
            config = config.user(u);
        }
        return config;
    }

    @AfterAll
    static void stop() {
        if (agent != null) {
            agent.close();
        }
        if (client != null) {
            client.close();
        }
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    static Stream<User> users() {
        return USERS.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("users")
    void everyProtocolPollsTheAgent(User user) throws Exception {
        PollResult poll = await(client.poll(agent.v3(user), REQUEST));

        assertThat(poll.reachable()).as(poll.problem().orElse("")).isTrue();
        assertThat(poll.problem()).isEmpty();
        assertThat(poll.sysUpTime()).isInstanceOf(SnmpValue.TimeTicks.class);
        assertThat(poll.scalars()).containsEntry(SYS_DESCR, SnmpValue.OctetString.ofUtf8(NetSnmpAgent.SYS_DESCR));
        WalkResult descr = poll.walks().get(IF_DESCR);
        assertThat(descr.status()).isEqualTo(WalkResult.Status.COMPLETE);
        assertThat(descr.rows()).isNotEmpty();
        assertThat(poll.walks().get(IF_HC_IN_OCTETS).rows()).hasSameSizeAs(descr.rows())
                .allMatch(v -> v.value() instanceof SnmpValue.Counter64);
    }

    @Test
    void aV3BulkWalkMatchesNetSnmpsOwnBulkWalkAsTheSameUser() throws Exception {
        Oid ifTable = Oid.parse("1.3.6.1.2.1.2.2");
        WalkResult walk = await(client.walk(agent.v3(SHA256_AES128), ifTable));

        assertThat(walk.status()).isEqualTo(WalkResult.Status.COMPLETE);
        assertThat(walk.rows()).extracting(v -> v.oid().toString())
                .containsExactlyElementsOf(netSnmpBulkWalk(SHA256_AES128, ifTable));
    }

    @Test
    void aes256IsNetSnmpsKeyExtensionWhichSnmp4jCallsPrivAes256() throws Exception {
        // net-snmp stores each user's localized keys in its persistent file: compare with SNMP4J's
        // two AES-256 variants for SHA-1, whose 20-byte key must be extended to 32 bytes
        String stored = storedPrivKey(SHA1_AES256.name());
        byte[] engineId = HexFormat.of().parseHex(ENGINE_ID);
        OctetString passphrase = new OctetString(SHA1_AES256.privPassphrase());
        String blumenthal = HexFormat.of().formatHex(SecurityProtocols.passwordToKey(new PrivAES256(), new AuthSHA(),
                passphrase, engineId));
        String reeder = HexFormat.of().formatHex(SecurityProtocols.passwordToKey(new PrivAES256With3DESKeyExtension(),
                new AuthSHA(), passphrase, engineId));

        assertThat(stored).hasSize(64).isEqualTo(blumenthal);
        assertThat(reeder).isNotEqualTo(stored).startsWith(stored.substring(0, 40));
        PollResult poll = await(client.poll(agent.v3(SHA1_AES256), REQUEST));
        assertThat(poll.reachable()).isTrue();
    }

    @Test
    void aWrongAuthenticationPassphraseIsReportedAsSuch() throws Exception {
        User wrong = User.authPriv(SHA256_AES128.name(), "SHA-256", "not-the-auth-pass", "AES", SHA256_AES128.privPassphrase());
        SnmpException e = refused(agent.v3(wrong));

        assertThat(e.kind()).isEqualTo(SnmpException.Kind.SECURITY);
        assertThat(e.getMessage()).startsWith("snmpd (127.0.0.1:" + agent.port() + "): GET of 1.3.6.1.2.1.1.1.0 refused: ")
                .contains("authentication of USM user 'sha256aes' failed: wrong authentication passphrase",
                        "SHA-256", "[report usmStatsWrongDigests]");
        assertNoSecret(e.getMessage(), wrong);

        User wrongAuthOnly = User.authNoPriv(SHA224_AUTH.name(), "SHA-224", "not-the-auth-pass");
        PollResult poll = await(client.poll(agent.v3(wrongAuthOnly), REQUEST));
        assertThat(poll.reachable()).isFalse();
        assertThat(poll.problem()).hasValueSatisfying(p -> assertThat(p).contains("usmStatsWrongDigests", "SHA-224"));
        assertNoSecret(poll.toString(), wrongAuthOnly);
    }

    @Test
    void anUnknownUserIsReportedAsSuch() throws Exception {
        User nobody = User.authPriv("nobody", "SHA-256", "auth-pass-256", "AES", "priv-pass-128");
        SnmpException e = refused(agent.v3(nobody));

        assertThat(e.kind()).isEqualTo(SnmpException.Kind.SECURITY);
        assertThat(e.getMessage()).contains("the agent does not know USM user 'nobody'", "[report usmStatsUnknownUserNames]");
        assertNoSecret(e.getMessage(), nobody);
    }

    @Test
    void aSecurityLevelTheUserDoesNotHaveIsReportedAsSuch() throws Exception {
        User withPrivacy = User.authPriv(SHA224_AUTH.name(), "SHA-224", SHA224_AUTH.authPassphrase(), "AES", "priv-pass-224");
        SnmpException e = refused(agent.v3(withPrivacy));

        assertThat(e.kind()).isEqualTo(SnmpException.Kind.SECURITY);
        assertThat(e.getMessage()).contains("does not accept USM user 'sha224auth' at security level authPriv",
                "[report usmStatsUnsupportedSecLevels]");
        assertNoSecret(e.getMessage(), withPrivacy);
    }

    @Test
    void aWrongPrivacyPassphraseGetsNoAnswerAndTheMessageSaysWhatThatLikelyMeans() throws Exception {
        // net-snmp counts usmStatsDecryptionErrors but drops the request without a report
        User wrong = User.authPriv(SHA256_AES128.name(), "SHA-256", SHA256_AES128.authPassphrase(), "AES", "not-the-priv-pass");
        SnmpTarget target = agent.v3(wrong).withTimeout(Duration.ofMillis(300)).withRetries(0);
        PollResult poll = await(client.poll(target, REQUEST));

        assertThat(poll.reachable()).isFalse();
        assertThat(poll.problem()).hasValueSatisfying(p -> assertThat(p)
                .contains("no answer to GET of 2 OIDs", "after 1 attempts of 300 ms",
                        "this agent answered SNMPv3 engine discovery: if it is still up", "a wrong privacy passphrase or protocol for USM user 'sha256aes'"));
        assertNoSecret(poll.toString(), wrong);
    }

    @Test
    void afterTheAgentRebootsOneReportAndOneRetryResynchronise() throws Exception {
        try (Snmp4jClient own = new Snmp4jClient(InetAddress.getLoopbackAddress(), 1);
             NetSnmpAgent rebooting = NetSnmpAgent.start(NetSnmpAgent.config().engineId(ENGINE_ID).user(SHA256_AES128))) {
            SnmpTarget target = rebooting.v3(SHA256_AES128);
            PollResult first = await(own.poll(target, REQUEST));
            assertThat(first.reachable()).isTrue();
            // the first contact: discovery (unknownEngineIDs), then the engine's boots and time (notInTimeWindows)
            assertThat(own.reports(SnmpConstants.usmStatsUnknownEngineIDs)).isEqualTo(1);
            assertThat(own.reports(SnmpConstants.usmStatsNotInTimeWindows)).isEqualTo(1);
            int bootsBefore = rebooting.engineBoots();
            long upBefore = ((SnmpValue.TimeTicks) first.sysUpTime()).value();

            rebooting.restart();
            PollResult afterReboot = await(own.poll(target, REQUEST));

            assertThat(rebooting.engineBoots()).isEqualTo(bootsBefore + 1);
            assertThat(afterReboot.reachable()).as(afterReboot.problem().orElse("")).isTrue();
            assertThat(afterReboot.scalars()).containsEntry(SYS_DESCR, SnmpValue.OctetString.ofUtf8(NetSnmpAgent.SYS_DESCR));
            assertThat(afterReboot.requests()).isEqualTo(first.requests());
            // exactly one report more (and SNMP4J's one re-send of the GET it answered), no new discovery
            assertThat(own.reports(SnmpConstants.usmStatsNotInTimeWindows)).isEqualTo(2);
            assertThat(own.reports(SnmpConstants.usmStatsUnknownEngineIDs)).isEqualTo(1);
            assertThat(((SnmpValue.TimeTicks) afterReboot.sysUpTime()).value()).isLessThan(upBefore + 10_000);

            PollResult next = await(own.poll(target, REQUEST));
            assertThat(next.reachable()).isTrue();
            assertThat(own.reports(SnmpConstants.usmStatsNotInTimeWindows)).isEqualTo(2);
        }
    }

    @Test
    void twoAgentsSharingOneEngineIdAreBothPolled() throws Exception {
        try (Snmp4jClient own = new Snmp4jClient(InetAddress.getLoopbackAddress(), 1);
             SharedEngineId agents = SharedEngineId.start()) {
            for (int round = 0; round < 3; round++) {
                for (NetSnmpAgent a : List.of(agents.a, agents.b)) {
                    PollResult poll = await(own.poll(a.v3(SHA256_AES128), REQUEST));
                    assertThat(poll.reachable()).as(poll.problem().orElse("")).isTrue();
                    assertThat(poll.scalars()).containsEntry(SYS_DESCR,
                            SnmpValue.OctetString.ofUtf8(a.configuration().sysDescr()));
                }
            }
            assertThat(own.usmAgents()).isEqualTo(2);
            // one synchronisation each, none after
            assertThat(own.reports(SnmpConstants.usmStatsNotInTimeWindows)).isEqualTo(2);
        }
    }

    @Test
    void withSnmp4jsTimeTablePerEngineIdTheAgentThatBootedLessGoesUnanswered() throws Exception {
        // what SNMP4J 3.13.1 does on its own, the reason for PeerUsm: agent B's answers carry fewer
        // engine boots than agent A's under the same engine ID, so B's answers are outside the
        // time window (RFC 3414 3.2.7.b) and dropped, and every request to B times out
        try (Snmp4jClient shared = new Snmp4jClient(InetAddress.getLoopbackAddress(), 1, false);
             SharedEngineId agents = SharedEngineId.start()) {
            SnmpTarget a = agents.a.v3(SHA256_AES128).withTimeout(Duration.ofMillis(500)).withRetries(0);
            SnmpTarget b = agents.b.v3(SHA256_AES128).withTimeout(Duration.ofMillis(500)).withRetries(0);
            assertThat(await(shared.poll(a, REQUEST)).reachable()).isTrue();
            PollResult pollB = await(shared.poll(b, REQUEST));
            assertThat(pollB.reachable()).isFalse();
            assertThat(pollB.problem()).hasValueSatisfying(p -> assertThat(p).contains("no answer"));
            assertThat(await(shared.poll(a, REQUEST)).reachable()).isTrue();
        }
    }

    @Test
    void aReplacedAgentWithAnotherEngineIdAtTheSameAddressIsDiscoveredAgainWithTheNextPoll() throws Exception {
        try (Snmp4jClient own = new Snmp4jClient(InetAddress.getLoopbackAddress(), 1);
             NetSnmpAgent replaced = NetSnmpAgent.start(NetSnmpAgent.config().engineId(ENGINE_ID).user(SHA256_AES128))) {
            SnmpTarget target = replaced.v3(SHA256_AES128).withTimeout(Duration.ofMillis(500)).withRetries(0);
            assertThat(await(own.poll(target, REQUEST)).reachable()).isTrue();
            long discoveries = own.reports(SnmpConstants.usmStatsUnknownEngineIDs);

            replaced.replace(replaced.configuration().engineId("80001f88047665726201ff").sysDescr("the new one"));
            // it answers the old engine ID with usmStatsUnknownEngineIDs and its own, which does
            // not match the request (RFC 3412 7.2.11): dropped, so no answer
            PollResult first = await(own.poll(target, REQUEST));
            assertThat(first.reachable()).isFalse();
            PollResult next = await(own.poll(target, REQUEST));

            assertThat(next.reachable()).as(next.problem().orElse("")).isTrue();
            assertThat(next.scalars()).containsEntry(SYS_DESCR, SnmpValue.OctetString.ofUtf8("the new one"));
            assertThat(own.reports(SnmpConstants.usmStatsUnknownEngineIDs)).isEqualTo(discoveries + 1);
        }
    }

    /** Two agents with the same engine ID, A rebooted twice (engineBoots 3), B not (1). */
    record SharedEngineId(NetSnmpAgent a, NetSnmpAgent b) implements AutoCloseable {
        static SharedEngineId start() throws IOException {
            NetSnmpAgent.Config config = NetSnmpAgent.config().engineId(ENGINE_ID).user(SHA256_AES128);
            NetSnmpAgent a = NetSnmpAgent.start(config.sysDescr("agent A"));
            NetSnmpAgent b = NetSnmpAgent.start(config.sysDescr("agent B"));
            a.restart();
            a.restart();
            assertThat(a.engineBoots()).isEqualTo(3);
            assertThat(b.engineBoots()).isEqualTo(1);
            return new SharedEngineId(a, b);
        }

        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    static SnmpException refused(SnmpTarget target) throws Exception {
        try {
            await(client.get(target, List.of(SYS_DESCR)));
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SnmpException.class);
            return (SnmpException) e.getCause();
        }
        throw new AssertionError("the GET as " + target + " succeeded");
    }

    static void assertNoSecret(String text, User user) {
        for (String secret : new String[] {user.authPassphrase(), user.privPassphrase()}) {
            if (secret != null) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    /** The privacy key net-snmp localized for {@code user}, from its persistent file (hex). */
    static String storedPrivKey(String user) throws IOException {
        String persisted = Files.readString(agent.persistentDir().resolve("snmpd.conf"), StandardCharsets.ISO_8859_1);
        Matcher m = Pattern.compile("(?m)^usmUser .* \"" + user + "\" \"" + user + "\" \\S+ \\S+ 0x\\p{XDigit}+ \\S+ 0x(\\p{XDigit}+) ")
                .matcher(persisted);
        assertThat(m.find()).as(persisted).isTrue();
        return m.group(1);
    }

    /** The OIDs net-snmp's snmpbulkwalk finds under {@code root} as the user, numeric, in order. */
    static List<String> netSnmpBulkWalk(User user, Oid root) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/snmpbulkwalk", "-v3", "-l", "authPriv", "-u", user.name(),
                "-a", user.auth(), "-A", user.authPassphrase(), "-x", user.priv(), "-X", user.privPassphrase(),
                "-On", "-Oq", "-t", "2", "-r", "1", "127.0.0.1:" + agent.port(), "." + root));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("MIBS", "");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        List<String> oids = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith(".")) {
                oids.add(line.substring(1, line.indexOf(' ') > 0 ? line.indexOf(' ') : line.length()));
            }
        }
        return oids;
    }
}

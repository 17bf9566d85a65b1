package de.sid.verbund.monitoring.snmp.internal;

import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.inventory.Credential.AuthProtocol;
import de.sid.verbund.monitoring.inventory.Credential.PrivProtocol;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.snmp4j.DirectUserTarget;
import org.snmp4j.mp.MPv3;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.AuthenticationProtocol;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivDES;
import org.snmp4j.security.PrivacyProtocol;
import org.snmp4j.security.SecretOctetString;
import org.snmp4j.security.SecurityProtocols;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;

/**
 * SNMPv3 targets with the USM user's keys carried by the target itself ({@link DirectUserTarget}),
 * so no user table is shared between agents: two agents may have the same user name with other
 * passphrases, or the same engine ID, without one's keys being used for the other.
 *
 * <p>Keys (RFC 3414 section 2.6 and A.2: the passphrase hashed over 1 MB, then localized with the
 * agent's engine ID) cost a few milliseconds each, so they are kept per agent address, user and
 * engine ID. While an agent's engine ID is not known yet, the target carries the passphrases and
 * SNMP4J discovers the engine ID (RFC 3414 section 4) and localizes them into its own copy of
 * the target; the next request finds the engine ID known and localizes them here, once.
 *
 * <p>The protocols: HMAC-SHA-96 (RFC 3414), HMAC-SHA-2 (RFC 7860), CBC-DES (RFC 3414), CFB-AES-128
 * (RFC 3826), and CFB-AES-256 as net-snmp's {@code -x AES-256} does it (usmAES256PrivProtocol of
 * draft-blumenthal-aes-usm-04: RFC 3826 with a 256-bit key; a localized key shorter than that,
 * from SHA-1 or SHA-224, is extended by hashing it again). That is SNMP4J's {@link PrivAES256}.
 * SNMP4J's {@code PrivAES256With3DESKeyExtension} extends short keys as
 * draft-reeder-snmpv3-usm-3desede says (Cisco's variant, net-snmp's {@code AES-256-C}) and gets
 * another key for SHA-1 and SHA-224: a test compares both with the key a real snmpd stores. With
 * SHA-256 and longer digests the two give the same key.
 */
final class UsmTargets {
    private final SecurityProtocols protocols;
    private final MPv3 mpv3;
    private final Map<AgentUser, Localized> keys = new ConcurrentHashMap<>();
    /** Agents whose engine ID is to be discovered again with the next request. */
    private final java.util.Set<UdpAddress> stale = ConcurrentHashMap.newKeySet();

    private record AgentUser(UdpAddress address, SnmpCredentials.Usm user) {
    }

    /** Keys localized for one engine ID. {@code toString()} shows no key. */
    private record Localized(OctetString engineId, OctetString authKey, OctetString privKey) {
        @Override
        public String toString() {
            return "Localized[" + engineId.toHexString() + "]";
        }
    }

    UsmTargets(SecurityProtocols protocols, MPv3 mpv3) {
        this.protocols = protocols;
        this.mpv3 = mpv3;
    }

    /** @return the protocols this client speaks, in a collection of its own (not SNMP4J's JVM-wide one) */
    static SecurityProtocols securityProtocols() {
        SecurityProtocols p = new SecurityProtocols(SecurityProtocols.SecurityProtocolSet.maxSecurity);
        p.removeAll();
        p.addAuthenticationProtocol(new AuthSHA());
        p.addAuthenticationProtocol(new AuthHMAC128SHA224());
        p.addAuthenticationProtocol(new AuthHMAC192SHA256());
        p.addAuthenticationProtocol(new AuthHMAC256SHA384());
        p.addAuthenticationProtocol(new AuthHMAC384SHA512());
        p.addPrivacyProtocol(new PrivDES());
        p.addPrivacyProtocol(new PrivAES128());
        p.addPrivacyProtocol(new PrivAES256());
        return p;
    }

    /**
     * @return a new target for one request to {@code address} as {@code user} (SNMP4J changes a
     *         target while discovering, so each request gets its own)
     */
    DirectUserTarget<UdpAddress> target(UdpAddress address, SnmpCredentials.Usm user) {
        AuthenticationProtocol auth = auth(user.authProtocol());
        PrivacyProtocol priv = priv(user.privProtocol());
        OctetString name = new OctetString(user.user().getBytes(StandardCharsets.UTF_8));
        if (stale.remove(address)) {
            mpv3.removeEngineID(address);
        }
        OctetString engineId = mpv3.getEngineID(address);
        if (engineId == null) {
            // SNMP4J discovers the engine ID with an empty noAuthNoPriv request, then localizes these
            return new DirectUserTarget<>(address, name, auth, secret(user.authPassphrase()), priv,
                    secret(user.privPassphrase()));
        }
        AgentUser key = new AgentUser(address, user);
        Localized l = keys.get(key);
        if (l == null || !l.engineId().equals(engineId)) {
            l = localize(user, auth, priv, engineId);
            keys.put(key, l);
        }
        return new DirectUserTarget<>(address, name, engineId.getValue(), auth, l.authKey(), priv, l.privKey());
    }

    /** Makes the next request to {@code address} discover the agent's engine ID again. */
    void rediscover(UdpAddress address) {
        if (mpv3.getEngineID(address) != null) {
            stale.add(address);
        }
    }

    /** @return whether the agent at {@code address} answered engine discovery */
    boolean engineIdKnown(UdpAddress address) {
        return mpv3.getEngineID(address) != null;
    }

    private Localized localize(SnmpCredentials.Usm user, AuthenticationProtocol auth, PrivacyProtocol priv,
                               OctetString engineId) {
        OctetString authKey = null;
        OctetString privKey = null;
        if (auth != null) {
            authKey = new SecretOctetString(auth.passwordToKey(secret(user.authPassphrase()), engineId.getValue()));
            if (priv != null) {
                privKey = new SecretOctetString(SecurityProtocols.passwordToKey(priv, auth, secret(user.privPassphrase()),
                        engineId.getValue()));
            }
        }
        return new Localized(engineId, authKey, privKey);
    }

    private AuthenticationProtocol auth(AuthProtocol p) {
        return switch (p) {
            case NONE -> null;
            case SHA1 -> protocols.getAuthenticationProtocol(AuthSHA.ID);
            case SHA224 -> protocols.getAuthenticationProtocol(AuthHMAC128SHA224.ID);
            case SHA256 -> protocols.getAuthenticationProtocol(AuthHMAC192SHA256.ID);
            case SHA384 -> protocols.getAuthenticationProtocol(AuthHMAC256SHA384.ID);
            case SHA512 -> protocols.getAuthenticationProtocol(AuthHMAC384SHA512.ID);
        };
    }

    private PrivacyProtocol priv(PrivProtocol p) {
        return switch (p) {
            case NONE -> null;
            case DES -> protocols.getPrivacyProtocol(PrivDES.ID);
            case AES128 -> protocols.getPrivacyProtocol(PrivAES128.ID);
            case AES256 -> protocols.getPrivacyProtocol(PrivAES256.ID);
        };
    }

    private static OctetString secret(String passphrase) {
        return passphrase == null ? null : new SecretOctetString(passphrase.getBytes(StandardCharsets.UTF_8));
    }
}

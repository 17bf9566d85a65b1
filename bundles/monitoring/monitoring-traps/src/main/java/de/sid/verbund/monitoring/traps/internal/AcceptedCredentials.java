package de.sid.verbund.monitoring.traps.internal;

import de.sid.verbund.monitoring.SnmpCredentials;
import de.sid.verbund.monitoring.inventory.Credential;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivDES;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.USM;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the receiver accepts: SNMPv1/v2c communities and SNMPv3 USM users, from the stored
 * credentials plus the configured extra communities. USM users are added to the receiver's own
 * {@link USM} without an engine ID, granted localization for incoming messages: SNMP4J then
 * localizes their keys (RFC 3414 section 2.6) for each sender's engine ID as its first trap
 * arrives, so a v3 trap is accepted from any engine without configuring engine IDs, and an inform
 * (sent to the receiver's own engine ID, found by discovery) too.
 *
 * <p>Two stored credentials with the same USM user name but other secrets cannot both work (the
 * user name is the key, RFC 3414): the first by credential name is used and a warning logged.
 */
final class AcceptedCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(AcceptedCredentials.class);

    private final USM usm;
    private final Set<String> extraCommunities;
    private volatile Set<String> communities;
    /** USM user name → the security level its credential asks for ({@link SecurityLevel}). */
    private volatile Map<String, Integer> requiredLevels = Map.of();
    private Map<String, SnmpCredentials.Usm> appliedUsers = Map.of();
    private Set<String> warnedDuplicates = Set.of();

    /**
     * @param usm the receiver's own USM (never SNMP4J's JVM-wide one)
     * @param extraCommunities communities accepted besides the stored ones
     */
    AcceptedCredentials(USM usm, Set<String> extraCommunities) {
        this.usm = usm;
        this.extraCommunities = Set.copyOf(extraCommunities);
        this.communities = this.extraCommunities;
    }

    /**
     * Replaces what is accepted by {@code credentials} (plus the extra communities). USM users are
     * replaced only when they changed, since every change drops the keys already localized.
     *
     * @return true if anything changed
     */
    synchronized boolean apply(List<SnmpCredentials> credentials) {
        Set<String> nextCommunities = new java.util.HashSet<>(extraCommunities);
        Map<String, SnmpCredentials.Usm> users = new LinkedHashMap<>();
        Set<String> duplicates = new java.util.HashSet<>();
        for (SnmpCredentials c : credentials) {
            if (c instanceof SnmpCredentials.Community community) {
                nextCommunities.add(community.community());
            } else if (c instanceof SnmpCredentials.Usm u) {
                SnmpCredentials.Usm first = users.putIfAbsent(u.user(), u);
                if (first != null && !first.equals(u)) {
                    duplicates.add(u.user());
                }
            }
        }
        boolean changed = !nextCommunities.equals(communities);
        communities = Set.copyOf(nextCommunities);
        if (!duplicates.equals(warnedDuplicates)) {
            if (!duplicates.isEmpty()) {
                LOG.warn("Trap receiver: several stored SNMPv3 credentials have the USM user(s) {} with other secrets; "
                        + "traps are checked against the first by credential name only", duplicates);
            }
            warnedDuplicates = Set.copyOf(duplicates);
        }
        if (!users.equals(appliedUsers)) {
            usm.removeAllUsers();
            Map<String, Integer> levels = new HashMap<>();
            for (SnmpCredentials.Usm u : users.values()) {
                usm.addUser(usmUser(u));
                levels.put(u.user(), securityLevel(u));
            }
            appliedUsers = Map.copyOf(users);
            requiredLevels = Map.copyOf(levels);
            changed = true;
        }
        return changed;
    }

    /**
     * @param community the community's bytes as received; communities are stored as text and sent as
     *        UTF-8 (as the poller sends them), so bytes that are not UTF-8 match none
     * @return whether an SNMPv1/v2c message with this community is accepted
     */
    boolean acceptsCommunity(byte[] community) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(community)).toString();
            return communities.contains(text);
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * @return the least security level ({@link SecurityLevel#NOAUTH_NOPRIV}, {@link SecurityLevel#AUTH_NOPRIV},
     *         {@link SecurityLevel#AUTH_PRIV}) a message of this USM user must have, or 0 when the user is not known
     */
    int requiredSecurityLevel(String user) {
        return requiredLevels.getOrDefault(user, 0);
    }

    static int securityLevel(SnmpCredentials.Usm u) {
        if (u.authProtocol() == Credential.AuthProtocol.NONE) {
            return SecurityLevel.NOAUTH_NOPRIV;
        }
        return u.privProtocol() == Credential.PrivProtocol.NONE ? SecurityLevel.AUTH_NOPRIV : SecurityLevel.AUTH_PRIV;
    }

    static UsmUser usmUser(SnmpCredentials.Usm u) {
        OID auth = authProtocol(u.authProtocol());
        OID priv = privProtocol(u.privProtocol());
        return new UsmUser(new OctetString(u.user()), auth, auth == null ? null : new OctetString(u.authPassphrase()),
                priv, priv == null ? null : new OctetString(u.privPassphrase()), null, UsmUser.LocalizationGrant.incoming);
    }

    /** RFC 3414 (HMAC-SHA-96) and RFC 7860 (HMAC-SHA-2). */
    static OID authProtocol(Credential.AuthProtocol p) {
        return switch (p) {
            case NONE -> null;
            case SHA1 -> AuthSHA.ID;
            case SHA224 -> AuthHMAC128SHA224.ID;
            case SHA256 -> AuthHMAC192SHA256.ID;
            case SHA384 -> AuthHMAC256SHA384.ID;
            case SHA512 -> AuthHMAC384SHA512.ID;
        };
    }

    /**
     * RFC 3414 CBC-DES, RFC 3826 CFB-AES-128; AES-256 with the key extension of
     * draft-blumenthal-aes-usm-04, which net-snmp uses for {@code -x AES-256}.
     */
    static OID privProtocol(Credential.PrivProtocol p) {
        return switch (p) {
            case NONE -> null;
            case DES -> PrivDES.ID;
            case AES128 -> PrivAES128.ID;
            case AES256 -> PrivAES256.ID;
        };
    }
}

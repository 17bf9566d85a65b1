package de.sid.verbund.monitoring.inventory;

import java.time.Instant;

/**
 * A stored credential without its secrets: this is all the API ever shows of one.
 *
 * @param id random UUID
 * @param name unique name, e.g. {@code dc1-switches}
 * @param version how devices using it are polled
 * @param user the SNMPv3 USM user name; {@code null} for v1/v2c
 * @param authProtocol the SNMPv3 authentication protocol; {@code null} for v1/v2c
 * @param privProtocol the SNMPv3 privacy protocol; {@code null} for v1/v2c
 * @param createdAt when it was stored
 * @param origin how it was stored: through the API or shell, or from the devices file
 */
public record Credential(String id, String name, CredentialVersion version, String user, AuthProtocol authProtocol,
                         PrivProtocol privProtocol, Instant createdAt, Device.Origin origin) {

    public Credential {
        java.util.Objects.requireNonNull(origin, "origin");
    }

    /** A credential stored through the API or shell ({@link Device.Origin#API}). */
    public Credential(String id, String name, CredentialVersion version, String user, AuthProtocol authProtocol,
                      PrivProtocol privProtocol, Instant createdAt) {
        this(id, name, version, user, authProtocol, privProtocol, createdAt, Device.Origin.API);
    }

    /** The SNMP version a credential belongs to. */
    public enum CredentialVersion { V1, V2C, V3 }

    /** SNMPv3 USM authentication (RFC 3414 HMAC-SHA-96, RFC 7860 HMAC-SHA-2). */
    public enum AuthProtocol { NONE, SHA1, SHA224, SHA256, SHA384, SHA512 }

    /** SNMPv3 USM privacy (RFC 3414 CBC-DES, RFC 3826 CFB-AES-128, AES-256 as net-snmp/Cisco). */
    public enum PrivProtocol { NONE, DES, AES128, AES256 }
}

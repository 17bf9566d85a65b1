package de.sid.verbund.monitoring;

import java.util.Objects;

/**
 * What a request authenticates with. Kept apart from the device record; {@code toString()}
 * never shows a secret, so credentials can appear in log lines and exception messages.
 */
public sealed interface SnmpCredentials {

    /**
     * An SNMPv1/v2c community string (RFC 1157, RFC 1901).
     *
     * @param community the community, sent in clear text on the wire; non-empty
     */
    record Community(String community) implements SnmpCredentials {
        public Community {
            Objects.requireNonNull(community, "community");
            if (community.isEmpty()) {
                throw new IllegalArgumentException("empty community");
            }
        }

        /** @return {@code Community[***]}: the community itself is never shown */
        @Override
        public String toString() {
            return "Community[***]";
        }
    }

    /**
     * An SNMPv3 User-based Security Model user (RFC 3414; SHA-2 authentication RFC 7860, AES
     * privacy RFC 3826). The security level follows from the protocols: noAuthNoPriv when
     * {@code authProtocol} is NONE, authNoPriv when only {@code privProtocol} is NONE, else authPriv.
     *
     * @param user the USM user name, 1 to 32 characters
     * @param authProtocol the authentication protocol; NONE for noAuthNoPriv
     * @param authPassphrase the authentication passphrase (8 characters or more); null when NONE
     * @param privProtocol the privacy protocol; NONE for no privacy; needs authentication
     * @param privPassphrase the privacy passphrase (8 characters or more); null when NONE
     */
    record Usm(String user, de.sid.verbund.monitoring.inventory.Credential.AuthProtocol authProtocol, String authPassphrase,
               de.sid.verbund.monitoring.inventory.Credential.PrivProtocol privProtocol, String privPassphrase)
            implements SnmpCredentials {
        public Usm {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(authProtocol, "authProtocol");
            Objects.requireNonNull(privProtocol, "privProtocol");
            if (user.isEmpty() || user.length() > 32) {
                throw new IllegalArgumentException("USM user name is 1 to 32 characters");
            }
            boolean auth = authProtocol != de.sid.verbund.monitoring.inventory.Credential.AuthProtocol.NONE;
            boolean priv = privProtocol != de.sid.verbund.monitoring.inventory.Credential.PrivProtocol.NONE;
            if (auth != (authPassphrase != null) || priv != (privPassphrase != null)) {
                throw new IllegalArgumentException("USM user " + user + ": a passphrase goes with its protocol");
            }
            if (priv && !auth) {
                throw new IllegalArgumentException("USM user " + user + ": privacy needs authentication");
            }
            if ((auth && authPassphrase.length() < 8) || (priv && privPassphrase.length() < 8)) {
                throw new IllegalArgumentException("USM user " + user + ": passphrases have 8 characters or more");
            }
        }

        /** @return {@code Usm[user, SHA256, AES128]}: the passphrases are never shown */
        @Override
        public String toString() {
            return "Usm[" + user + ", " + authProtocol + ", " + privProtocol + "]";
        }
    }
}

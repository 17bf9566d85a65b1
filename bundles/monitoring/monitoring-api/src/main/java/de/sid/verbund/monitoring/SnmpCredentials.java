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
}

package de.sid.verbund.monitoring.inventory;

/**
 * A credential to store, with its secrets, as a caller gives it (unvalidated:
 * {@link DeviceInventory#createCredential} checks it). {@link #toString()} masks every secret.
 *
 * @param name unique name, 1 to 63 characters: letters, digits, {@code . _ -}
 * @param version {@code v1}, {@code v2c} or {@code v3} (any case)
 * @param community v1/v2c: the community, 1 to 255 characters
 * @param user v3: the USM user name, 1 to 32 characters
 * @param authProtocol v3: {@code none}, {@code SHA1}, {@code SHA224}, {@code SHA256}, {@code SHA384},
 *        {@code SHA512} (also written {@code SHA-256}); {@code null}: none
 * @param authPassphrase v3 with authentication: at least 8 characters (RFC 3414 section 11.2)
 * @param privProtocol v3: {@code none}, {@code DES}, {@code AES128}, {@code AES256} (also
 *        {@code AES-128}, {@code AES}); needs authentication; {@code null}: none
 * @param privPassphrase v3 with privacy: at least 8 characters
 */
public record NewCredential(String name, String version, String community, String user, String authProtocol,
                            String authPassphrase, String privProtocol, String privPassphrase) {

    /** @return the fields, secrets shown as {@code ***} when given */
    @Override
    public String toString() {
        return "NewCredential[name=" + name + ", version=" + version + ", community=" + mask(community) + ", user=" + user
                + ", authProtocol=" + authProtocol + ", authPassphrase=" + mask(authPassphrase) + ", privProtocol="
                + privProtocol + ", privPassphrase=" + mask(privPassphrase) + "]";
    }

    private static String mask(String secret) {
        return secret == null ? "null" : "***";
    }
}
